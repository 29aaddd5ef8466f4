package io.argus.cli;

import io.argus.cli.analyze.JsonLinesWriter;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ManagedState;
import io.argus.cluster.ManagedStatus;
import io.argus.cluster.StreamDefinition;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.cluster.options.ZkAuthOptions;
import io.argus.cluster.ZkCredentials;
import io.argus.protocol.json.ResultJson;
import io.argus.protocol.net.Transport;
import io.argus.cluster.options.TlsOptions;
import io.argus.protocol.v1.Preview;
import io.argus.protocol.v1.Role;
import io.argus.protocol.v1.Subscribe;
import org.apache.curator.framework.CuratorFramework;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code argus watch STREAM}: follows a managed stream's results wherever it runs (one JSON line
 * per frame), resubscribing on the new agent when the stream moves.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Prints a managed stream's results as it is processed.")
public final class WatchCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Stream name.")
    String stream;

    @Mixin
    TlsOptions tls = new TlsOptions();

    @Mixin
    TokenOptions token = new TokenOptions();

    @Mixin
    ZkAuthOptions zkAuth = new ZkAuthOptions();

    @Option(names = "--zk", required = true, description = "ZooKeeper connect string.")
    String zk;

    @Option(names = "--out", description = "Output file (default: standard output).")
    @Nullable Path out;

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this long; 0 = until interrupted.")
    long seconds;

    @Override
    public Integer call() throws Exception {
        var group = Transport.group(1);
        ZkCredentials creds = zkAuth.credentials();
        try (CuratorFramework c = ZkClients.newClient(zk, ZkClients.DEFAULT_SESSION_TIMEOUT_MS, creds);
             JsonLinesWriter w = JsonLinesWriter.open(out)) {
            c.start();
            c.blockUntilConnected(10, TimeUnit.SECONDS);
            try (ClusterView view = new ClusterView(c, ZkPaths.defaults(), creds).start();
                 AgentDirectory dir = new AgentDirectory(c, ZkPaths.defaults(), creds).start()) {
                ClientOptions opts = ClientOptions.builder(group).clientId("watch").role(Role.ROLE_VIEWER).authToken(token.token())
                        .sslContext(tls.settings() == null ? null : tls.settings().clientContext()).build();
                long end = seconds > 0 ? System.currentTimeMillis() + seconds * 1000 : Long.MAX_VALUE;
                String current = null;
                String said = null;
                AgentConnection conn = null;
                while (System.currentTimeMillis() < end) {
                    // a managed stream that sends nothing says why: its agent's reported state, once per change
                    String state = view.stream(stream).filter(StreamDefinition::managed)
                            .map(d -> stateLine(stream, view.managedStatus(stream).orElse(null))).orElse(null);
                    if (state != null && !state.equals(said)) {
                        System.err.println(state);
                        said = state;
                    }
                    String agent = view.assignment(stream).map(a -> a.agent()).orElse(null);
                    if (agent != null && (!agent.equals(current) || conn == null || !conn.isActive())) {
                        if (conn != null) {
                            conn.close();
                        }
                        conn = null;
                        AgentInfo info = dir.agent(agent).orElse(null);
                        if (info != null) {
                            conn = open(info, opts, w);
                            if (conn != null) {
                                current = agent;
                                System.err.println("watching " + stream + " on " + agent);
                            }
                        }
                    }
                    Thread.sleep(200);
                }
                if (conn != null) {
                    conn.close();
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        return 0;
    }

    /** How {@code watch} reports a managed stream's state: its name, state and last error. */
    static String stateLine(String stream, @Nullable ManagedStatus status) {
        if (status == null) {
            return stream + " is starting";
        }
        String line = stream + " is " + status.state().label();
        if (status.state() != ManagedState.STARTING && status.lastError() != null) {
            line += ": " + status.lastError();
        }
        return line;
    }

    /**
     * Connects to the stream's agent and subscribes; null when it cannot be reached (dead but not
     * yet expired from ZooKeeper): the caller keeps watching the assignment, and the leader moves
     * the stream once the agent's session expires.
     */
    private @Nullable AgentConnection open(AgentInfo info, ClientOptions opts, JsonLinesWriter w) throws InterruptedException {
        try {
            AgentConnection c = info.connect(opts, new ConnectionListener() {
                        @Override
                        public void onPreview(AgentConnection cn, Preview p) {
                            var n = ResultJson.MAPPER.createObjectNode();
                            n.put("stream", p.getStreamId()).put("frame", p.getResult().getSourceIndex())
                                    .put("agent", p.getResult().getAgentId())
                                    .put("at_ms", System.currentTimeMillis());
                            if (p.getResult().getDegraded()) {
                                n.put("degraded", true);
                            }
                            n.set("tasks", ResultJson.tasks(p.getResult(), false));
                            w.write(n);
                            w.flush();
                        }
                    }).get(5, TimeUnit.SECONDS);
            c.subscribe(Subscribe.newBuilder().setStreamId(stream).build());
            return c;
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("cannot reach " + info.id() + " (" + e.getMessage() + "); waiting for reassignment");
            return null;
        }
    }
}
