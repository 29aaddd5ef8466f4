package io.argus.protocol.codec;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import io.argus.testing.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.PreferHeapByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameCodecTest {
    private static final int MAX = 4096;

    @BeforeEach
    void reset() {
        LeakCheck.reset();
    }

    @AfterEach
    void noLeaks() {
        LeakCheck.assertNoLeaks();
    }

    private static EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        FrameCodec.install(ch.pipeline(), MAX);
        return ch;
    }

    static Envelope frame(long seq, int imageBytes) {
        byte[] img = new byte[imageBytes];
        new Random(seq).nextBytes(img);
        return Envelope.newBuilder().setFrameRequest(FrameRequest.newBuilder()
                .setStreamId("cam-" + seq % 3).setSequence(seq).setCaptureTimeUs(123456789L + seq)
                .setImage(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(img))
                        .setWidth(640).setHeight(480))
                .addTasks(TaskRequest.newBuilder().setName("color").putParams("k", "3"))
                .setConfigVersion(7)).build();
    }

    /** What protobuf's own writeDelimitedTo produces: the interop contract of the wire format. */
    static byte[] delimited(Envelope... envelopes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Envelope e : envelopes) {
            e.writeDelimitedTo(out);
        }
        return out.toByteArray();
    }

    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> in = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            in.add(o);
        }
        return in;
    }

    @Test
    void encoderWritesExactlyWhatWriteDelimitedToWrites() throws IOException {
        EmbeddedChannel ch = channel();
        Envelope e = frame(1, 300);
        ch.writeOutbound(e);
        ByteBuf out = Unpooled.buffer();
        ByteBuf part;
        while ((part = ch.readOutbound()) != null) {
            out.writeBytes(part);
            part.release();
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        assertThat(bytes).isEqualTo(delimited(e));
        assertThat(Envelope.parseDelimitedFrom(new ByteArrayInputStream(bytes))).isEqualTo(e);
        ch.finishAndReleaseAll();
    }

    @Test
    void decodesWhenInputIsSplitAtEveryByte() throws IOException {
        Envelope a = frame(1, 200);
        Envelope b = Envelopes.ping(42);
        Envelope c = frame(2, 1000);
        byte[] wire = delimited(a, b, c);
        for (int split = 0; split <= wire.length; split++) {
            EmbeddedChannel ch = channel();
            ByteBuf first = Unpooled.copiedBuffer(wire, 0, split);
            ByteBuf second = Unpooled.copiedBuffer(wire, split, wire.length - split);
            ch.writeInbound(first);
            ch.writeInbound(second);
            assertThat(drain(ch)).as("split at %d", split).containsExactly(a, b, c);
            assertThat(ch.finish()).isFalse();
            // (an empty buffer is the shared EMPTY_BUFFER, whose count never drops)
            assertThat(split == 0 || first.refCnt() == 0).isTrue();
            assertThat(split == wire.length || second.refCnt() == 0).isTrue();
        }
    }

    @Test
    void decodesWhenFedOneByteAtATime() throws IOException {
        Envelope a = frame(5, 700);
        byte[] wire = delimited(a, a);
        EmbeddedChannel ch = channel();
        for (byte value : wire) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{value}));
        }
        assertThat(drain(ch)).containsExactly(a, a);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void oversizedFrameIsSkippedWithoutBufferingAndTheNextFrameStillDecodes() throws IOException {
        Envelope big = frame(9, MAX * 3);
        Envelope after = frame(10, 100);
        byte[] wire = delimited(big, after);
        EmbeddedChannel ch = channel();
        // feed in small chunks so that the decoder must discard across reads
        for (int off = 0; off < wire.length; off += 333) {
            int n = Math.min(333, wire.length - off);
            ch.writeInbound(Unpooled.copiedBuffer(wire, off, n));
            // never holds more than one chunk: the oversize body is skipped, not accumulated
        }
        List<Object> msgs = drain(ch);
        assertThat(msgs).hasSize(2);
        assertThat(msgs.get(0)).isInstanceOf(OversizedFrame.class);
        assertThat(((OversizedFrame) msgs.get(0)).declaredLength()).isEqualTo(big.getSerializedSize());
        assertThat(((OversizedFrame) msgs.get(0)).limit()).isEqualTo(MAX);
        assertThat(msgs.get(1)).isEqualTo(after);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void hugeDeclaredLengthIsRefusedBeforeAllocating() {
        EmbeddedChannel ch = channel();
        // varint for 2^31-1: the decoder must not try to allocate or wait for 2 GiB
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 1, 2, 3}));
        List<Object> msgs = drain(ch);
        assertThat(msgs).singleElement().isInstanceOf(OversizedFrame.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void malformedProtobufBecomesMalformedEnvelopeAndTheConnectionGoesOn() throws IOException {
        EmbeddedChannel ch = channel();
        byte[] garbage = {0x05, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        Envelope ok = Envelopes.ping(7);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(garbage);
        in.writeBytes(delimited(ok));
        ch.writeInbound(in);
        List<Object> msgs = drain(ch);
        assertThat(msgs).hasSize(2);
        assertThat(msgs.get(0)).isInstanceOf(MalformedEnvelope.class);
        assertThat(msgs.get(1)).isEqualTo(ok);
        assertThat(in.refCnt()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void emptyEnvelopeIsMalformed() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{0x00}));
        assertThat(drain(ch)).singleElement().isInstanceOf(MalformedEnvelope.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void lengthPrefixLongerThanFiveBytesIsCorrupt() {
        EmbeddedChannel ch = channel();
        ByteBuf in = Unpooled.wrappedBuffer(new byte[]{(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01});
        assertThatThrownBy(() -> ch.writeInbound(in)).isInstanceOf(DecoderException.class);
        ch.finishAndReleaseAll();
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void randomMutationsNeverEscapeAsAnythingButTypedOutcomes() throws IOException {
        Random rnd = new Random(2026);
        byte[] valid = delimited(frame(1, 500), Envelopes.ping(1), frame(2, 50));
        int outcomes = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] m = valid.clone();
            int flips = 1 + rnd.nextInt(8);
            for (int f = 0; f < flips; f++) {
                m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
            }
            EmbeddedChannel ch = channel();
            ByteBuf in = Unpooled.wrappedBuffer(m);
            try {
                ch.writeInbound(in);
                for (Object o : drain(ch)) {
                    assertThat(o).isInstanceOfAny(Envelope.class, MalformedEnvelope.class, OversizedFrame.class);
                    outcomes++;
                }
            } catch (DecoderException corrupt) {
                outcomes++; // unrecoverable prefix: the handler closes the connection
            }
            try {
                ch.finishAndReleaseAll();
            } catch (DecoderException corruptAtClose) {
                outcomes++; // the same, found in what was left when the connection closed
            }
            assertThat(in.refCnt()).isZero();
        }
        assertThat(outcomes).isGreaterThan(20_000);
    }

    // ---------------------------------------------------------------- aliased frames (agent side)

    /** As an agent's connection: pooled heap buffers, frames aliased. */
    private static EmbeddedChannel aliasingChannel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(new PreferHeapByteBufAllocator(
                PooledByteBufAllocator.DEFAULT));
        FrameCodec.install(ch.pipeline(), MAX, true);
        return ch;
    }

    private static ByteBuf heap(byte[] wire, int from, int length) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.heapBuffer(Math.max(1, length));
        b.writeBytes(wire, from, length);
        return b;
    }

    /** The array a ByteString's bytes live in (its own, or the buffer it aliases). */
    private static byte[] backing(ByteString bytes) throws IOException {
        byte[][] seen = new byte[1][];
        UnsafeByteOperations.unsafeWriteTo(bytes, new ByteOutput() {
            @Override public void write(byte value) { }
            @Override public void write(byte[] value, int offset, int length) { seen[0] = value; }
            @Override public void writeLazy(byte[] value, int offset, int length) { seen[0] = value; }
            @Override public void write(ByteBuffer value) { }
            @Override public void writeLazy(ByteBuffer value) { }
        });
        return seen[0];
    }

    @Test
    void aliasedFramesCarryTheSameRequestSplitAtEveryByteAndHoldTheBufferUntilReleased() throws IOException {
        Envelope a = frame(1, 200);
        Envelope b = Envelopes.ping(42);
        Envelope c = frame(2, 1000);
        byte[] wire = delimited(a, b, c);
        for (int split = 0; split <= wire.length; split++) {
            EmbeddedChannel ch = aliasingChannel();
            ch.writeInbound(heap(wire, 0, split));
            ch.writeInbound(heap(wire, split, wire.length - split));
            List<Object> in = drain(ch);
            assertThat(in).as("split at %d", split).hasSize(3);
            AliasedFrame fa = (AliasedFrame) in.get(0);
            AliasedFrame fc = (AliasedFrame) in.get(2);
            assertThat(fa.request()).isEqualTo(a.getFrameRequest());
            assertThat(in.get(1)).isEqualTo(b); // not a frame: a plain, copied Envelope
            assertThat(fc.request()).isEqualTo(c.getFrameRequest());
            // the image is a view of the network buffer, not a copy of its own
            ByteString image = fc.request().getImage().getData();
            assertThat(backing(image).length).isGreaterThan(image.size());
            assertThat(fa.refCnt()).isPositive();
            assertThat(fa.release()).isTrue();
            assertThat(fc.release()).isTrue();
            assertThat(ch.finish()).isFalse();
        }
    }

    @Test
    void aliasingDecoderStillTypesMalformedInput() throws IOException {
        Random rnd = new Random(7);
        byte[] valid = delimited(frame(1, 500), Envelopes.ping(1), frame(2, 50));
        for (int i = 0; i < 5_000; i++) {
            byte[] m = valid.clone();
            for (int f = 0, n = 1 + rnd.nextInt(8); f < n; f++) {
                m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
            }
            EmbeddedChannel ch = aliasingChannel();
            ByteBuf in = heap(m, 0, m.length);
            try {
                ch.writeInbound(in);
                for (Object o : drain(ch)) {
                    assertThat(o).isInstanceOfAny(Envelope.class, AliasedFrame.class, MalformedEnvelope.class,
                            OversizedFrame.class);
                    ReferenceCountUtil.release(o);
                }
            } catch (DecoderException corrupt) {
                // unrecoverable prefix: the handler closes the connection
            }
            try {
                ch.finishAndReleaseAll();
            } catch (DecoderException corruptAtClose) {
                // the same, found in what was left when the connection closed
            }
            assertThat(in.refCnt()).isZero();
        }
    }

    // ---------------------------------------------------------------- large frames (assembled)

    @Test
    void encodeOffTheEventLoopWritesTheSameBytesIntoADirectBuffer() throws IOException {
        Envelope e = frame(3, 70_000);
        ByteBuf out = FrameCodec.encode(ByteBufAllocator.DEFAULT, e);
        try {
            assertThat(out.isDirect()).isTrue();
            byte[] bytes = new byte[out.readableBytes()];
            out.getBytes(out.readerIndex(), bytes);
            assertThat(bytes).isEqualTo(delimited(e));
        } finally {
            out.release();
        }
        // and such a buffer passes through the pipeline's encoder untouched
        EmbeddedChannel ch = channel();
        ByteBuf pre = FrameCodec.encode(ch.alloc(), e);
        ch.writeOutbound(pre);
        ByteBuf written = ch.readOutbound();
        assertThat(written).isSameAs(pre);
        written.release();
        ch.finishAndReleaseAll();
    }

    /** Split points that matter for a frame assembled across reads: the prefix, the 1/8 mark, the end. */
    private static SortedSet<Integer> interestingSplits(int wireLength, int frameStart, int frameLength) {
        SortedSet<Integer> at = new TreeSet<>();
        for (int d = -40; d <= 40; d++) {
            at.add(frameStart + d);
            at.add(frameStart + frameLength / 8 + d);
            at.add(frameStart + frameLength + d);
        }
        at.removeIf(i -> i < 0 || i > wireLength);
        return at;
    }

    @Test
    void largeFramesDecodeWhateverTheSplitsAndFrameBoundaries() throws IOException {
        Envelope small = frame(1, 100);
        Envelope big = frame(2, 3 * LengthPrefixDecoder.ASSEMBLE_FROM_BYTES);
        Envelope big2 = frame(3, 2 * LengthPrefixDecoder.ASSEMBLE_FROM_BYTES + 17);
        byte[] wire = delimited(small, big, big2, small);
        int bigStart = delimited(small).length;
        int bigLength = delimited(big).length;
        for (int split : interestingSplits(wire.length, bigStart, bigLength)) {
            for (int second : new int[]{split, Math.min(wire.length, split + 7), Math.min(wire.length, split + 5000)}) {
                EmbeddedChannel ch = largeChannel(false);
                ch.writeInbound(Unpooled.copiedBuffer(wire, 0, split));
                ch.writeInbound(Unpooled.copiedBuffer(wire, split, second - split));
                ch.writeInbound(Unpooled.copiedBuffer(wire, second, wire.length - second));
                assertThat(drain(ch)).as("splits at %d and %d", split, second).containsExactly(small, big, big2, small);
                assertThat(ch.finish()).isFalse();
            }
        }
        Random rnd = new Random(11);
        for (int round = 0; round < 200; round++) {
            EmbeddedChannel ch = largeChannel(false);
            for (int off = 0; off < wire.length; ) {
                int n = Math.min(wire.length - off, 1 + rnd.nextInt(rnd.nextBoolean() ? 64 : 40_000));
                ch.writeInbound(Unpooled.copiedBuffer(wire, off, n));
                off += n;
            }
            assertThat(drain(ch)).as("round %d", round).containsExactly(small, big, big2, small);
            assertThat(ch.finish()).isFalse();
        }
    }

    private static EmbeddedChannel largeChannel(boolean alias) {
        EmbeddedChannel ch = new EmbeddedChannel();
        FrameCodec.install(ch.pipeline(), 1 << 20, alias);
        return ch;
    }

    @Test
    void anAssembledFrameIsAliasedInItsRecycledHeapBuffer() throws IOException {
        Envelope big = frame(4, 200_000);
        byte[] wire = delimited(big);
        long[] before = FrameBuffers.SHARED.allocatedAndReused();
        for (int i = 0; i < 3; i++) {
            EmbeddedChannel ch = largeChannel(true);
            for (int off = 0; off < wire.length; off += 65_536) {
                ch.writeInbound(Unpooled.directBuffer().writeBytes(wire, off, Math.min(65_536, wire.length - off)));
            }
            AliasedFrame f = (AliasedFrame) drain(ch).get(0);
            assertThat(f.request()).isEqualTo(big.getFrameRequest());
            ByteString image = f.request().getImage().getData();
            // a view of the assembly buffer (capacity rounded up), not a copy of its own
            assertThat(backing(image).length).isGreaterThan(image.size()).isEqualTo(FrameBuffers.roundUp(wire.length - 3));
            assertThat(f.release()).isTrue();
            assertThat(ch.finish()).isFalse();
        }
        long[] after = FrameBuffers.SHARED.allocatedAndReused();
        // the first frame may have needed a new array; the next two reused it
        assertThat(after[1] - before[1]).isGreaterThanOrEqualTo(2);

        // a large frame that arrives whole in one (direct) socket buffer: copied once into such a
        // buffer too, rather than by protobuf into a new array, and its image into another
        EmbeddedChannel ch = largeChannel(true);
        ch.writeInbound(Unpooled.directBuffer().writeBytes(wire));
        AliasedFrame f = (AliasedFrame) drain(ch).get(0);
        assertThat(f.request()).isEqualTo(big.getFrameRequest());
        assertThat(backing(f.request().getImage().getData()).length).isEqualTo(FrameBuffers.roundUp(wire.length - 3));
        assertThat(f.release()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aPeerThatSendsLittleOfALargeFrameCannotMakeTheDecoderReserveIt() throws IOException {
        Envelope big = frame(5, 500_000);
        byte[] wire = delimited(big);
        EmbeddedChannel ch = largeChannel(false);
        long[] before = FrameBuffers.SHARED.allocatedAndReused();
        // prefix plus a sixteenth of the frame: accumulated as sent, nothing of the frame's size reserved
        ch.writeInbound(Unpooled.copiedBuffer(wire, 0, wire.length / 16));
        long[] after = FrameBuffers.SHARED.allocatedAndReused();
        assertThat(after[0] + after[1]).isEqualTo(before[0] + before[1]);
        // then a truncated frame at close: whatever was held is released (the leak check verifies)
        ch.writeInbound(Unpooled.copiedBuffer(wire, wire.length / 16, wire.length / 4));
        assertThat(drain(ch)).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void frameBuffersKeepNoMoreThanTheirBound() {
        FrameBuffers pool = new FrameBuffers(3L * FrameBuffers.GRANULE);
        List<ByteBuf> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(pool.frame(FrameBuffers.GRANULE - 10));
        }
        held.forEach(ByteBuf::release);
        assertThat(pool.cachedBytes()).isEqualTo(3L * FrameBuffers.GRANULE);
        ByteBuf again = pool.frame(100);
        assertThat(again.capacity()).isEqualTo(FrameBuffers.GRANULE);
        assertThat(pool.allocatedAndReused()).containsExactly(5, 1);
        again.release();
    }
}
