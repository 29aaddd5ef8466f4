package io.argus.agent.record;

import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.cluster.ClusterView;
import io.argus.cluster.CoordinatorEndpoint;
import io.argus.protocol.net.Transport;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.EventAck;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.StreamTotals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Iterator;
import java.util.Objects;
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
 * a camera's frames even when no coordinator listens for a long time. A replayed recording need not
 * keep pace, so it waits instead ({@link #backlogged}). Only the newest checkpoint per stream is
 * kept.
 *
 * <p>A coordinator that leaves does not take its events with it: what it had not acknowledged, and
 * what is published while it is away, is kept for its store ({@link ParkedStores}) and delivered
 * to the first coordinator of that store that is live (the same one back, or another sharing it).
 *
 * <p>This class follows the live coordinators and moves what is published between them; each
 * coordinator's queue and batch in flight are its {@link Outbox}, the connection to it its
 * {@link CoordinatorConnection}.
 */
public final class CoordinatorLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorLink.class);
    private final EventLinkConfig config;

    private final ClusterView view;
    private final ClientOptions options;
    private final EventLoopGroup group = Transport.group(1);
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argus-event-publisher");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    /** Events for stores whose coordinators are away; touched on {@link #loop} only. */
    private final ParkedStores parked;
    private volatile int parkedCount;
    private final AtomicLong batchIds = new AtomicLong();
    private final Counter dropped;
    private final Counter sent;
    /** Every event is cut to these bounds before it is queued: one that the store cannot hold is lost to queries. */
    private final EventAttributes bounds;

    /** A producer free to wait pauses when a store has this share (percent) of its queue bound waiting. */
    public static final int BACKLOG_PAUSE_PERCENT = 50;
    /** ... and goes on once every store has less than this share waiting: not at once, or it would flap. */
    public static final int BACKLOG_RESUME_PERCENT = 25;

    /** {@link #backlog()}, written on the publisher's thread. */
    private volatile int backlog;
    /** No coordinator is live and no store is kept for: published events reach no store. Publisher's thread. */
    private volatile boolean nowhere = true;

    /** One coordinator's side of the link: what waits for it, and the connection to it. */

    private final class Peer implements ConnectionListener {
        final Outbox outbox;
        final CoordinatorConnection connection;

        Peer(CoordinatorEndpoint endpoint) {
            this.outbox = new Outbox(endpoint);
            this.connection = new CoordinatorConnection(endpoint, options, config, loop, this);
        }

        @Override
        public void onEventAck(AgentConnection c, EventAck ack) {
            loop.execute(() -> {
                int events = outbox.acknowledge(ack);
                if (events >= 0) {
                    sent.increment(events);
                    pump(this);
                }
                updateBacklog();
            });
        }

        @Override
        public void onClosed(AgentConnection c, @Nullable Throwable cause) {
            loop.execute(() -> {
                outbox.requeue();
                connection.closed();
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
        this.config = java.util.Objects.requireNonNull(config, "config");
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
            for (Peer p : peers.values()) {
                for (Event e : copy) {
                    BoundedEvents.append(p.outbox.events, e, config.maxQueued(), dropped);
                }
            }
            copy.forEach(parked::publish);
            parkedCount = parked.events();
            updateBacklog();
        });
    }

    /** Queues a stream's checkpoint (replacing an older one not yet sent). */
    public void checkpoint(StreamTotals totals) {
        loop.execute(() -> {
            syncEndpoints();
            for (Peer p : peers.values()) {
                p.outbox.checkpoints.put(totals.getStreamId(), totals);
            }
            parked.checkpoint(totals);
        });
    }

    /**
     * The last sequence of the checkpoint of the stream's run {@code run} that every live
     * coordinator holds, as each said when it last acknowledged a checkpoint of the stream from
     * this agent (the lowest of theirs), or -1 when one holds none of that run. A checkpoint goes
     * out only in a batch that also empties the event queue before it, so a held checkpoint at
     * sequence N means the events of every frame up to N are stored too.
     *
     * <p>Held, not merely acknowledged: a coordinator acknowledges a batch whose checkpoint it
     * dropped (an ownership epoch the stream has left) or ranked below the stored one (for
     * instance epoch 0, taken while no assignment named this agent); a client told that sequence
     * would forget frames that the checkpoint it is restored from does not cover. And of this
     * run: a new session of the stream (a new run) is not told of an old run's checkpoint.
     */
    public long confirmedCheckpoint(String stream, long run) {
        long min = Long.MAX_VALUE;
        for (Peer p : peers.values()) {
            Outbox.Held h = p.outbox.held.get(stream);
            if (h == null || h.run() != run) {
                return -1;
            }
            min = Math.min(min, h.lastSequence());
        }
        return min == Long.MAX_VALUE ? -1 : min;
    }

    /** Events kept for stores whose coordinators are away (for tests and metrics). */
    public int parked() {
        return parkedCount;
    }

    /**
     * The most events one event store is waiting to take from this agent. A store reached through
     * several live coordinators (a shared store) waits for what the most advanced of them lacks
     * (the smallest of their outboxes, queued and in flight); a store none of whose coordinators is
     * live, for what is kept for it ({@link ParkedStores}). Read from any thread; updated on the
     * publisher's.
     */
    public int backlog() {
        return backlog;
    }

    /**
     * Whether a producer that need not keep pace with a camera (a replayed recording) should wait
     * before it makes more events: one store has at least {@code percent}% of
     * {@link EventLinkConfig#maxQueued()} (at least one event) waiting, where past the bound the
     * oldest are dropped; or no store at all would receive them (no coordinator live, none kept
     * for: an agent started while its coordinators are away). Producers pause at
     * {@link #BACKLOG_PAUSE_PERCENT} and go on below {@link #BACKLOG_RESUME_PERCENT}.
     */
    public boolean backlogged(int percent) {
        return nowhere || backlog >= Math.max(1, (long) config.maxQueued() * percent / 100);
    }

    private void updateBacklog() {
        Map<String, Integer> byStore = new HashMap<>();
        for (Peer p : peers.values()) {
            byStore.merge(p.outbox.endpoint.storeKey(), p.outbox.pending(), Math::min);
        }
        int max = parked.largest();
        for (int n : byStore.values()) {
            max = Math.max(max, n);
        }
        backlog = max;
        nowhere = peers.isEmpty() && parked.keys().isEmpty();
    }

    /** Events waiting for acknowledgement, over all live coordinators (for tests and metrics). */
    public int pending() {
        int n = 0;
        for (Peer p : peers.values()) {
            n += p.outbox.pending();
        }
        return n;
    }

    private void syncEndpoints() {
        Map<String, CoordinatorEndpoint> live = view.coordinators();
        for (CoordinatorEndpoint e : live.values()) {
            peers.computeIfAbsent(e.id(), k -> new Peer(e));
        }
        long now = System.currentTimeMillis();
        peers.keySet().removeIf(id -> {
            if (live.containsKey(id)) {
                return false;
            }
            Peer p = Objects.requireNonNull(peers.get(id)); // the key being iterated
            p.connection.close();
            Outbox o = p.outbox;
            // that coordinator is gone, not its store: keep what it lacks until a coordinator of the store has it
            o.requeue();
            parked.park(o.endpoint.storeKey(), o.events, o.checkpoints, now);
            return true;
        });
        for (Peer p : peers.values()) {
            Outbox o = p.outbox;
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
            for (Peer p : peers.values()) {
                if (p.outbox.inflightId >= 0 && System.currentTimeMillis() - p.outbox.sentAt > config.ackTimeoutMs()) {
                    p.outbox.requeue();
                }
                p.connection.ensureConnected();
                pump(p);
            }
            updateBacklog();
        } catch (RuntimeException e) {
            log.debug("event publisher tick failed", e);
        }
    }

    /** Sends the outbox's next batch once the previous one is acknowledged; connects first if need be. */
    private void pump(Peer p) {
        if (!p.outbox.ready()) {
            return;
        }
        if (!p.connection.connected()) {
            p.connection.ensureConnected();
            return;
        }
        p.connection.write(Envelope.newBuilder().setEventBatch(
                p.outbox.next(batchIds.incrementAndGet(), config.batch(), System.currentTimeMillis())).build());
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
        for (Peer p : peers.values()) {
            p.connection.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
