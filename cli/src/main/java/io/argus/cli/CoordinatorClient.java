package io.argus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.cluster.api.CoordinatorApi;
import io.argus.cluster.api.CoordinatorApiException;
import io.argus.cluster.ClusterView;
import io.argus.cluster.CoordinatorEndpoint;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.cluster.ZkCredentials;
import io.argus.protocol.tls.TlsSettings;
import org.apache.curator.framework.CuratorFramework;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Talks to a coordinator's HTTP API, found from {@code --coordinator URL} or through ZooKeeper. */
final class CoordinatorClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final CoordinatorApi api;

    private CoordinatorClient(String base, String token, @Nullable TlsSettings tls) {
        this.api = CoordinatorApi.builder().token(token).tls(tls).connectTimeout(Duration.ofSeconds(3)).build();
        this.base = base;
    }

    static CoordinatorClient locate(@Nullable String url, @Nullable String zk, String token, @Nullable TlsSettings tls,
                                    @Nullable ZkCredentials zkCredentials) throws Exception {
        if (url != null) {
            return new CoordinatorClient(url, token, tls);
        }
        if (zk == null) {
            throw new IllegalArgumentException("give --coordinator URL or --zk HOST:PORT");
        }
        try (CuratorFramework c = ZkClients.newClient(zk, ZkClients.DEFAULT_SESSION_TIMEOUT_MS, zkCredentials)) {
            c.start();
            if (!c.blockUntilConnected(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("cannot reach ZooKeeper at " + zk);
            }
            try (ClusterView v = new ClusterView(c, ZkPaths.defaults(), zkCredentials).start()) {
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

    JsonNode call(String method, String path, @Nullable JsonNode body) throws Exception {
        try {
            return api.call(base, method, path, body);
        } catch (CoordinatorApiException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
