package io.argus.cli.bench;

import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.TaskRequest;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What {@code argus bench} sends: {@code streams} streams with {@code tasks}, {@code window} frames in
 * flight each, at {@code rate} frames/s per stream (0: closed loop), for {@code seconds} measured
 * after {@code warmupSeconds} of unmeasured load.
 */
public record LoadPlan(int streams, List<String> tasks, int window, double rate, int warmupSeconds, int seconds) {
    /** Each stream starts this many frames further into the footage than the one before. */
    static final int STREAM_OFFSET = 17;

    List<TaskRequest> taskRequests() {
        return tasks.stream().map(t -> TaskRequest.newBuilder().setName(t.trim()).build()).toList();
    }

    /**
     * Starts the run's clock: {@code recorder} measures what is captured after the warm-up and
     * before the end. Returns when the load stops, as {@link System#nanoTime()}.
     */
    long start(StageRecorder recorder) {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(warmupSeconds + seconds);
        long measureFromUs = Envelopes.nowMicros() + TimeUnit.SECONDS.toMicros(warmupSeconds);
        recorder.measure(measureFromUs, measureFromUs + TimeUnit.SECONDS.toMicros(seconds));
        return end;
    }

    /** Waits for every stream's pump, with two minutes for the last answers. */
    void await(List<CompletableFuture<Void>> pumps) throws Exception {
        for (CompletableFuture<Void> p : pumps) {
            p.get(seconds + warmupSeconds + 120L, TimeUnit.SECONDS);
        }
    }
}
