package io.argus.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts a Java main class in a child JVM on this JVM's class path and waits for the line that
 * says it is ready.
 *
 * <p>The child's output (stdout and stderr merged) is read for the child's whole life and echoed
 * into this JVM's output, prefixed by the child's name, so it lands in the test report. Reading
 * must not stop at the ready line: a child whose pipe is not drained blocks in its logger once the
 * pipe's buffer (64 KiB) is full, and a blocked coordinator or agent looks exactly like the
 * liveness defect a fault test is looking for. On the test class path the children log to stdout
 * (testkit's {@code logback-test.xml}), and a ZooKeeper outage alone logs more than 64 KiB.
 */
public final class ChildJvm {
    /** The child and the ready line it printed. */
    public record Started(Process process, String readyLine) {
    }

    private ChildJvm() {
    }

    /** The command that runs {@code mainClass} with this JVM's java and class path. */
    public static List<String> command(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Starts {@code command} and returns once it printed a line starting with {@code readyPrefix}.
     *
     * @throws IllegalStateException if the child exits or stays silent for {@code within}; the
     *     child is killed then
     */
    public static Started start(List<String> command, String name, String readyPrefix, Duration within)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> echo(p, name, readyPrefix, ready), "child-" + name + "-out");
        reader.setDaemon(true);
        reader.start();
        try {
            String line = ready.get(within.toMillis(), TimeUnit.MILLISECONDS);
            if (line != null) {
                return new Started(p, line);
            }
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // reported below
        }
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException("child " + name + " did not print " + readyPrefix + " within " + within);
    }

    private static void echo(Process p, String name, String readyPrefix, CompletableFuture<String> ready) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println("[" + name + "] " + line);
                if (!ready.isDone() && line.startsWith(readyPrefix)) {
                    ready.complete(line);
                }
            }
        } catch (IOException e) {
            // the child is gone
        } finally {
            ready.complete(null);
        }
    }
}
