package io.argus.testing;

import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A node agent in a child JVM, so that tests can kill it for real (SIGKILL: no shutdown hook, no
 * deregistration, sockets reset by the kernel).
 */
public final class ChildAgent implements AutoCloseable {
    private final Process process;
    private final String id;
    private final int port;

    private ChildAgent(Process process, String id, int port) {
        this.process = process;
        this.id = id;
        this.port = port;
    }

    public static ChildAgent start(String zk, String name, String... extraArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("--zk", zk, "--name", name, "--bind", "127.0.0.1",
                "--advertise-host", "127.0.0.1", "--workers", "1"));
        args.addAll(List.of(extraArgs));
        ChildJvm.Started s = ChildJvm.start(ChildJvm.command(List.of("-Xmx512m",
                "-Dio.netty.leakDetection.level=paranoid", "-Dzookeeper.admin.enableServer=false"),
                "io.argus.agent.AgentMain", args), name, "AGENT-READY", Duration.ofSeconds(60));
        String line = s.readyLine();
        int port = Integer.parseInt(line.replaceAll(".*port=(\\d+).*", "$1"));
        String id = line.replaceAll(".*id=(\\S+).*", "$1");
        return new ChildAgent(s.process(), id, port);
    }

    public String id() {
        return id;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * SIGSTOP: the process freezes but its sockets stay open, so frames sent to it now are
     * certainly in flight (unanswered) when it is later killed.
     */
    public void freeze() throws Exception {
        Process k = new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).inheritIO().start();
        if (k.waitFor() != 0) {
            throw new IllegalStateException("kill -STOP " + process.pid() + " failed");
        }
    }

    /** SIGCONT: a frozen process runs again, unaware of the time it lost. */
    public void thaw() throws Exception {
        Process k = new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).inheritIO().start();
        if (k.waitFor() != 0) {
            throw new IllegalStateException("kill -CONT " + process.pid() + " failed");
        }
    }

    /** SIGKILL, as a crash or the OOM killer would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the agent drains and deregisters. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
