package io.argus.coordinator.mqtt;

import org.jspecify.annotations.Nullable;
import io.argus.protocol.util.SettingRange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How the leader coordinator publishes events and counts to an MQTT broker ({@link MqttPublisher}).
 * Immutable; build one with {@link #builder()}. Every setting is range-checked when built, and a
 * value outside its range is an error naming the setting, never clamped. Publishing is off unless
 * a broker URL is given ({@link #DEFAULT} has none).
 */
public final class MqttConfig {
    /** Broker URL: none, so publishing is off until an operator names a broker. */
    public static final String DEFAULT_URL = "";
    /** Client id: empty, which means {@code argus-<coordinator id>}, unique per coordinator as MQTT requires. */
    public static final String DEFAULT_CLIENT_ID = "";
    /** First topic level: {@code argus}, as Frigate uses {@code frigate}. */
    public static final String DEFAULT_TOPIC_PREFIX = "argus";
    /** Home Assistant's discovery prefix: {@code homeassistant}, its own default. */
    public static final String DEFAULT_DISCOVERY_PREFIX = "homeassistant";
    /** Home Assistant discovery messages: on, so that Argus appears in Home Assistant unconfigured. */
    public static final boolean DEFAULT_DISCOVERY = true;
    /**
     * QoS 1 (at least once): the broker acknowledges every message, so a broker that restarts loses
     * nothing the coordinator believes delivered; QoS 2 costs two more round trips per message.
     */
    public static final int DEFAULT_QOS = 1;
    /**
     * 10,000 events waiting for the broker: about an hour of a busy door at a few crossings a
     * minute per stream; more are dropped (and counted) rather than holding memory without bound.
     * Counts and discovery messages are not in this queue: only their latest value is kept.
     */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    /** First pause before reconnecting to a broker: 500 ms, doubled after each failure. */
    public static final long DEFAULT_RECONNECT_INITIAL_MS = 500;
    /** Longest pause between reconnection attempts: 30 s, so a broker that comes back is found within that. */
    public static final long DEFAULT_RECONNECT_MAX_MS = 30_000;
    /** Longest wait for the broker to accept a connection or acknowledge a message: 10 s. */
    public static final int DEFAULT_TIMEOUT_MS = 10_000;
    /** MQTT keep-alive: 30 s; the broker declares the coordinator gone (and sends its will) after 1.5 times that. */
    public static final int DEFAULT_KEEP_ALIVE_S = 30;

    public static final MqttConfig DEFAULT = builder().build();

    private final String url;
    private final String clientId;
    private final String topicPrefix;
    private final String discoveryPrefix;
    private final boolean discovery;
    private final int qos;
    private final int queueCapacity;
    private final long reconnectInitialMs;
    private final long reconnectMaxMs;
    private final int timeoutMs;
    private final int keepAliveS;
    private final @Nullable String username;
    private final char @Nullable [] password;

    private MqttConfig(Builder b) {
        this.url = b.url == null ? "" : b.url.trim();
        if (!url.isEmpty() && !(url.startsWith("tcp://") || url.startsWith("ssl://"))) {
            throw new IllegalArgumentException("url must start with tcp:// or ssl://, got '" + url + "'");
        }
        this.clientId = b.clientId == null ? "" : b.clientId;
        this.topicPrefix = checkTopicLevels("topicPrefix", b.topicPrefix);
        this.discoveryPrefix = checkTopicLevels("discoveryPrefix", b.discoveryPrefix);
        this.discovery = b.discovery;
        this.qos = SettingRange.check("qos", b.qos, 0, 2);
        this.queueCapacity = SettingRange.check("queueCapacity", b.queueCapacity, 1, 10_000_000);
        this.reconnectInitialMs = SettingRange.check("reconnectInitialMs", b.reconnectInitialMs, 10, 600_000);
        this.reconnectMaxMs = SettingRange.check("reconnectMaxMs", b.reconnectMaxMs, reconnectInitialMs, 3_600_000);
        this.timeoutMs = SettingRange.check("timeoutMs", b.timeoutMs, 100, 600_000);
        this.keepAliveS = SettingRange.check("keepAliveS", b.keepAliveS, 1, 65_535);
        this.username = b.username;
        this.password = b.password == null ? null : b.password.clone();
    }

    /** A prefix of one or more topic levels: not empty, no wildcard, no leading or trailing '/'. */
    private static String checkTopicLevels(String name, String v) {
        if (v == null || v.isEmpty() || v.startsWith("/") || v.endsWith("/") || v.contains("+") || v.contains("#")
                || v.contains("//")) {
            throw new IllegalArgumentException(name + " must be topic levels without wildcards or empty levels, got '"
                    + v + "'");
        }
        return v;
    }

    /** True when a broker is named: only then does the coordinator publish. */
    public boolean enabled() {
        return !url.isEmpty();
    }

    public String url() {
        return url;
    }

    public boolean tls() {
        return url.startsWith("ssl://");
    }

    /** The configured client id, or {@code argus-<coordinatorId>} when none is. */
    public String clientId(String coordinatorId) {
        return clientId.isEmpty() ? "argus-" + coordinatorId : clientId;
    }

    public String clientId() {
        return clientId;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    public String discoveryPrefix() {
        return discoveryPrefix;
    }

    public boolean discovery() {
        return discovery;
    }

    public int qos() {
        return qos;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    public long reconnectInitialMs() {
        return reconnectInitialMs;
    }

    public long reconnectMaxMs() {
        return reconnectMaxMs;
    }

    public int timeoutMs() {
        return timeoutMs;
    }

    public int keepAliveS() {
        return keepAliveS;
    }

    /** User name for the broker, or null for none. */
    public @Nullable String username() {
        return username;
    }

    /** Password for the broker (a copy), or null for none. */
    public char @Nullable [] password() {
        return password == null ? null : password.clone();
    }

    @Override
    public String toString() {
        return "MqttConfig{url=" + url + ", topicPrefix=" + topicPrefix + ", discoveryPrefix=" + discoveryPrefix
                + ", qos=" + qos + ", queueCapacity=" + queueCapacity + ", username=" + username
                + (password == null ? "" : ", password=***") + "}";
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String url = DEFAULT_URL;
        private String clientId = DEFAULT_CLIENT_ID;
        private String topicPrefix = DEFAULT_TOPIC_PREFIX;
        private String discoveryPrefix = DEFAULT_DISCOVERY_PREFIX;
        private boolean discovery = DEFAULT_DISCOVERY;
        private int qos = DEFAULT_QOS;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private long reconnectInitialMs = DEFAULT_RECONNECT_INITIAL_MS;
        private long reconnectMaxMs = DEFAULT_RECONNECT_MAX_MS;
        private int timeoutMs = DEFAULT_TIMEOUT_MS;
        private int keepAliveS = DEFAULT_KEEP_ALIVE_S;
        private @Nullable String username;
        private char @Nullable [] password;

        /** Broker, {@code tcp://host:port} or {@code ssl://host:port}; default {@link #DEFAULT_URL} (off). */
        public Builder url(String v) {
            this.url = v;
            return this;
        }

        /** MQTT client id; default {@link #DEFAULT_CLIENT_ID} ({@code argus-<coordinator id>}). */
        public Builder clientId(String v) {
            this.clientId = v;
            return this;
        }

        /** First topic level(s) of every state and event topic; default {@link #DEFAULT_TOPIC_PREFIX}. */
        public Builder topicPrefix(String v) {
            this.topicPrefix = v;
            return this;
        }

        /** Home Assistant discovery prefix; default {@link #DEFAULT_DISCOVERY_PREFIX}. */
        public Builder discoveryPrefix(String v) {
            this.discoveryPrefix = v;
            return this;
        }

        /** Whether to publish Home Assistant discovery messages; default {@link #DEFAULT_DISCOVERY}. */
        public Builder discovery(boolean v) {
            this.discovery = v;
            return this;
        }

        /** QoS of every message, 0 to 2; default {@link #DEFAULT_QOS}. */
        public Builder qos(int v) {
            this.qos = v;
            return this;
        }

        /** Events waiting for the broker, 1 to 10,000,000; default {@link #DEFAULT_QUEUE_CAPACITY}. */
        public Builder queueCapacity(int v) {
            this.queueCapacity = v;
            return this;
        }

        /** First reconnection pause, 10 ms to 10 min; default {@link #DEFAULT_RECONNECT_INITIAL_MS}. */
        public Builder reconnectInitialMs(long v) {
            this.reconnectInitialMs = v;
            return this;
        }

        /** Longest reconnection pause, at least the first, at most 1 h; default {@link #DEFAULT_RECONNECT_MAX_MS}. */
        public Builder reconnectMaxMs(long v) {
            this.reconnectMaxMs = v;
            return this;
        }

        /** Connection and acknowledgement timeout, 100 ms to 10 min; default {@link #DEFAULT_TIMEOUT_MS}. */
        public Builder timeoutMs(int v) {
            this.timeoutMs = v;
            return this;
        }

        /** Keep-alive interval, 1 to 65,535 s; default {@link #DEFAULT_KEEP_ALIVE_S}. */
        public Builder keepAliveS(int v) {
            this.keepAliveS = v;
            return this;
        }

        /** User name and password for the broker; default none. */
        public Builder credentials(String user, char @Nullable [] password) {
            this.username = user;
            this.password = password == null ? null : password.clone();
            return this;
        }

        /**
         * Reads the user name (first line) and password (second line) from a file, so that the
         * password is never on a command line, where {@code ps} shows it to every local user.
         */
        public Builder credentialsFile(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the MQTT credentials file " + file, e);
            }
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                throw new IllegalArgumentException("credentialsFile " + file + " has no user name on its first line");
            }
            return credentials(lines.get(0).trim(), lines.size() > 1 ? lines.get(1).toCharArray() : null);
        }

        public MqttConfig build() {
            return new MqttConfig(this);
        }
    }
}
