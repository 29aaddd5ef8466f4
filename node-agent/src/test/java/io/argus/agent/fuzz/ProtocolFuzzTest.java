package io.argus.agent.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.agent.image.JpegScansTest;
import io.argus.media.image.OpenCv;
import io.argus.protocol.Envelopes;
import io.argus.protocol.ProtocolConstants;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Credit;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.Hello;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.StreamControl;
import io.argus.protocol.v1.Subscribe;
import io.argus.protocol.v1.TaskRequest;
import io.argus.task.image.JpegScans;
import io.argus.testing.LeakCheck;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Generated and mutated input against a real agent over loopback sockets: every message of the
 * frame protocol, valid and broken at every level (length prefix, protobuf bytes, fields, image
 * bytes, image headers that lie about their size, unknown tasks and parameters, absurd sizes).
 *
 * <p>Required of the agent: no crash and no hung connection (every batch is followed by a ping,
 * and its pong must come back within 10 s unless the agent closed the connection on purpose);
 * every answer is a well-formed envelope with a typed code; no leaked ByteBuf (paranoid leak
 * detection) and no decoded frame left unreleased; and afterwards the agent serves a clean client.
 *
 * <p>The suite runs {@value #DEFAULT_INPUTS} inputs (about 50 s here; {@code -Dargus.fuzz.inputs=N}
 * changes it). The seed is fixed ({@code -Dargus.fuzz.seed}) so a failure
 * can be replayed.
 */
class ProtocolFuzzTest {
    static final int DEFAULT_INPUTS = 100_000;
    static final int BATCH = 12; // more than the 8 credits: the excess must be answered OVERLOADED
    static final String[] TASKS = {"noop", "color", "faces", "people", "text", "mosaic", "levitate", "", "COLOR"};

    final Random rnd = new Random(Long.getLong("argus.fuzz.seed", 2026L));
    /** Sequences of well-framed frame requests sent on the current connection and not answered yet. */
    final Set<Long> expected = new HashSet<>();
    byte[] jpeg;
    /** A small progressive JPEG with its last scan repeated past the agent's scan limit. */
    byte[] scanBomb;
    byte[] png;
    byte[] raw;

