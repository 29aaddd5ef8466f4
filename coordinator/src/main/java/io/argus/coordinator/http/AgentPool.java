package io.argus.coordinator.http;

import io.argus.protocol.client.AgentBreakerConfig;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentInfo;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's view of the agents: one connection per agent (opened on first use, replaced when
 * it closes), a circuit breaker per agent (Resilience4j, configured by the
 * {@link AgentBreakerConfig} the streaming client uses too: by default it opens at 50% failures
 * over the last 20 calls, stays open 5 s, then lets 3 trial calls through), and power-of-two-choices selection:
 * of two random capable agents whose breaker lets calls through, the one with less work.
 */
public final class AgentPool implements AutoCloseable {
    private final AgentDirectory directory;
    private final ClientOptions options;
    private final Map<String, CompletableFuture<AgentConnection>> connections = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, CreditQueue> creditQueues = new ConcurrentHashMap<>();
    private final CircuitBreakerRegistry breakers;

    /** The client id this pool's connections present to agents (one per coordinator). */
    public String clientId() {
        return options.clientId();
    }

    public AgentPool(AgentDirectory directory, EventLoopGroup group, String clientId, String token,
                     MeterRegistry metrics, SslContext ssl) {
        this(directory, group, clientId, token, metrics, ssl, AgentBreakerConfig.DEFAULT);
    }

    public AgentPool(AgentDirectory directory, EventLoopGroup group, String clientId, String token,
                     MeterRegistry metrics, @Nullable SslContext ssl, AgentBreakerConfig breakerConfig) {
        this.directory = directory;
        this.options = ClientOptions.builder(group).clientId(clientId).authToken(token).sslContext(ssl).build();
        this.breakers = breakerConfig.registry();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(metrics);
    }

    public CircuitBreaker breaker(String agent) {
        return breakers.circuitBreaker("agent-" + agent);
    }

    /** Capable agents whose breaker admits calls. */
    public List<AgentInfo> candidates(String task) {
        return candidates(List.of(task));
    }

    /** Agents that run every one of the tasks and whose breaker admits calls. */
    public List<AgentInfo> candidates(Collection<String> tasks) {
        List<AgentInfo> out = new ArrayList<>();
        for (AgentInfo a : directory.agents()) {
            if (a.payload().capabilities().containsAll(tasks) && breaker(a.id()).getState() != CircuitBreaker.State.OPEN) {
                out.add(a);
            }
        }
        return out;
    }

    /** Power of two choices on load: the published figure plus what this gateway has in flight there. */
    @SuppressWarnings("ReferenceEquality") // two draws of the same list element, not two equal agents
    public @Nullable AgentInfo choose(List<AgentInfo> candidates, List<String> exclude) {
        List<AgentInfo> pool = candidates.stream().filter(a -> !exclude.contains(a.id())).toList();
        if (pool.isEmpty()) {
            return null;
        }
        if (pool.size() == 1) {
            return pool.get(0);
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        AgentInfo a = pool.get(r.nextInt(pool.size()));
        AgentInfo b = pool.get(r.nextInt(pool.size() - 1));
        if (b == a) {
            b = pool.get(pool.size() - 1);
        }
        return load(a) <= load(b) ? a : b;
    }

    double load(AgentInfo a) {
        return (a.payload().load().inFlight() + inFlight.computeIfAbsent(a.id(), k -> new AtomicInteger()).get())
                / (double) Math.max(1, a.payload().workers());
    }

    public AtomicInteger inFlight(String agent) {
        return inFlight.computeIfAbsent(agent, k -> new AtomicInteger());
    }

    /** Requests waiting for this agent's credit (see {@link CreditQueue}). */
    CreditQueue creditQueue(String agent) {
        return creditQueues.computeIfAbsent(agent, k -> new CreditQueue());
    }

    public CompletableFuture<AgentConnection> connection(AgentInfo agent) {
        CompletableFuture<AgentConnection> f = connections.compute(agent.id(), (id, cur) -> {
            if (cur != null && (!cur.isDone() || (!cur.isCompletedExceptionally() && cur.join().isActive()))) {
                return cur;
            }
            return agent.connect(options, new ConnectionListener() {
                        @Override
                        public void onCredit(AgentConnection connection) {
                            creditQueue(id).drain(connection);
                        }

                        @Override
                        public void onClosed(AgentConnection connection, @Nullable Throwable cause) {
                            creditQueue(id).drain(connection);
                        }
                    });
        });
        f.whenComplete((c, err) -> {
            if (err != null) {
                connections.remove(agent.id(), f);
            } else {
                c.closeFuture().thenRun(() -> connections.remove(agent.id(), f));
            }
        });
        return f;
    }

    @Override
    public void close() {
        connections.values().forEach(f -> f.thenAccept(AgentConnection::close));
        connections.clear();
    }
}
