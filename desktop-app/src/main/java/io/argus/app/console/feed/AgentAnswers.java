package io.argus.app.console.feed;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the console's feeds measured of each agent's answers: capture-to-answer latency and whether
 * the answer was load shed (refused as OVERLOADED, or a result flagged degraded). Kept per agent over
 * the last {@link #DEFAULT_WINDOW} answers, so a percentile describes the agent's recent behaviour
 * and memory stays bounded however long the console runs. Thread-safe: the feeds record on their
 * delivery threads, the view model reads on the JavaFX thread.
 */
public final class AgentAnswers {
    /** Answers per agent the percentiles and the shed rate are computed over. */
    public static final int DEFAULT_WINDOW = 512;

    /**
     * One agent's figures over its window.
     *
     * @param answers  answers in the window
     * @param p50Ms    median capture-to-answer latency of the answers that were not shed
     * @param p99Ms    99th percentile of the same
     * @param shedRate fraction of the answers that were shed, 0..1
     */
    public record Figures(int answers, double p50Ms, double p99Ms, double shedRate) {
        public static final Figures NONE = new Figures(0, Double.NaN, Double.NaN, 0);
    }

    private final int window;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();

    public AgentAnswers() {
        this(DEFAULT_WINDOW);
    }

    public AgentAnswers(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1");
        }
        this.window = window;
    }

    /** An answer of {@code agent}, {@code latencyUs} after its frame's capture. */
    public void record(String agent, long latencyUs, boolean shed) {
        if (agent.isEmpty()) {
            return; // a frame that failed before any agent answered says nothing of an agent
        }
        rings.computeIfAbsent(agent, a -> new Ring(window)).add(Math.max(0, latencyUs), shed);
    }

    /** Forgets what was measured of {@code agent}: a new instance under the same id starts afresh. */
    public void forget(String agent) {
        rings.remove(agent);
    }

    public Figures figures(String agent) {
        Ring r = rings.get(agent);
        return r == null ? Figures.NONE : r.figures();
    }

    private static final class Ring {
        private final long[] latencyUs;
        private final boolean[] shed;
        private int next;
        private int size;

        Ring(int window) {
            latencyUs = new long[window];
            shed = new boolean[window];
        }

        synchronized void add(long us, boolean wasShed) {
            latencyUs[next] = us;
            shed[next] = wasShed;
            next = (next + 1) % latencyUs.length;
            size = Math.min(size + 1, latencyUs.length);
        }

        synchronized Figures figures() {
            long[] kept = new long[size];
            int n = 0;
            int sheds = 0;
            for (int i = 0; i < size; i++) {
                if (shed[i]) {
                    sheds++;
                } else {
                    kept[n++] = latencyUs[i];
                }
            }
            if (size == 0) {
                return Figures.NONE;
            }
            long[] sorted = Arrays.copyOf(kept, n);
            Arrays.sort(sorted);
            return new Figures(size, rank(sorted, 0.50), rank(sorted, 0.99), (double) sheds / size);
        }

        /** Nearest-rank percentile in milliseconds, NaN without values. */
        private static double rank(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
        }
    }
}
