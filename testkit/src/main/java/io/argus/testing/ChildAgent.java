package io.argus.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dio.netty.leakDetection.level=paranoid",
                "-Dzookeeper.admin.enableServer=false",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"),
                "io.argus.agent.AgentMain", "--zk", zk, "--name", name, "--bind", "127.0.0.1",
                "--advertise-host", "127.0.0.1", "--workers", "1"));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println("[" + name + "] " + line);
                    if (line.startsWith("AGENT-READY")) {
                        drain(out, name);
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String line = ready.get(60, TimeUnit.SECONDS);
        if (line == null) {
            p.destroyForcibly();
            throw new IllegalStateException("child agent " + name + " did not start");
        }
        int port = Integer.parseInt(line.replaceAll(".*port=(\\d+).*", "$1"));
        String id = line.replaceAll(".*id=(\\S+).*", "$1");
        return new ChildAgent(p, id, port);
    }

    /**
     * Keeps reading the child's output into this JVM's (the test report): a child whose pipe is
     * not drained blocks in its logger once the pipe's buffer (64 KiB) is full.
     */
    private static void drain(BufferedReader out, String name) {
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println("[" + name + "] " + line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        }, "child-agent-" + name + "-out");
        t.setDaemon(true);
        t.start();
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
