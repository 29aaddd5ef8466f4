package io.argus.agent.record;

import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.cluster.ClusterView;
import io.argus.protocol.cluster.CoordinatorEndpoint;
import io.argus.protocol.net.Transport;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.EventBatch;
import io.argus.protocol.v1.StreamTotals;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes what the agent records (events, and checkpoints of stream state) to every live
 * coordinator, so that the record does not depend on a console and survives the loss of any one
 * coordinator.
 *
 * <p>Delivery is at least once, per coordinator: each has an outbox; a batch stays in it until
 * that coordinator acknowledges it, and is sent again after a reconnect or after
 * {@link EventLinkConfig#ackTimeoutMs()} (5 s) without an answer. Coordinators store by event id, so duplicates are
 * harmless. Bounds: an outbox holds at most {@link EventLinkConfig#maxQueued()} (20,000) events; beyond that the oldest are
 * dropped and counted ({@code argus.agent.events.dropped}), because an agent must keep processing
 * frames even when no coordinator listens for a long time. Only the newest checkpoint per stream
 * is kept.
 *
 * <p>A coordinator that leaves does not take its events with it: what it had not acknowledged, and
 * what is published while it is away, is kept for its store ({@link ParkedStores}) and delivered
 * to the first coordinator of that store that is live (the same one back, or another sharing it).
 */
public final class CoordinatorLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorLink.class);
    private final EventLinkConfig config;
    /** Pause after the n-th failed connect in a row: firstReconnectMs doubling to maxReconnectMs. */
    private final IntervalFunction reconnect;

    private final ClusterView view;
    private final ClientOptions options;
    private final EventLoopGroup group = Transport.group(1);
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argus-event-publisher");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();
    /** Events for stores whose coordinators are away; touched on {@link #loop} only. */
    private final ParkedStores parked;
    private volatile int parkedCount;
    private final AtomicLong batchIds = new AtomicLong();
    private final Counter dropped;
    private final Counter sent;
    /** Every event is cut to these bounds before it is queued: one that the store cannot hold is lost to queries. */
    private final EventAttributes bounds;

    private final class Outbox implements ConnectionListener {
        final CoordinatorEndpoint endpoint;
        final Deque<Event> events = new ArrayDeque<>();
        final Map<String, StreamTotals> checkpoints = new HashMap<>();
        /** Per stream, the last sequence of the newest checkpoint this coordinator acknowledged. */
        final Map<String, Long> acked = new ConcurrentHashMap<>();
        @Nullable CompletableFuture<AgentConnection> conn;
        long inflightId = -1;
        List<Event> inflight = List.of();
        List<StreamTotals> inflightTotals = List.of();
        long sentAt;
        long retryAt;
        /** Failed connects in a row. */
        int failedConnects;
        boolean warned;

        Outbox(CoordinatorEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public void onEventAck(AgentConnection c, long batchId) {
            loop.execute(() -> {
                if (batchId == inflightId) {
                    sent.increment(inflight.size());
                    for (StreamTotals t : inflightTotals) {
                        if (t.getHasLastSequence()) {
                            acked.merge(t.getStreamId(), t.getLastSequence(), Math::max);
                        }
                    }
                    inflightId = -1;
                    inflight = List.of();
                    inflightTotals = List.of();
                    pump(this);
                }
            });
        }

        @Override
        public void onClosed(AgentConnection c, @Nullable Throwable cause) {
            loop.execute(() -> {
                requeue(this);
                conn = null;
            });
        }
    }

    public CoordinatorLink(ClusterView view, String agentId, String token, MeterRegistry metrics,
                           @Nullable SslContext ssl) {
        this(view, agentId, token, metrics, ssl, EventLinkConfig.DEFAULT);
    }

    public CoordinatorLink(ClusterView view, String agentId, String token, MeterRegistry metrics,
                           @Nullable SslContext ssl, EventLinkConfig config) {
        this.view = view;
        this.config = Objects.requireNonNull(config, "config");
        this.reconnect = IntervalFunction.ofExponentialBackoff(
                config.firstReconnectMs(), 2.0, config.maxReconnectMs());
        this.options = ClientOptions.builder(group).clientId(agentId).authToken(token).sslContext(ssl)
                .heartbeatIntervalMs(config.heartbeatIntervalMs()).heartbeatTimeoutMs(config.heartbeatTimeoutMs()).build();
        this.dropped = Counter.builder("argus.agent.events.dropped").register(metrics);
        this.sent = Counter.builder("argus.agent.events.published").register(metrics);
        this.bounds = new EventAttributes(metrics);
        this.parked = new ParkedStores(dropped, config);
        Gauge.builder("argus.agent.events.parked", this, l -> l.parkedCount)
                .description("events kept for event stores whose coordinators are away").register(metrics);
        loop.scheduleWithFixedDelay(this::tick, config.tickMs(), config.tickMs(), TimeUnit.MILLISECONDS);
    }

    /** Queues events for every coordinator (thread-safe, never blocks). */
    public void publish(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Event> copy = events.stream().map(bounds::bound).toList();
        loop.execute(() -> {
            syncEndpoints();
            for (Outbox o : outboxes.values()) {
                for (Event e : copy) {
                    BoundedEvents.append(o.events, e, config.maxQueued(), dropped);
                }
            }
            copy.forEach(parked::publish);
            parkedCount = parked.events();
        });
    }

    /** Queues a stream's checkpoint (replacing an older one not yet sent). */
    public void checkpoint(StreamTotals totals) {
        loop.execute(() -> {
            syncEndpoints();
            for (Outbox o : outboxes.values()) {
                o.checkpoints.put(totals.getStreamId(), totals);
            }
            parked.checkpoint(totals);
        });
    }

    /**
     * The newest sequence of a stream whose checkpoint every live coordinator has acknowledged,
     * or -1. A checkpoint goes out only in a batch that also empties the event queue before it, so
     * an acknowledged checkpoint at sequence N means the events of every frame up to N are stored too.
     */
    public long confirmedCheckpoint(String stream) {
        long min = Long.MAX_VALUE;
        for (Outbox o : outboxes.values()) {
            Long a = o.acked.get(stream);
            if (a == null) {
                return -1;
            }
            min = Math.min(min, a);
        }
        return min == Long.MAX_VALUE ? -1 : min;
    }

    /** Events kept for stores whose coordinators are away (for tests and metrics). */
    public int parked() {
        return parkedCount;
    }

    /** Events waiting for acknowledgement, over all live coordinators (for tests and metrics). */
    public int pending() {
        int n = 0;
        for (Outbox o : outboxes.values()) {
            n += o.events.size() + o.inflight.size();
        }
        return n;
    }

    private void syncEndpoints() {
        Map<String, CoordinatorEndpoint> live = view.coordinators();
        for (CoordinatorEndpoint e : live.values()) {
            outboxes.computeIfAbsent(e.id(), k -> new Outbox(e));
        }
        long now = System.currentTimeMillis();
        outboxes.keySet().removeIf(id -> {
            if (live.containsKey(id)) {
                return false;
            }
            Outbox o = Objects.requireNonNull(outboxes.get(id)); // the key being iterated
            if (o.conn != null) {
                o.conn.thenAccept(AgentConnection::close);
            }
            // that coordinator is gone, not its store: keep what it lacks until a coordinator of the store has it
            requeue(o);
            parked.park(o.endpoint.storeKey(), o.events, o.checkpoints, now);
            return true;
        });
        for (Outbox o : outboxes.values()) {
            ParkedStores.Parked back = parked.claim(o.endpoint.storeKey());
            if (back != null) {
                // older than what the outbox holds: in front of it, in their order
                for (Iterator<Event> it = back.events.descendingIterator(); it.hasNext(); ) {
                    o.events.addFirst(it.next());
                }
                BoundedEvents.trim(o.events, config.maxQueued(), dropped);
                back.checkpoints.forEach(o.checkpoints::putIfAbsent);
                log.info("delivering {} event(s) kept while store {} was away to coordinator {}", back.events.size(),
                        o.endpoint.storeKey(), o.endpoint.id());
            }
        }
        parked.expire(now);
        parkedCount = parked.events();
    }

    private void tick() {
        try {
            syncEndpoints();
            for (Outbox o : outboxes.values()) {
                if (o.inflightId >= 0 && System.currentTimeMillis() - o.sentAt > config.ackTimeoutMs()) {
                    requeue(o);
                }
                ensureConnected(o);
                pump(o);
            }
        } catch (RuntimeException e) {
            log.debug("event publisher tick failed", e);
        }
    }

    private void requeue(Outbox o) {
        if (o.inflightId < 0) {
            return;
        }
        List<Event> back = new ArrayList<>(o.inflight);
        for (int i = back.size() - 1; i >= 0; i--) {
            o.events.addFirst(back.get(i));
        }
        for (StreamTotals t : o.inflightTotals) {
            o.checkpoints.putIfAbsent(t.getStreamId(), t);
        }
        o.inflightId = -1;
        o.inflight = List.of();
        o.inflightTotals = List.of();
    }

    private static boolean connected(Outbox o) {
        return o.conn != null && o.conn.isDone() && !o.conn.isCompletedExceptionally() && o.conn.join().isActive();
    }

    /**
     * Keeps a connection open to the coordinator even with nothing to send: it carries the
     * heartbeats by which the coordinator learns at once that this process died (its crash
     * detector), and the first event of a quiet stream goes out without a connect. A refused or
     * failed connect is retried after {@link EventLinkConfig#firstReconnectMs()} doubling to
     * {@link EventLinkConfig#maxReconnectMs()}
     * (Resilience4j's exponential interval), with one
     * warning per failure streak.
     */
    private void ensureConnected(Outbox o) {
        if (connected(o) || (o.conn != null && !o.conn.isDone()) || System.currentTimeMillis() < o.retryAt) {
            return;
        }
        o.conn = AgentConnection.connect(new InetSocketAddress(o.endpoint.host(), o.endpoint.eventPort()), options, o);
        o.conn.whenComplete((c, err) -> loop.execute(() -> {
            if (err != null) {
                o.conn = null;
                o.retryAt = System.currentTimeMillis() + reconnect.apply(++o.failedConnects);
                if (!o.warned) {
                    o.warned = true;
                    log.warn("cannot publish to coordinator {} at {}:{}: {} (retrying every {} s at most)",
                            o.endpoint.id(), o.endpoint.host(), o.endpoint.eventPort(), err.getMessage(),
                            config.maxReconnectMs() / 1000);
                }
            } else {
                if (o.warned) {
                    log.info("publishing to coordinator {} again", o.endpoint.id());
                }
                o.failedConnects = 0;
                o.warned = false;
            }
        }));
    }

    private void pump(Outbox o) {
        if (o.inflightId >= 0 || (o.events.isEmpty() && o.checkpoints.isEmpty())) {
            return;
        }
        if (!connected(o)) {
            ensureConnected(o);
            return;
        }
        List<Event> batch = new ArrayList<>();
        while (batch.size() < config.batch() && !o.events.isEmpty()) {
            batch.add(o.events.pollFirst());
        }
        List<StreamTotals> totals = List.of();
        if (o.events.isEmpty()) {
            // only behind every event queued before it: a checkpoint's acknowledgement then
            // vouches for the events of the frames it covers as well
            totals = new ArrayList<>(o.checkpoints.values());
            o.checkpoints.clear();
        }
        o.inflightId = batchIds.incrementAndGet();
        o.inflight = batch;
        o.inflightTotals = totals;
        o.sentAt = System.currentTimeMillis();
        Objects.requireNonNull(o.conn).join().write(Envelope.newBuilder() // connected(o) above
                .setEventBatch(EventBatch.newBuilder().setBatchId(o.inflightId).addAllEvents(batch).addAllTotals(totals))
                .build());
    }

    @Override
    public void close() {
        // give the last events a moment to go out
        long deadline = System.currentTimeMillis() + 2_000;
        while (pending() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        loop.shutdownNow();
        for (Outbox o : outboxes.values()) {
            if (o.conn != null) {
                o.conn.thenAccept(AgentConnection::close);
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
