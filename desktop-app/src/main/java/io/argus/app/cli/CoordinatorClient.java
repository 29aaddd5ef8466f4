package io.argus.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.protocol.cluster.ClusterView;
import io.argus.protocol.cluster.CoordinatorEndpoint;
import io.argus.protocol.cluster.ZkClients;
import io.argus.protocol.cluster.ZkPaths;
import org.apache.curator.framework.CuratorFramework;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks to a coordinator's HTTP API, found from {@code --coordinator URL} or through ZooKeeper. */
final class CoordinatorClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final String token;
    private final HttpClient http;

    private CoordinatorClient(String base, String token, io.argus.protocol.tls.TlsSettings tls) {
        this.http = io.argus.protocol.tls.TlsSettings.httpClient(tls, Duration.ofSeconds(3));
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token == null ? "" : token;
    }

    static CoordinatorClient locate(String url, String zk, String token, io.argus.protocol.tls.TlsSettings tls)
            throws Exception {
        if (url != null) {
            return new CoordinatorClient(url, token, tls);
        }
        if (zk == null) {
            throw new IllegalArgumentException("give --coordinator URL or --zk HOST:PORT");
        }
        try (CuratorFramework c = ZkClients.newClient(zk)) {
            c.start();
            if (!c.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("cannot reach ZooKeeper at " + zk);
            }
            try (ClusterView v = new ClusterView(c, ZkPaths.defaults()).start()) {
                long deadline = System.currentTimeMillis() + 5_000;
                while (v.coordinators().isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                CoordinatorEndpoint e = v.coordinators().values().stream().findFirst()
                        .orElseThrow(() -> new IllegalStateException("no coordinator registered in " + zk));
                return new CoordinatorClient(e.httpBase(), token, tls);
            }
        }
    }

    JsonNode call(String method, String path, JsonNode body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (!token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode n = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(r.statusCode() + " " + n.at("/error/code").asText() + ": "
                    + n.at("/error/message").asText());
        }
        return n;
    }
}
