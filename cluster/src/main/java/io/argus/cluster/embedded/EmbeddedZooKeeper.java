package io.argus.cluster.embedded;

import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * An in-process ZooKeeper server on a free loopback port, for the embedded default and tests.
 * tickTime is 500 ms so that sessions may be as short as 1 s (the server clamps session timeouts
 * to [2, 20] x tickTime). The admin HTTP server is off (it would take port 8080).
 *
 * <p>The embedded default ({@code demo}, {@code zk}, the agent's {@code LocalCluster}) starts it requiring
 * authentication ({@link #ENFORCE_AUTH_SCHEME}): ZooKeeper then closes the session of a client that
 * has not authenticated with that scheme at its first request, so an anonymous local user can
 * neither read nor register anything. Digest ACLs (the run's {@code ZkCredentials}) then decide
 * what an authenticated client may do.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private final ZooKeeperServerEmbedded server;
    private final Path dir;
    private final boolean deleteOnClose;
    private final int port;
    private final boolean requiresAuth;

    /** The scheme an enforcing server requires of every session: ZooKeeper's digest (user:password). */
    public static final String ENFORCE_AUTH_SCHEME = "digest";
    /** ZooKeeper reads these as system properties when a server is built (AuthenticationHelper). */
    static final String ENFORCE_AUTH_ENABLED_PROPERTY = "zookeeper.enforce.auth.enabled";
    static final String ENFORCE_AUTH_SCHEMES_PROPERTY = "zookeeper.enforce.auth.schemes";
    private static final Object PROPERTY_LOCK = new Object();

    private EmbeddedZooKeeper(Path dir, boolean deleteOnClose, int port, String bind, boolean requireAuth)
            throws Exception {
        this.dir = dir;
        this.deleteOnClose = deleteOnClose;
        this.port = port > 0 ? port : freePort();
        Properties p = new Properties();
        p.setProperty("clientPort", Integer.toString(this.port));
        p.setProperty("clientPortAddress", bind);
        p.setProperty("tickTime", "500");
        p.setProperty("initLimit", "10");
        p.setProperty("syncLimit", "5");
        p.setProperty("admin.enableServer", "false");
        p.setProperty("maxClientCnxns", "0");
        System.setProperty("zookeeper.admin.enableServer", "false");
        this.requiresAuth = requireAuth;
        // ZooKeeper takes enforce.auth only from system properties read while the server is built, so
        // they are set for this start only and put back: other servers in the JVM (tests) stay as they were
        synchronized (PROPERTY_LOCK) {
            String enabled = System.getProperty(ENFORCE_AUTH_ENABLED_PROPERTY);
            String schemes = System.getProperty(ENFORCE_AUTH_SCHEMES_PROPERTY);
            System.setProperty(ENFORCE_AUTH_ENABLED_PROPERTY, Boolean.toString(requireAuth));
            System.setProperty(ENFORCE_AUTH_SCHEMES_PROPERTY, ENFORCE_AUTH_SCHEME);
            try {
                this.server = ZooKeeperServerEmbedded.builder().baseDir(dir).configuration(p)
                        .exitHandler(ExitHandler.LOG_ONLY).build();
                server.start(10_000);
            } finally {
                restore(ENFORCE_AUTH_ENABLED_PROPERTY, enabled);
                restore(ENFORCE_AUTH_SCHEMES_PROPERTY, schemes);
            }
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    /** An open server (anyone may connect) in a temporary folder: benchmarks and tests of open clusters. */
    public static EmbeddedZooKeeper start() throws Exception {
        return new EmbeddedZooKeeper(Files.createTempDirectory("argus-zk"), true, 0, "127.0.0.1", false);
    }

    /** A server in a temporary folder that requires digest authentication of every session. */
    public static EmbeddedZooKeeper startRequiringAuth() throws Exception {
        return new EmbeddedZooKeeper(Files.createTempDirectory("argus-zk"), true, 0, "127.0.0.1", true);
    }

    /** An open server keeping its data in {@code dir}, on a given port (0 = free) and address. */
    public static EmbeddedZooKeeper start(Path dir, int port, String bind) throws Exception {
        return start(dir, port, bind, false);
    }

    /** As above; with {@code requireAuth} every session must authenticate with digest credentials. */
    public static EmbeddedZooKeeper start(Path dir, int port, String bind, boolean requireAuth) throws Exception {
        Files.createDirectories(dir);
        return new EmbeddedZooKeeper(dir, false, port, bind, requireAuth);
    }

    /** The server's data folder. */
    public Path dataDir() {
        return dir;
    }

    public boolean requiresAuth() {
        return requiresAuth;
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.close();
        if (deleteOnClose) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