    @Test
    void generatedAndMutatedInputsOnlyEverGetTypedAnswers() throws Exception {
        int inputs = Integer.getInteger("argus.fuzz.inputs", DEFAULT_INPUTS);
        LeakCheck.reset();
        OpenCv.load();
        samples();
        Map<String, Integer> outcomes = new TreeMap<>();
        int closedByAgent = 0;
        try (NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("fuzz").bindHost("127.0.0.1")
                .advertiseHost("127.0.0.1").workers(2).maxFrameBytes(256 * 1024).handshakeTimeoutMs(2_000)
                .idleTimeoutMs(5_000).build())) {
            int sent = 0;
            long nonce = 0;
            int connections = 0;
            while (sent < inputs) {
                try (Socket s = new Socket("127.0.0.1", agent.port())) {
                    s.setSoTimeout(10_000);
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    Envelope.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(ProtocolConstants.VERSION)
                            // most connections are one party, which owns the streams it sends and so
                            // reaches the pipeline; every fifth is a stranger, whose frames and
                            // StreamControl for those streams must be refused (PERMISSION_DENIED)
                            .setClientId(++connections % 5 == 0 ? "stranger-" + connections : "fuzz"))
                            .build().writeDelimitedTo(out);
                    Envelope welcome = Envelope.parseDelimitedFrom(in);
                    assertThat(welcome.hasWelcome()).as("welcome").isTrue();
                    ByteArrayOutputStream batch = new ByteArrayOutputStream();
                    expected.clear();
                    boolean cutShort = false;
                    for (int i = 0; i < BATCH && sent < inputs && !cutShort; i++, sent++) {
                        cutShort = rnd.nextInt(200) == 0;
                        batch.write(cutShort ? lyingPrefix(sent) : nextInput(sent));
                    }
                    long sentinel = ++nonce;
                    if (!cutShort) {
                        Envelopes.ping(sentinel).writeDelimitedTo(batch);
                    }
                    out.write(batch.toByteArray());
                    out.flush();
                    if (cutShort) {
                        // a frame that never completes: the agent must drop the connection, not wait forever
                        s.shutdownOutput();
                    }
                    // the ping answers at once; frames answer when processed: wait for both
                    boolean ponged = false;
                    boolean fatal = false;
                    try {
                        while (!ponged || !expected.isEmpty()) {
                            Envelope e = Envelope.parseDelimitedFrom(in);
                            if (e == null) {
                                throw new EOFException();
                            }
                            ponged |= e.hasPong() && e.getPong().getNonce() == sentinel;
                            if (e.hasFrameResult()) {
                                expected.remove(e.getFrameResult().getSequence());
                            } else if (e.hasError()) {
                                if (e.getError().getHasSequence()) {
                                    expected.remove(e.getError().getSequence());
                                }
                                fatal |= e.getError().getFatal();
                            }
                            outcomes.merge(classify(e), 1, Integer::sum);
                        }
                    } catch (EOFException | SocketException closed) {
                        // the agent closes a connection whose framing is broken (a prefix that lies),
                        // or after telling it why (a fatal error); otherwise every frame is answered
                        assertThat(cutShort || fatal).as("closed with frames unanswered: %s", expected).isTrue();
                        closedByAgent++;
                    } catch (SocketTimeoutException hung) {
                        throw new AssertionError("connection hung after input " + sent + "; outcomes so far " + outcomes);
                    }
                }
            }
            // a clean client is still served
            try (Socket s = new Socket("127.0.0.1", agent.port())) {
                s.setSoTimeout(10_000);
                Envelope.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(ProtocolConstants.VERSION)
                        .setClientId("after")).build().writeDelimitedTo(s.getOutputStream());
                InputStream in = new BufferedInputStream(s.getInputStream());
                assertThat(Envelope.parseDelimitedFrom(in).hasWelcome()).isTrue();
                frame("after", 1, List.of("color"), image(Encoding.JPEG, jpeg, 0, 0)).writeDelimitedTo(s.getOutputStream());
                Envelope r = Envelope.parseDelimitedFrom(in);
                assertThat(r.hasFrameResult()).isTrue();
                assertThat(r.getFrameResult().getTasks(0).getStatus()).isEqualTo(Code.OK);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.liveFrames() == 0);
        }
        System.out.printf("fuzz: %d inputs, %d connections closed by the agent, outcomes %s%n",
                inputs, closedByAgent, outcomes);
        // the generator must actually reach the interesting answers, or the test proves nothing
        assertThat(outcomes).containsKeys("result:OK", "error:IMAGE_DECODE_FAILED", "error:TOO_LARGE",
                "error:UNSUPPORTED_TASK", "error:BAD_REQUEST", "error:OVERLOADED", "error:PERMISSION_DENIED");
        LeakCheck.assertNoLeaks();
    }

    /** A typed name for an answer; anything else fails the test. */
    static String classify(Envelope e) {
        return switch (e.getBodyCase()) {
            case FRAME_RESULT -> "result:" + (e.getFrameResult().getTasksCount() == 0 ? "EMPTY"
                    : e.getFrameResult().getTasks(0).getStatus().name());
            case ERROR -> {
                assertThat(e.getError().getCode()).isNotEqualTo(Code.OK);
                assertThat(e.getError().getMessage()).isNotBlank();
                yield "error:" + e.getError().getCode().name();
            }
            case PONG, CREDIT, GOODBYE, STATE, PREVIEW -> e.getBodyCase().name().toLowerCase(Locale.ROOT);
            default -> throw new AssertionError("unexpected answer " + e.getBodyCase());
        };
    }

    void samples() throws IOException {
        Mat src = Imgcodecs.imread(TestAssets.file("images/faces/messi5.jpg").toString());
        Mat small = new Mat();
        MatOfByte buf = new MatOfByte();
        try {
            Imgproc.resize(src, small, new Size(96, 64));
            Imgcodecs.imencode(".jpg", small, buf);
            jpeg = buf.toArray();
            Imgcodecs.imencode(".png", small, buf);
            png = buf.toArray();
            raw = new byte[(int) (small.total() * small.channels())];
            small.get(0, 0, raw);
            Mat corner = small.submat(0, 16, 0, 16); // tiny scans: the bomb stays far below maxFrameBytes
            Imgcodecs.imencode(".jpg", corner, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1));
            corner.release();
            scanBomb = JpegScansTest.repeatLastScan(buf.toArray(),
                    JpegScans.DEFAULT_MAX_SCANS + 100);
            if (scanBomb.length > 64 * 1024) {
                throw new IllegalStateException("scan bomb of " + scanBomb.length + " bytes would be refused unread");
            }
        } finally {
            src.release();
            small.release();
            buf.release();
        }
    }

    /** One length-prefixed input: generated, or a valid message mutated at some level. */
    byte[] nextInput(int i) throws IOException {
        int kind = rnd.nextInt(10);
        if (kind != 4 && kind != 7 && kind != 8) {
            expected.add((long) i); // a well-formed FrameRequest with sequence i: it must be answered
        }
        byte[] body = switch (kind) {
            case 0, 1 -> validFrame(i).toByteArray();
            case 2, 3 -> frame("s" + rnd.nextInt(4), i, tasks(), image(Encoding.JPEG, mutate(jpeg), 0, 0)).toByteArray();
            case 4 -> mutate(validFrame(i).toByteArray());
            case 5 -> lyingImage(i).toByteArray();
            case 6 -> oddFields(i).toByteArray();
            case 7 -> otherMessage().toByteArray();
            case 8 -> randomBytes(1 + rnd.nextInt(300));
            default -> frame("s" + rnd.nextInt(4), i, tasks(), image(Encoding.PNG, mutate(png), 0, 0)).toByteArray();
        };
        return prefixed(body.length, body);
    }

    /** The last input of a connection: a prefix promising more than follows (over the limit, or just longer). */
    byte[] lyingPrefix(int i) throws IOException {
        byte[] body = validFrame(i).toByteArray();
        return prefixed(rnd.nextBoolean() ? 10 * 1024 * 1024 : body.length + 1 + rnd.nextInt(50), body);
    }

    static byte[] prefixed(int length, byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream c = CodedOutputStream.newInstance(out);
        c.writeUInt32NoTag(length);
        c.flush();
        out.write(body);
        return out.toByteArray();
    }

    Envelope validFrame(int i) {
        int pick = rnd.nextInt(3);
        Image img = pick == 0 ? image(Encoding.JPEG, jpeg, 0, 0) : pick == 1 ? image(Encoding.PNG, png, 0, 0)
                : image(Encoding.RAW_BGR, raw, 96, 64);
        return frame("s" + rnd.nextInt(4), i, List.of(rnd.nextBoolean() ? "color" : "noop"), img);
    }

    List<String> tasks() {
        List<String> t = new ArrayList<>();
        int n = rnd.nextInt(4);
        for (int k = 0; k < n; k++) {
            t.add(TASKS[rnd.nextInt(TASKS.length)]);
        }
        return t;
    }

    /** Headers that claim huge or empty sizes (decompression bombs), and raw frames that do. */
    Envelope lyingImage(int i) {
        int w = rnd.nextBoolean() ? 60000 : rnd.nextInt(3) - 1;
        int h = rnd.nextBoolean() ? 60000 : rnd.nextInt(70000);
        byte[] data;
        Encoding enc;
        switch (rnd.nextInt(3)) {
            case 0 -> {
                enc = Encoding.PNG;
                data = png.clone();
                // IHDR width and height start at byte 16
                putInt(data, 16, w);
                putInt(data, 20, h);
            }
            case 1 -> {
                enc = Encoding.JPEG;
                data = jpeg.clone();
                int sof = findSof(data);
                if (sof > 0) {
                    data[sof + 5] = (byte) (h >> 8);
                    data[sof + 6] = (byte) h;
                    data[sof + 7] = (byte) (w >> 8);
                    data[sof + 8] = (byte) w;
                }
            }
            default -> {
                enc = Encoding.RAW_BGR;
                data = raw;
            }
        }
        return frame("bomb", i, List.of("noop"), image(enc, data, enc == Encoding.RAW_BGR ? w : 0,
                enc == Encoding.RAW_BGR ? h : 0));
    }

    /** Fields at their edges: empty ids, many or repeated tasks, huge parameters, odd hints. */
    Envelope oddFields(int i) {
        FrameRequest.Builder b = validFrame(i).getFrameRequest().toBuilder();
        switch (rnd.nextInt(10)) {
            case 0 -> b.setStreamId(rnd.nextBoolean() ? "" : "x".repeat(5000));
            case 1 -> {
                for (int k = 0; k < 20; k++) {
                    b.addTasks(TaskRequest.newBuilder().setName("noop"));
                }
            }
            case 2 -> b.clearTasks().addTasks(TaskRequest.newBuilder().setName("people")
                    .putParams("lines", randomText(rnd.nextInt(200))).putParams("zones", randomText(rnd.nextInt(100))));
            case 3 -> b.clearTasks().addTasks(TaskRequest.newBuilder().setName("text")
                    .putParams("watch", "[\"" + randomText(20) + "\"]").putParams("x".repeat(3000), "y"));
            case 4 -> b.setImage(b.getImage().toBuilder().setWidth(rnd.nextInt(200) - 50).setHeight(rnd.nextInt(200) - 50));
            case 5 -> b.setDeadlineMs(rnd.nextInt()).setSourceIndex(rnd.nextLong()).setCaptureTimeUs(rnd.nextLong());
            case 6 -> b.clearImage();
            // the hostile inputs of the probe: a backtracking pattern, an oversized polygon, a scan bomb
            case 7 -> b.clearTasks().addTasks(TaskRequest.newBuilder().setName("text")
                    .putParams("watch", "[\"((((a+)+)+)+)+b\", \"" + "(x+x+)+y".repeat(1 + rnd.nextInt(200)) + "\"]"));
            case 8 -> b.clearTasks().addTasks(TaskRequest.newBuilder().setName("people")
                    .putParams("zones", hugeZone(rnd.nextInt(20) == 0 ? 15_000 : 300)));
            default -> b.setImage(image(Encoding.JPEG, scanBomb, 0, 0));
        }
        return Envelope.newBuilder().setFrameRequest(b).build();
    }

    /** A zone of {@code n} points on a circle (simple, but over the point bound). */
    String hugeZone(int n) {
        StringBuilder z = new StringBuilder("z:");
        for (int k = 0; k < n; k++) {
            double a = 2 * Math.PI * k / n;
            z.append(k == 0 ? "" : ",").append((int) (300 + 250 * Math.cos(a))).append(',').append((int) (300 + 250 * Math.sin(a)));
        }
        return z.toString();
    }

    Envelope otherMessage() {
        return switch (rnd.nextInt(5)) {
            case 0 -> Envelope.newBuilder().setCredit(Credit.newBuilder().setFrames(rnd.nextInt())).build();
            case 1 -> Envelope.newBuilder().setStreamControl(StreamControl.newBuilder().setStreamId("s" + rnd.nextInt(4))
                    .setActionValue(rnd.nextInt(8))).build();
            case 2 -> Envelope.newBuilder().setSubscribe(Subscribe.newBuilder().setStreamId(randomText(10))).build();
            case 3 -> Envelope.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(rnd.nextInt(5))).build();
            default -> Envelope.newBuilder().build();
        };
    }

    static Envelope frame(String stream, long seq, List<String> tasks, Image image) {
        FrameRequest.Builder b = FrameRequest.newBuilder().setStreamId(stream).setSequence(seq).setImage(image);
        for (String t : tasks) {
            b.addTasks(TaskRequest.newBuilder().setName(t));
        }
        return Envelope.newBuilder().setFrameRequest(b).build();
    }

    static Image image(Encoding enc, byte[] data, int w, int h) {
        return Image.newBuilder().setEncoding(enc).setData(ByteString.copyFrom(data)).setWidth(w).setHeight(h).build();
    }

    byte[] mutate(byte[] valid) {
        byte[] m = valid.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> {
                return Arrays.copyOf(m, rnd.nextInt(m.length)); // truncated
            }
            case 1 -> {
                byte[] longer = Arrays.copyOf(m, m.length + 1 + rnd.nextInt(64));
                for (int k = m.length; k < longer.length; k++) {
                    longer[k] = (byte) rnd.nextInt(256);
                }
                return longer;
            }
            default -> {
                int flips = 1 + rnd.nextInt(8);
                for (int f = 0; f < flips; f++) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
                return m;
            }
        }
    }

    byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    String randomText(int n) {
        StringBuilder sb = new StringBuilder();
        String alphabet = "0123456789,:;-.abcXYZ \"[]()*+?\\\u00e9\u4e2d";
        for (int k = 0; k < n; k++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    static void putInt(byte[] a, int at, int v) {
        a[at] = (byte) (v >>> 24);
        a[at + 1] = (byte) (v >>> 16);
        a[at + 2] = (byte) (v >>> 8);
        a[at + 3] = (byte) v;
    }

    /** Offset of the first SOF0/SOF2 marker, or -1. */
    static int findSof(byte[] d) {
        for (int k = 2; k + 9 < d.length; k++) {
            if ((d[k] & 0xff) == 0xFF && ((d[k + 1] & 0xff) == 0xC0 || (d[k + 1] & 0xff) == 0xC2)) {
                return k;
            }
        }
        return -1;
    }
}
