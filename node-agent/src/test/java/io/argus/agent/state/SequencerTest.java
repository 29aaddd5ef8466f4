package io.argus.agent.state;

import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.StateBundle;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SequencerTest {
    static Envelope answer(long seq) {
        return Envelope.newBuilder().setFrameResult(FrameResult.newBuilder().setSequence(seq)).build();
    }

    @Test
    void appliesOnlyTheNextFrameAndRefusesHolesAndRepeats() {
        Sequencer s = new Sequencer();
        assertThat(s.check(3)).isEqualTo(Sequencer.Verdict.NOT_OPEN);
        assertThat(s.isOpen()).isFalse();
        assertThat(s.check(0)).isEqualTo(Sequencer.Verdict.APPLY); // frame 0 opens implicitly
        s.applied(0, answer(0));
        assertThat(s.check(2)).isEqualTo(Sequencer.Verdict.AHEAD);
        assertThat(s.next()).isEqualTo(1);
        assertThat(s.check(0)).isEqualTo(Sequencer.Verdict.DUPLICATE);
        assertThat(s.answer(0)).isEqualTo(answer(0));
        assertThat(s.check(1)).isEqualTo(Sequencer.Verdict.APPLY);
        assertThatThrownBy(() -> s.applied(2, answer(2))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFrameNotAppliedKeepsTheStreamWaitingForIt() {
        Sequencer s = new Sequencer();
        s.check(0);
        s.applied(0, answer(0));
        // frame 1 timed out in the queue: not applied; frames 2 and 3, queued behind it, are refused
        assertThat(s.check(1)).isEqualTo(Sequencer.Verdict.APPLY);
        assertThat(s.check(2)).isEqualTo(Sequencer.Verdict.AHEAD);
        assertThat(s.check(3)).isEqualTo(Sequencer.Verdict.AHEAD);
        assertThat(s.next()).isEqualTo(1);
    }

    @Test
    void storedAnswersAreBoundedByCountAndBytes() {
        Sequencer byCount = new Sequencer(4, 1 << 20);
        for (long i = 0; i < 10; i++) {
            byCount.check(i);
            byCount.applied(i, answer(i));
        }
        assertThat(byCount.check(5)).isEqualTo(Sequencer.Verdict.BEHIND);
        assertThat(byCount.check(6)).isEqualTo(Sequencer.Verdict.DUPLICATE);
        int size = answer(1).getSerializedSize();
        Sequencer byBytes = new Sequencer(1000, 3L * size);
        for (long i = 0; i < 10; i++) {
            byBytes.check(i);
            byBytes.applied(i, answer(i));
        }
        assertThat(byBytes.answer(6)).isNull();
        assertThat(byBytes.answer(9)).isNotNull();
    }

    @Test
    void openKeepsHeldStateNeverRewindsAndJumpsOnlyForward() {
        try (StreamStateStore store = new StreamStateStore(Duration.ofMinutes(1))) {
            StreamState st = store.acquire("s", -1);
            assertThat(st.open(0, null)).isEqualTo(0);
            for (long i = 0; i < 5; i++) {
                st.sequencer().check(i);
                st.sequencer().applied(i, answer(i));
            }
            // the same client reconnects and resends from 3: kept; 3 and 4 are answered from store
            assertThat(st.open(3, null)).isEqualTo(5);
            assertThat(st.sequencer().check(3)).isEqualTo(Sequencer.Verdict.DUPLICATE);
            // a client that no longer has 5..7 moves the stream on: an explicit gap
            assertThat(st.open(8, null)).isEqualTo(8);
            assertThat(st.sequencer().gaps()).isEqualTo(1);
        }
    }

    @Test
    void aCheckpointOpensTheStreamRightAfterItsLastSequence() {
        try (StreamStateStore store = new StreamStateStore(Duration.ofMinutes(1))) {
            StateBundle bundle = StateBundle.newBuilder().setStreamId("s").setLastSequence(41).setHasLastSequence(true).build();
            StreamState st = store.acquire("s", -1);
            assertThat(st.open(42, bundle)).isEqualTo(42);
            assertThat(st.sequencer().gaps()).isZero();
            // the client holds frames only from 45: the checkpoint's state, continued there
            StreamState other = store.acquire("t", -1);
            assertThat(other.open(45, bundle.toBuilder().setStreamId("t").build())).isEqualTo(45);
            assertThat(other.sequencer().gaps()).isEqualTo(1);
            // the bundle it exports names the last applied sequence
            assertThat(st.export("a", 0).getLastSequence()).isEqualTo(41);
            assertThat(st.export("a", 0).getHasLastSequence()).isTrue();
        }
    }

    @Test
    void stateOfAnotherRunIsNeverContinued() {
        try (StreamStateStore store = new StreamStateStore(Duration.ofMinutes(1))) {
            StreamState st = store.acquire("s", -1);
            st.open(0, null, 111);
            for (long i = 0; i < 5; i++) {
                st.sequencer().check(i);
                st.sequencer().applied(i, answer(i));
            }
            // the same run reconnects: kept
            assertThat(st.open(5, null, 111)).isEqualTo(5);
            assertThat(st.sequencer().check(4)).isEqualTo(Sequencer.Verdict.DUPLICATE);
            // a new session of the same stream name starts over, even without saying "fresh"
            assertThat(st.open(0, null, 222)).isEqualTo(0);
            assertThat(st.sequencer().check(0)).isEqualTo(Sequencer.Verdict.APPLY);
            assertThat(st.run()).isEqualTo(222);
            assertThat(st.export("a", 0).getRun()).isEqualTo(222);
        }
    }
}
