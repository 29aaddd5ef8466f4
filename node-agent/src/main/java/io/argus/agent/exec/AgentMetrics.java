package io.argus.agent.exec;

import io.argus.protocol.v1.Code;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/** The agent's Micrometer registry (Prometheus format) and the meters it records. */
public final class AgentMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final String agentId;

    public AgentMetrics(String agentId) {
        this.agentId = agentId;
        registry.config().commonTags("agent", agentId);
        // what an operator (and bin/argus soak) watches for leaks: heap and direct buffers, threads,
        // open file descriptors, and resident memory, which also counts OpenCV's native buffers
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Gauge.builder("argus.process.rss", AgentMetrics::residentBytes)
                .baseUnit("bytes").description("resident set size (Linux /proc/self/status VmRSS)").register(registry);
    }

    /** Resident set size of this process in bytes, or NaN where /proc is not available. */
    public static double residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return Double.NaN;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public String agentId() {
        return agentId;
    }

    public void task(String task, Code status, long nanos) {
        Timer.builder("argus.agent.task").tag("task", task).tag("status", status.name())
                .publishPercentiles(0.5, 0.95, 0.99).distributionStatisticExpiry(Duration.ofMinutes(1))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void stage(String stage, long nanos) {
        Timer.builder("argus.agent.stage").tag("stage", stage)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void frame(Code status) {
        Counter.builder("argus.agent.frames").tag("status", status.name()).register(registry).increment();
    }

    public void rejected(Code code, String reason) {
        Counter.builder("argus.agent.rejected").tag("code", code.name()).tag("reason", reason)
                .register(registry).increment();
    }

    /** A task stopped at a stage boundary for going over its processing budget. */
    public void budgetExceeded(String task) {
        Counter.builder("argus.agent.budget.exceeded").tag("task", task)
                .description("tasks stopped for going over AgentConfig.taskBudgetMs").register(registry).increment();
    }

    /** A worker given up on by the watchdog (busy on one job past budget + grace) and replaced. */
    public void workerStuck() {
        Counter.builder("argus.agent.workers.stuck")
                .description("workers given up as stuck and replaced").register(registry).increment();
    }

    /** A resend of a frame already applied, answered from the stored answer (not applied again). */
    public void replayedAnswer() {
        Counter.builder("argus.agent.frames.replayed").register(registry).increment();
    }

    /** A counter read from a count kept elsewhere (monotonic). */
    public <T> void countFrom(String name, String description, T obj, ToDoubleFunction<T> count) {
        FunctionCounter.builder(name, obj, count).description(description).register(registry);
    }

    public void gauge(String name, Supplier<Number> value) {
        Gauge.builder(name, value).register(registry);
    }
}
