package io.argus.media.image;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JavaCPP's refusal of an allocation over its limits is recognised (and answered with a typed
 * error by the pipeline), while any other OutOfMemoryError is not mistaken for it. The refusal is
 * real: an allocation over {@code maxBytes} is refused before any memory is taken.
 */
class NativeMemoryTest {
    @Test
    void javaCppRefusingAnAllocationIsRecognisedAndNothingElseIs() {
        long over = Pointer.maxBytes() + (1L << 20);
        OutOfMemoryError refusal = null;
        try {
            new BytePointer(over).close();
        } catch (OutOfMemoryError e) {
            refusal = e;
        }
        assertThat(refusal).as("JavaCPP refuses %d bytes over maxBytes %d", over, Pointer.maxBytes()).isNotNull();
        assertThat(NativeMemory.isJavaCppLimit(refusal)).isTrue();
        assertThat(NativeMemory.limits()).contains("maxBytes " + Pointer.maxBytes())
                .contains("maxPhysicalBytes " + Pointer.maxPhysicalBytes());

        assertThat(NativeMemory.isJavaCppLimit(new OutOfMemoryError("Java heap space"))).isFalse();
        assertThat(NativeMemory.isJavaCppLimit(new IllegalStateException("x"))).isFalse();
    }
}
