package io.argus.agent.embedded;

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
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private final ZooKeeperServerEmbedded server;
    private final Path dir;
    private final boolean deleteOnClose;
    private final int port;

    private EmbeddedZooKeeper(Path dir, boolean deleteOnClose, int port, String bind) throws Exception {
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
        this.server = ZooKeeperServerEmbedded.builder().baseDir(dir).configuration(p)
                .exitHandler(ExitHandler.LOG_ONLY).build();
        server.start(10_000);
    }

    public static EmbeddedZooKeeper start() throws Exception {
        return new EmbeddedZooKeeper(Files.createTempDirectory("argus-zk"), true, 0, "127.0.0.1");
    }

    /** A server keeping its data in {@code dir}, on a given port (0 = free) and address. */
    public static EmbeddedZooKeeper start(Path dir, int port, String bind) throws Exception {
        Files.createDirectories(dir);
        return new EmbeddedZooKeeper(dir, false, port, bind);
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
