package io.argus.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An agent as a child JVM started from this jar, so that it can be SIGKILLed for real. */
final class AgentProcess {
    final Process process;

    private AgentProcess(Process p) {
        this.process = p;
    }

    /** Starts the agent with its output in {@code log}; returns once it has registered (60 s at most). */
    static AgentProcess start(String zk, String name, int workers, Path log) throws Exception {
        return start(zk, name, workers, log, List.of());
    }

    /**
     * As above, with extra agent options (e.g. {@code --shed-cpu 0}). JVM options for the agent
     * (a profiler, say) come from the environment variable {@code ARGUS_AGENT_JAVA_OPTS}, in which
     * {@code %n} stands for the agent's name.
     */
    static AgentProcess start(String zk, String name, int workers, Path log, List<String> agentArgs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch",
                "-XX:+ExitOnOutOfMemoryError", // as bin/argus: a broken agent dies and is seen to die
                // JavaCPP's limits sized on purpose, as bin/argus does (RELIABILITY.md, "Native memory"):
                // heap 256 MiB + stream state 1 GiB + maxBytes 1 GiB + 1.5 GiB native and JVM overhead
                "-Dorg.bytedeco.javacpp.maxBytes=1g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=3840m",
                "-XX:ErrorFile=" + log.resolveSibling(name + "-hs_err_pid%p.log")));
        String jvmOpts = System.getenv("ARGUS_AGENT_JAVA_OPTS");
        if (jvmOpts != null && !jvmOpts.isBlank()) {
            for (String o : jvmOpts.trim().split("\\s+")) {
                cmd.add(o.replace("%n", name));
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.argus.cli.ArgusLauncher", "agent",
                "--zk", zk, "--name", name, "--bind", "127.0.0.1", "--advertise-host", "127.0.0.1",
                "--workers", Integer.toString(workers), "--metrics-port", "0"));
        cmd.addAll(agentArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // as bin/argus agent does: 2 unless the environment says otherwise
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log, StandardCharsets.UTF_8).contains("AGENT-READY id=" + name)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("agent " + name + " exited before it was ready; see " + log);
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("agent " + name + " did not start within 60 s; see " + log);
            }
            Thread.sleep(100);
        }
        return new AgentProcess(p);
    }

    double rssBytes() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024.0;
                }
            }
        } catch (Exception e) {
            // gone or not Linux
        }
        return Double.NaN;
    }

    /**
     * Makes the agent run a full collection ({@code jcmd PID GC.run}, i.e. {@code System.gc()}),
     * so that the heap in use afterwards is what is live, not where the collector happened to be
     * in its cycle. Returns false when the JDK has no {@code jcmd} or it did not answer in 20 s.
     */
    boolean collectGarbage() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd) || !process.isAlive()) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** SIGTERM, as an operator's stop: the agent drains and exits; SIGKILL after {@code graceSeconds}. */
    void stop(int graceSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            kill();
        }
    }

    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
