package io.argus.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for tests and benchmarks: Debian's {@code postgresql} package (which
 * {@code bin/argus test} installs), its own data directory, listening on a free loopback port and a
 * socket in that directory, with password authentication (SCRAM) for one user. No system service
 * and no shared cluster: {@link #close()} stops it and deletes the directory.
 *
 * <p>PostgreSQL refuses to run as root; when the tests run as root (a CI container) the server
 * runs as the {@code postgres} user that the package creates, through {@code runuser}.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Path INSTALL = Path.of("/usr/lib/postgresql");
    public static final String USER = "argus";
    public static final String DATABASE = "argus";

    private final Path dir;
    private final Path bin;
    private final int port;
    private final String password;
    private final boolean asPostgresUser;
    /** The server's options: its socket directory, port, loopback only (and fsync off for tests). */
    private String serverOptions = "";

    private PostgresServer(Path dir, Path bin, int port, String password, boolean asPostgresUser) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.password = password;
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * Creates the cluster ({@code initdb}), starts the server and creates database {@link #DATABASE},
     * without {@code fsync}: a test's server dies with its directory, and its durability is not what
     * the test measures.
     */
    public static PostgresServer start() throws IOException, InterruptedException {
        return start(false);
    }

    /** As {@link #start()}; {@code durable} keeps PostgreSQL's default {@code fsync=on} (benchmarks). */
    public static PostgresServer start(boolean durable) throws IOException, InterruptedException {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("argus-pg"); // 0700, under /tmp: reachable by the postgres user
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, password + "\n");
        Path data = dir.resolve("data");
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), dir, false);
        }
        PostgresServer pg = new PostgresServer(dir, bin, freePort(), password, root);
        pg.pg(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=scram-sha-256",
                "--pwfile=" + pwfile, "-E", "UTF8", "--no-sync"));
        Files.delete(pwfile);
        pg.serverOptions = "-k " + dir + " -p " + pg.port + " -c listen_addresses=127.0.0.1" + (durable ? "" : " -c fsync=off");
        pg.restart();
        pg.pg(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(pg.port), "-U", USER,
                DATABASE));
        return pg;
    }

    /** The newest installed major version's binaries. */
    private static Path binaries() throws IOException {
        if (!Files.isDirectory(INSTALL)) {
            throw new IllegalStateException("PostgreSQL is not installed (" + INSTALL + "): apt-get install postgresql, "
                    + "or run bin/argus test, which installs it");
        }
        try (Stream<Path> versions = Files.list(INSTALL)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no initdb under " + INSTALL));
        }
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates another (empty) database on this server, for a test that needs one of its own; returns its URL. */
    public String createDatabase(String name) throws IOException, InterruptedException {
        if (!name.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("database name '" + name + "'");
        }
        pg(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, name));
        return jdbcUrl(name);
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** Runs {@code command} as the server's user, with the password for client tools in the environment. */
    private void pg(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            // runuser keeps the environment (but HOME, SHELL, USER, LOGNAME), so PGPASSWORD reaches the tool
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full, dir, true, password);
    }

    private static void run(List<String> command, Path dir, boolean withPassword) throws IOException, InterruptedException {
        run(command, dir, withPassword, "");
    }

    private static void run(List<String> command, Path dir, boolean withPassword, String password)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        if (withPassword) {
            pb.environment().put("PGPASSWORD", password);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(6, command.size())))
                    + " failed: " + out);
        }
    }

    private void awaitPort() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("PostgreSQL did not listen on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Stops the server (fast shutdown: open sessions are ended), keeping its data: an outage. */
    public void stop() throws IOException, InterruptedException {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
    }

    /** Starts the server (again, after {@link #stop()}) on its port and data. */
    public void restart() throws IOException, InterruptedException {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "30", "-o", serverOptions, "start"));
        awaitPort();
    }

    /** Stops the server (fast shutdown: open sessions are ended) and deletes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                    "stop"));
        } catch (IllegalStateException alreadyStopped) {
            // stopped by the test (an outage it did not end): the directory still goes
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
