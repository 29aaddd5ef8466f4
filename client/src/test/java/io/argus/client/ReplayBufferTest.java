package io.argus.client;

import io.argus.protocol.v1.FrameRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The frames kept for replay: covered by a confirmed checkpoint, or bounded, and always released. */
class ReplayBufferTest {
    final List<ByteBuf> buffers = new ArrayList<>();

    PendingFrame frame(long seq, int bytes) {
        PendingFrame p = new PendingFrame(seq, FrameRequest.getDefaultInstance(), 0, null, 0);
        p.wire = Unpooled.buffer(bytes).writeZero(bytes);
        buffers.add(p.wire);
        return p;
    }

    @Test
    void keepsFramesUntilACheckpointCoversThem() {
        ReplayBuffer b = new ReplayBuffer(ReplayConfig.DEFAULT);
        for (long i = 0; i < 10; i++) {
            assertThat(b.retain(frame(i, 100))).isTrue();
        }
        assertThat(b.bytes()).isEqualTo(1000);
        b.confirm(5);
        assertThat(b.first()).isEqualTo(6);
        assertThat(b.size()).isEqualTo(4);
        assertThat(buffers.subList(0, 6)).allMatch(x -> x.refCnt() == 0);
        // a frame a confirmed checkpoint covers is not kept at all
        PendingFrame old = frame(3, 100);
        assertThat(b.retain(old)).isFalse();
        old.release();
        b.clear();
        assertThat(buffers).allMatch(x -> x.refCnt() == 0);
        assertThat(b.bytes()).isZero();
    }

    @Test
    void forgetsTheOldestPastEitherBoundAndCountsIt() {
        ReplayBuffer byFrames = new ReplayBuffer(new ReplayConfig(3, 1 << 20));
        for (long i = 0; i < 5; i++) {
            byFrames.retain(frame(i, 10));
        }
        assertThat(byFrames.first()).isEqualTo(2);
        assertThat(byFrames.evicted()).isEqualTo(2);
        ReplayBuffer byBytes = new ReplayBuffer(new ReplayConfig(1000, 250));
        for (long i = 0; i < 5; i++) {
            byBytes.retain(frame(i, 100));
        }
        assertThat(byBytes.size()).isEqualTo(2);
        assertThat(byBytes.bytes()).isEqualTo(200);
        byFrames.clear();
        byBytes.clear();
        assertThat(buffers).allMatch(x -> x.refCnt() == 0);
    }

    @Test
    void aRestoredCheckpointDropsWhatItHoldsAndMarksTheRestForResending() {
        ReplayBuffer b = new ReplayBuffer(ReplayConfig.DEFAULT);
        for (long i = 0; i < 6; i++) {
            b.retain(frame(i, 10));
        }
        b.dropBelow(4);
        b.resendAll();
        assertThat(b.frames()).extracting(p -> p.seq).containsExactly(4L, 5L);
        assertThat(b.frames()).allMatch(p -> p.orphaned && p.sentOn == null && p.delivered);
        b.clear();
    }

    /**
     * A frame delivered from the answer of an agent the stream has left (draining after Goodbye,
     * after the stream reopened elsewhere from an earlier sequence) is kept still marked for
     * sending: the new agent has not applied it (LateAnswerReplayTest, over real agents).
     */
    @Test
    void keepingAFrameLeavesItMarkedForSendingIfItWas() {
        ReplayBuffer b = new ReplayBuffer(ReplayConfig.DEFAULT);
        PendingFrame lateAnswer = frame(7, 10);
        lateAnswer.orphaned = true;
        PendingFrame answered = frame(8, 10);
        assertThat(b.retain(lateAnswer)).isTrue();
        assertThat(b.retain(answered)).isTrue();
        assertThat(lateAnswer.orphaned).isTrue();
        assertThat(answered.orphaned).isFalse();
        assertThat(b.frames()).allMatch(p -> p.delivered);
        b.clear();
    }

    @Test
    void aHeldFrameAnAgentWaitsForIsMarkedForSendingOnce() {
        ReplayBuffer b = new ReplayBuffer(ReplayConfig.DEFAULT);
        for (long i = 0; i < 3; i++) {
            b.retain(frame(i, 10));
        }
        assertThat(b.resend(1)).isTrue();
        assertThat(b.resend(1)).as("already marked").isFalse();
        assertThat(b.resend(7)).as("not held").isFalse();
        assertThat(b.frames()).filteredOn(p -> p.orphaned).extracting(p -> p.seq).containsExactly(1L);
        b.clear();
        assertThat(buffers).allMatch(x -> x.refCnt() == 0);
    }
}
