package io.argus.coordinator.mqtt;

import org.jspecify.annotations.Nullable;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Publishes on its own thread, so that a slow or absent broker never holds up ingest: events wait
 * in a bounded queue ({@link MqttConfig#queueCapacity()}), and one that finds it full is dropped
 * and counted ({@code argus_mqtt_dropped_total{reason="queue_full"}}); of retained state only the
 * latest value per topic is kept, so state is never dropped and costs memory per topic, not per
 * change. A broker that is away is retried with Resilience4j's exponential {@link IntervalFunction};
 * once connected again, the queue and all current state follow.
 *
 * <p>Publishes only while {@code active} (the coordinator leads): a standby keeps no connection,
 * and what was queued when leadership went is dropped ({@code reason="not_leader"}), since the new
 * leader publishes its own copy of every event.
 */
public final class MqttPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MqttPublisher.class);
    /** How often an idle publisher looks for new state and for a change of leadership. */
    private static final long IDLE_POLL_MS = 100;

    private final MqttConfig cfg;
    private final ConnectionFactory connections;
    private final BooleanSupplier active;
    /** The retained state to publish: what changed, read on the publisher's thread. */
    interface StateSource {
        /** Emits the state messages of what changed since the last call. */
        void collect(Consumer<MqttMessage> out);

        /** Drops what is pending; the next {@link #collect} emits the whole state. */
        void forget();
    }

    private final StateSource stateSource;
    private final MqttMessage online;
    private final BlockingQueue<MqttMessage> queue;
    private final IntervalFunction backoff;
    private final Map<String, MqttMessage> state = new LinkedHashMap<>();
    private final Set<String> unpublished = new LinkedHashSet<>();
    private final Counter published;
    private final Counter queueFull;
    private final Counter notLeader;
    private final Counter connectFailures;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean connected;
    private @Nullable BrokerConnection connection;
    private @Nullable MqttMessage inFlight;

    /** Makes a client; called again after a failed connection. */
    interface ConnectionFactory {
        BrokerConnection open() throws MqttException;
    }

    MqttPublisher(MqttConfig cfg, MqttTopics topics, ConnectionFactory connections, BooleanSupplier active,
                  StateSource stateSource, MeterRegistry metrics) {
        this.cfg = cfg;
        this.connections = connections;
        this.active = active;
        this.stateSource = stateSource;
        this.online = MqttMessage.state(topics.available(), "online");
        this.queue = new ArrayBlockingQueue<>(cfg.queueCapacity());
        this.backoff = IntervalFunction.ofExponentialBackoff(cfg.reconnectInitialMs(), 2.0, cfg.reconnectMaxMs());
        this.published = Counter.builder("argus.mqtt.published").description("MQTT messages the broker took")
                .register(metrics);
        this.queueFull = dropped(metrics, "queue_full");
        this.notLeader = dropped(metrics, "not_leader");
        this.connectFailures = Counter.builder("argus.mqtt.connect_failures")
                .description("failed attempts to connect to the MQTT broker").register(metrics);
        Gauge.builder("argus.mqtt.queue", queue, BlockingQueue::size)
                .description("events waiting for the MQTT broker").register(metrics);
        Gauge.builder("argus.mqtt.connected", this, p -> p.connected ? 1 : 0)
                .description("1 while connected to the MQTT broker").register(metrics);
        this.thread = new Thread(this::run, "argus-mqtt-publisher");
        thread.setDaemon(true);
    }

    private static Counter dropped(MeterRegistry metrics, String reason) {
        return Counter.builder("argus.mqtt.dropped").tag("reason", reason)
                .description("MQTT messages given up").register(metrics);
    }

    MqttPublisher start() {
        thread.start();
        return this;
    }

    /** Whether events should be offered now: this coordinator leads. */
    public boolean active() {
        return !closed && active.getAsBoolean();
    }

    /** Queues an event; never blocks: a full queue drops it and counts it. */
    public void offer(MqttMessage m) {
        if (!queue.offer(m)) {
            queueFull.increment();
        }
    }

    /** Sets a retained state topic; only the latest value per topic is kept until it is published. */
    synchronized void putState(MqttMessage m) {
        MqttMessage before = state.put(m.topic(), m);
        if (before == null || !java.util.Arrays.equals(before.payload(), m.payload())) {
            unpublished.add(m.topic());
        }
    }

    private synchronized List<MqttMessage> takeUnpublished() {
        List<MqttMessage> out = new ArrayList<>(unpublished.size());
        for (String t : unpublished) {
            out.add(state.get(t));
        }
        unpublished.clear();
        return out;
    }

    private synchronized void republishAll() {
        unpublished.addAll(state.keySet());
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            try {
                if (!active.getAsBoolean()) {
                    standBy();
                    failures = 0;
                    continue;
                }
                if (!connected) {
                    if (!connect()) {
                        connectFailures.increment();
                        pause(backoff.apply(++failures));
                        continue;
                    }
                    failures = 0;
                }
                drain();
            } catch (MqttException e) {
                log.warn("MQTT broker {} lost: {}; reconnecting", cfg.url(), e.getMessage());
                dropConnection();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                // a bug or a store that failed while reading totals: keep publishing what can be
                log.warn("MQTT publishing failed: {}", e.toString());
                pauseQuietly(IDLE_POLL_MS);
            }
        }
        if (connection != null) {
            // a clean shutdown says so; a crash says it through the will
            if (connected && active.getAsBoolean()) {
                try {
                    connection.publish(MqttMessage.state(online.topic(), "offline"));
                } catch (MqttException ignored) {
                    // the will says the same when the broker notices
                }
            }
            connection.close();
        }
    }

    /** Not the leader: no connection, nothing kept to publish later. */
    private void standBy() throws InterruptedException {
        dropConnection();
        int n = queue.size();
        queue.clear();
        notLeader.increment(n + (inFlight == null ? 0 : 1));
        inFlight = null;
        synchronized (this) {
            state.clear();
            unpublished.clear();
        }
        stateSource.forget(); // what changed while standing by: the whole state is read afresh as leader
        Thread.sleep(IDLE_POLL_MS);
    }

    private boolean connect() {
        try {
            if (connection == null) {
                connection = connections.open();
            }
            connection.connect();
            connected = true;
            log.info("MQTT: connected to {}", cfg.url());
            putState(online);
            republishAll(); // the broker may have lost retained messages (restarted without persistence)
            return true;
        } catch (MqttException e) {
            log.info("MQTT: cannot connect to {}: {}{}", cfg.url(), e.getMessage(),
                    e.getCause() == null ? "" : " (" + e.getCause() + ")");
            return false;
        }
    }

    private void drain() throws MqttException, InterruptedException {
        if (inFlight != null) {
            send(inFlight);
            inFlight = null;
        }
        stateSource.collect(this::putState);
        for (MqttMessage m : takeUnpublished()) {
            try {
                send(m);
            } catch (MqttException e) {
                synchronized (this) {
                    unpublished.add(m.topic());
                }
                throw e;
            }
        }
        MqttMessage next = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
        if (next != null) {
            inFlight = next;
            send(next);
            inFlight = null;
        }
    }

    private void send(MqttMessage m) throws MqttException {
        BrokerConnection c = connection;
        if (c == null) {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED); // kept in flight, sent again
        }
        c.publish(m);
        published.increment();
    }

    private void dropConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        connected = false;
    }

    private void pause(long ms) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        // in short steps: leadership may go, or the coordinator close, during a long backoff
        while (!closed && active.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(Math.min(IDLE_POLL_MS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()))));
        }
    }

    private void pauseQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            // long enough for the last message and a clean "offline"; a broker that does not answer
            // must not hold up the coordinator's shutdown (it has 10 s in all), so then interrupt
            thread.join(2_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
