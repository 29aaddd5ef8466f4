package io.argus.coordinator.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker (Debian's {@code mosquitto}, which {@code bin/argus test} installs) on a
 * loopback port, with its own configuration and persistence directory; no system service.
 * Stopping it with SIGTERM writes its persistent sessions, which a restart on the same directory
 * reads back, as a broker that was down and came up again.
 */
final class MosquittoBroker implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path dir;
    private final int port;
    private int tlsPort;
    private Process process;

    MosquittoBroker(Path dir) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("Mosquitto is not installed (" + BINARY + "): apt-get install mosquitto, "
                    + "or run bin/argus test, which installs it");
        }
        this.dir = Files.createDirectories(dir);
        this.port = freePort();
        Files.writeString(dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous true\n"
                // started as root, it would switch to user mosquitto, who cannot read this directory or the keys
                + "user " + System.getProperty("user.name") + "\n"
                + "persistence true\n"
                + "persistence_location " + dir + "/\n"
                + "log_dest file " + dir.resolve("mosquitto.log") + "\n");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /**
     * Adds a TLS listener with node {@code name}'s certificate from {@code pki} (as
     * {@code bin/argus certs} writes it) that demands a client certificate from the same CA.
     */
    MosquittoBroker withTls(Path pki, String name) throws IOException {
        tlsPort = freePort();
        Files.writeString(dir.resolve("mosquitto.conf"), "listener " + tlsPort + " 127.0.0.1\n"
                + "cafile " + pki.resolve("ca.pem") + "\n"
                + "certfile " + pki.resolve(name + ".pem") + "\n"
                + "keyfile " + pki.resolve(name + ".key") + "\n"
                + "require_certificate true\n", java.nio.file.StandardOpenOption.APPEND);
        return this;
    }

    /**
     * Requires a user name and password on the plain listener: anonymous clients are refused, and
     * the one user is in a password file made by Mosquitto's own {@code mosquitto_passwd}.
     */
    MosquittoBroker withPassword(String user, String password) throws IOException, InterruptedException {
        Path file = dir.resolve("passwords");
        Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", file.toString(), user, password)
                .redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("mosquitto_passwd failed: " + new String(p.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        String conf = Files.readString(dir.resolve("mosquitto.conf")).replace("allow_anonymous true\n",
                "allow_anonymous false\npassword_file " + file + "\n");
        Files.writeString(dir.resolve("mosquitto.conf"), conf);
        return this;
    }

    String tlsUrl() {
        return "ssl://127.0.0.1:" + tlsPort;
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    MosquittoBroker start() throws IOException, InterruptedException {
        process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + Files.readString(dir.resolve("stdout.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on " + port);
    }

    /** SIGTERM: the broker saves its persistent sessions and exits. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
