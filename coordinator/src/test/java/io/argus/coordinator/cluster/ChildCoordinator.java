package io.argus.coordinator.cluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A coordinator in a child JVM, so that tests can SIGKILL it. */
public final class ChildCoordinator implements AutoCloseable {
    final Process process;
    final String id;
    final int httpPort;

    private ChildCoordinator(Process p, String id, int httpPort) {
        this.process = p;
        this.id = id;
        this.httpPort = httpPort;
    }

    public static ChildCoordinator start(String zk, String id, Path dataDir, int sessionTimeoutMs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Dzookeeper.admin.enableServer=false", "-cp", System.getProperty("java.class.path"),
                "io.argus.coordinator.CoordinatorMain", "--zk", zk, "--id", id, "--http-port", "0",
                "--data-dir", dataDir.toString(), "--bind", "127.0.0.1", "--session-timeout-ms",
                Integer.toString(sessionTimeoutMs)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                String l;
                while ((l = out.readLine()) != null) {
                    if (l.startsWith("COORDINATOR-READY")) {
                        return l;
                    }
                }
            } catch (Exception e) {
                return null;
            }
            return null;
        }).get(60, TimeUnit.SECONDS);
        if (line == null) {
            p.destroyForcibly();
            throw new IllegalStateException("coordinator " + id + " did not start");
        }
        return new ChildCoordinator(p, id, Integer.parseInt(line.replaceAll(".*http=(\\d+).*", "$1")));
    }

    public int httpPort() {
        return httpPort;
    }

    public String id() {
        return id;
    }

    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
