package io.argus.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Proves that {@link LeakCheck} can fail: a buffer dropped without release must be reported. */
class LeakCheckSelfTest {
    @Test
    void aDroppedBufferIsReported() {
        LeakCheck.reset();
        leak();
        assertThatThrownBy(LeakCheck::assertNoLeaks).isInstanceOf(AssertionError.class)
                .hasMessageContaining("leak");
        LeakCheck.reset();
    }

    private static void leak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(128);
        b.writeInt(1);
    }
}
