package io.argus.coordinator.cluster;

import io.argus.testing.ChildJvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A coordinator in a child JVM, so that tests can SIGKILL it. Its output is echoed with its id as prefix. */
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
        ChildJvm.Started s = ChildJvm.start(ChildJvm.command(List.of("-Xmx384m", "-Dzookeeper.admin.enableServer=false"),
                "io.argus.coordinator.CoordinatorMain", List.of("--zk", zk, "--id", id, "--http-port", "0",
                        "--data-dir", dataDir.toString(), "--bind", "127.0.0.1", "--session-timeout-ms",
                        Integer.toString(sessionTimeoutMs))), id, "COORDINATOR-READY", Duration.ofSeconds(60));
        return new ChildCoordinator(s.process(), id, Integer.parseInt(s.readyLine().replaceAll(".*http=(\\d+).*", "$1")));
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
