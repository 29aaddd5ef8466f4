package io.argus.agent.managed;

import io.argus.agent.exec.LaneJob;
import io.argus.agent.net.AgentRuntime;
import io.argus.agent.record.StateClient;
import io.argus.agent.state.StreamState;
import io.argus.cluster.StreamDefinition;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.StateBundle;
import io.github.resilience4j.core.IntervalFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Where a managed stream continues: the coordinators' newest checkpoint of the stream's run, its
 * state imported in the stream's lane (between frames), and the sequence after its
 * {@code last_sequence}; frame 0 with fresh state when a coordinator says there is none. While no
 * coordinator answers, or none is registered, it asks again, backing off, and the stream does not
 * start: only a coordinator knows that there is no checkpoint.
 */
final class ManagedResume {
    private static final Logger log = LoggerFactory.getLogger(ManagedResume.class);

    private final StreamDefinition def;
    private final AgentRuntime rt;
    private final StateClient states;
    private final long epoch;
    private final long run;
    private final IntervalFunction retry;
    private final RunFlags flags;
    /** Told why the stream is still starting, for its reported state. */
    private final Consumer<String> waiting;

    ManagedResume(StreamDefinition def, AgentRuntime rt, StateClient states, long epoch, long run,
                  IntervalFunction retry, RunFlags flags, Consumer<String> waiting) {
        this.def = def;
        this.waiting = waiting;
        this.rt = rt;
        this.states = states;
        this.epoch = epoch;
        this.run = run;
        this.retry = retry;
        this.flags = flags;
    }

    /**
     * Opens the stream's state at the coordinators' newest checkpoint of this run (in the lane,
     * between frames).
     *
     * @return the sequence to continue from, or -1 when the runner was stopped meanwhile or the
     *         lane aborted the opening
     */
    long open() throws InterruptedException {
        StateBundle bundle = null;
        for (int attempt = 1; flags.running; attempt++) {
            StateClient.Lookup found = states.lookup(def.id());
            if (found instanceof StateClient.Lookup.Found f) {
                if (f.bundle().getRun() == run && f.bundle().getHasLastSequence()) {
                    bundle = f.bundle();
                } else {
                    log.info("managed stream {}: the stored checkpoint is of another run; starting at frame 0", def.id());
                }
                break;
            }
            if (found instanceof StateClient.Lookup.None) {
                break;
            }
            String why = found instanceof StateClient.Lookup.Unreachable u ? u.why() : "no answer";
            long wait = retry.apply(attempt);
            log.warn("managed stream {}: {} to hand over its checkpoint; asking again in {} ms", def.id(), why, wait);
            waiting.accept("waiting for a coordinator to hand over its checkpoint (" + why + ", attempt " + attempt + ")");
            Thread.sleep(wait);
        }
        if (!flags.running) {
            return -1;
        }
        StateBundle from = bundle;
        long next = from == null ? 0 : from.getLastSequence() + 1;
        CountDownLatch opened = new CountDownLatch(1);
        String refused = rt.lanes().submit(def.id(), new LaneJob() {
            @Override
            public void run() {
                try {
                    if (from == null) {
                        rt.states().drop(def.id());
                    }
                    StreamState st = rt.states().acquire(def.id(), next - 1);
                    st.open(next, from, run);
                    st.epoch(epoch);
                } finally {
                    opened.countDown();
                }
            }

            @Override
            public void abort(Code code, String reason) {
                opened.countDown();
                flags.broken = true;
            }
        });
        if (refused != null) {
            log.warn("managed stream {}: cannot open ({}); trying again", def.id(), refused);
            Thread.sleep(retry.apply(1));
            return flags.running ? open() : -1;
        }
        opened.await();
        if (flags.broken) {
            return -1;
        }
        log.info("managed stream {}: {} at frame {} (epoch {}, run {})", def.id(),
                from == null ? "starting" : "continuing from the checkpoint of " + from.getAgentId(), next, epoch, run);
        return next;
    }
}
