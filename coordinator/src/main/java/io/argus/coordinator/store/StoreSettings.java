package io.argus.coordinator.store;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;

/**
 * Where the event store is and how it behaves: the embedded H2 store in the data directory (the
 * default) or a shared PostgreSQL server ({@link #url()}); how the embedded store guards its disk
 * and recovers from a failure; the shared store's pool; retention. Immutable; the builder documents
 * each default.
 */
public final class StoreSettings {
    /**
     * Free space (bytes) under which writes are refused before they reach the database: 32 MiB. A
     * batch is at most 200 events (the agent's batch) with a thumbnail of at most 64 KiB each, so
     * 12.5 MiB of thumbnails plus one store chunk; 32 MiB leaves room for two such batches in flight.
     * Refusing early keeps H2 from meeting ENOSPC in the middle of a write, after which it closes
     * itself ("database has been closed").
     */
    public static final long DEFAULT_WRITE_RESERVE_BYTES = 32L * 1024 * 1024;
    /** Least time between attempts to reopen a store that failed for writing: 5 s. */
    public static final Duration DEFAULT_REOPEN_INTERVAL = Duration.ofSeconds(5);
    /** Connections to a shared store: 8, enough for ingest, the HTTP reads and retention side by side. */
    public static final int DEFAULT_POOL_SIZE = 8;
    /**
     * Longest wait for a connection to a shared store: 5 s. An agent's event batch waits for it, and
     * longer would hold the agent's outbox behind a server that is away.
     */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longest a statement may run on a shared store: 30 s (retention's batches are the largest). */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    public static final StoreSettings DEFAULT = builder().build();

    private final long writeReserveBytes;
    private final Duration reopenInterval;
    private final String fileSystemPrefix;
    private final @Nullable String url;
    private final String user;
    private final String password;
    private final int poolSize;
    private final Duration connectTimeout;
    private final Duration statementTimeout;
    private final RetentionSettings retention;
    private final Clock clock;

    private StoreSettings(Builder b) {
        this.clock = b.clock;
        this.url = b.url;
        this.user = b.user;
        this.password = b.password;
        this.poolSize = b.poolSize;
        this.connectTimeout = b.connectTimeout;
        this.statementTimeout = b.statementTimeout;
        this.retention = b.retention;
        this.writeReserveBytes = b.writeReserveBytes;
        this.reopenInterval = b.reopenInterval;
        this.fileSystemPrefix = b.fileSystemPrefix;
    }

    public static Builder builder() {
        return new Builder();
    }

    public long writeReserveBytes() {
        return writeReserveBytes;
    }

    public Duration reopenInterval() {
        return reopenInterval;
    }

    /** H2's file-system prefix for the database file ({@code ""}: the default file system). */
    public String fileSystemPrefix() {
        return fileSystemPrefix;
    }

    /** The shared store's JDBC URL ({@code jdbc:postgresql://...}), or null for the embedded H2 store. */
    public @Nullable String url() {
        return url;
    }

    public String user() {
        return user;
    }

    /** The shared store's password (never logged; {@link #toString()} leaves it out). */
    public String password() {
        return password;
    }

    public int poolSize() {
        return poolSize;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    public RetentionSettings retention() {
        return retention;
    }

    /** The clock that stamps when an event was stored, by which retention ages it. */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "StoreSettings{" + (url == null ? "embedded" : url + " as " + user) + ", pool " + poolSize + "}";
    }

    public static final class Builder {
        private @Nullable String url;
        private String user = "argus";
        private String password = "";
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private RetentionSettings retention = RetentionSettings.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private long writeReserveBytes = DEFAULT_WRITE_RESERVE_BYTES;
        private Duration reopenInterval = DEFAULT_REOPEN_INTERVAL;
        private String fileSystemPrefix = "";

        /** Default {@link #DEFAULT_WRITE_RESERVE_BYTES}; 0 turns the early refusal off. */
        public Builder writeReserveBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("writeReserveBytes must be >= 0, got " + bytes);
            }
            this.writeReserveBytes = bytes;
            return this;
        }

        /** Default {@link #DEFAULT_REOPEN_INTERVAL}; between 10 ms and 10 minutes. */
        public Builder reopenInterval(Duration d) {
            if (d.toMillis() < 10 || d.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("reopenInterval must be in [10 ms, 10 min], got " + d);
            }
            this.reopenInterval = d;
            return this;
        }

        /**
         * Default {@code ""} (the platform file system). An H2 file-system prefix such as
         * {@code "nio:"}; the tests use one that runs out of space on purpose.
         */
        public Builder fileSystemPrefix(String prefix) {
            if (!prefix.isEmpty() && !prefix.matches("[a-zA-Z][a-zA-Z0-9]*:")) {
                throw new IllegalArgumentException("fileSystemPrefix must look like 'name:', got '" + prefix + "'");
            }
            this.fileSystemPrefix = prefix;
            return this;
        }

        /**
         * Default null: the embedded H2 store in the data directory. A {@code jdbc:postgresql://} URL
         * makes this coordinator use that shared server: every coordinator given the same one has
         * one record.
         */
        public Builder url(@Nullable String jdbcUrl) {
            if (jdbcUrl != null) {
                SqlDialect.of(jdbcUrl); // refuses what is not a supported shared store
            }
            this.url = jdbcUrl;
            return this;
        }

        /** Default {@code "argus"}: the shared store's user. */
        public Builder user(String user) {
            if (user.isBlank()) {
                throw new IllegalArgumentException("user must not be blank");
            }
            this.user = user;
            return this;
        }

        /** Default empty: the shared store's password (read from a file by the command line, never an argument). */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Default {@link #DEFAULT_POOL_SIZE}; between 1 and 64. */
        public Builder poolSize(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("poolSize must be in [1, 64], got " + n);
            }
            this.poolSize = n;
            return this;
        }

        /** Default {@link #DEFAULT_CONNECT_TIMEOUT}; between 250 ms and 1 minute. */
        public Builder connectTimeout(Duration d) {
            if (d.toMillis() < 250 || d.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("connectTimeout must be in [250 ms, 1 min], got " + d);
            }
            this.connectTimeout = d;
            return this;
        }

        /** Default {@link #DEFAULT_STATEMENT_TIMEOUT}; between 1 s and 10 minutes. */
        public Builder statementTimeout(Duration d) {
            if (d.toMillis() < 1000 || d.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("statementTimeout must be in [1 s, 10 min], got " + d);
            }
            this.statementTimeout = d;
            return this;
        }

        /** Default {@link RetentionSettings#DEFAULT}. */
        public Builder retention(RetentionSettings r) {
            this.retention = r;
            return this;
        }

        /** Default the system clock (UTC); tests give a fake one to age events without waiting. */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        public StoreSettings build() {
            return new StoreSettings(this);
        }
    }
}
