package io.argus.app.console.model;

import io.argus.app.console.feed.AgentAnswers;
import io.argus.app.console.feed.Feed;
import io.argus.app.console.feed.ManagedFeed;
import io.argus.app.console.feed.SourceSpec;
import io.argus.app.console.feed.StreamFeed;
import io.argus.client.ArgusClient;
import io.argus.cluster.CoordinatorEndpoint;
import io.argus.cluster.api.CoordinatorApi;
import io.argus.protocol.v1.TaskRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the console asks of the cluster for its streams: a feed for each source (one it sends
 * through the client, or a coordinator-managed stream it watches), and the stream's central
 * configuration (read from the cluster view, written through a coordinator's HTTP API).
 */
final class StreamAdmin {
    private final ArgusClient client;
    private final CoordinatorApi api;
    private final AgentAnswers answers;

    StreamAdmin(ArgusClient client, AgentAnswers answers) {
        this.client = client;
        this.answers = answers;
        this.api = CoordinatorApi.builder().token(client.token()).tls(client.tls())
                .requestTimeout(Duration.ofSeconds(3)).build();
    }

    /** Opens the feed of a saved source: a managed stream is watched, any other source is sent. */
    Feed open(ConsoleSettings.Source s) {
        if ("managed".equals(s.source)) {
            return managedFeed(s.name);
        }
        List<TaskRequest> reqs = new ArrayList<>();
        for (String t : s.tasks) {
            reqs.add(TaskRequest.newBuilder().setName(t).putAllParams(s.params.getOrDefault(t, Map.of())).build());
        }
        return new StreamFeed(client, new SourceSpec(s.name, s.source, s.loop, reqs), answers);
    }

    private ManagedFeed managedFeed(String name) {
        try {
            return new ManagedFeed(name, client.view(), client.directory(), client.tls(), client.token(), answers);
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalArgumentException("cannot load TLS files: " + e.getMessage(), e);
        }
    }

    /** Whether the cluster has a coordinator, which keeps the counts' history (read from the cluster view, not blocking). */
    boolean hasCoordinator() {
        return !client.view().coordinators().isEmpty();
    }

    /**
     * A stream's counts over the coordinator's whole history (see {@link CountsHistory}); empty when
     * the cluster has no coordinator. Blocking: off the JavaFX thread.
     */
    Optional<java.util.SortedMap<Long, Map<String, Long>>> history(String stream, long nowMs)
            throws java.io.IOException, InterruptedException {
        Optional<CoordinatorEndpoint> coordinator = client.view().coordinators().values().stream().findFirst();
        if (coordinator.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(CountsHistory.fetch(api, coordinator.get().httpBase(), stream, nowMs));
    }

    /** The HTTP base of one of the cluster's coordinators, if it has one (read from the cluster view, not blocking). */
    Optional<String> coordinatorBase() {
        return client.view().coordinators().values().stream().findFirst().map(CoordinatorEndpoint::httpBase);
    }

    /** The client for the coordinators' HTTP API (its token, TLS and 3-second timeout). */
    CoordinatorApi api() {
        return api;
    }

    /** The {@code people} parameters of the stream's central configuration (a copy). */
    Map<String, String> centralPeople(String stream) {
        return new LinkedHashMap<>(client.view().config(stream).value().tasks().getOrDefault("people", Map.of()));
    }

    /**
     * Writes the {@code people} parameters of the stream's central configuration through a
     * coordinator; empty when the cluster has none. The future fails with the coordinator's message
     * when it refuses them.
     */
    Optional<CompletableFuture<Void>> putCentralPeople(String stream, Map<String, String> central) {
        Optional<CoordinatorEndpoint> coordinator = client.view().coordinators().values().stream().findFirst();
        if (coordinator.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> body = Map.of("tasks", Map.of("people", central));
        return Optional.of(api.callAsync(coordinator.get().httpBase(), "PUT", "/v1/streams/" + stream + "/config", body)
                .thenAccept(r -> { }));
    }
}
