package io.argus.bench;

import io.argus.agent.image.ImageDecoder;
import io.argus.cli.bench.BenchFrames;
import io.argus.media.image.OpenCv;
import io.argus.client.FrameEncoder;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.TaskRequest;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.image.ImageLimits;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import org.HdrHistogram.Histogram;
import org.opencv.core.Mat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transport baseline for {@code bin/argus bench}: the same {@code FrameRequest} and
 * {@code FrameResult} protobuf messages over gRPC-java bidirectional streaming (grpc-netty-shaded),
 * and the same work on the server as an Argus agent running {@code noop}: the image is decoded by
 * Argus's own {@link ImageDecoder} on a fixed pool of worker threads, then answered. The client
 * encodes each frame as the Argus client does (JPEG through OpenCV) and keeps {@code window}
 * frames in flight per stream, as Argus's credits do.
 *
 * <p>Usage: {@code server PORT WORKERS} (prints {@code GRPC-READY}) and
 * {@code client HOST:PORT STREAMS WINDOW SECONDS WARMUP_SECONDS WIDTHxHEIGHT QUALITY SOURCE [jpeg|raw]}, which
 * prints one line: frames/s and latency p50/p99/max (capture to result).
 */
public final class GrpcBaseline {
    static final MethodDescriptor<FrameRequest, FrameResult> FRAMES = MethodDescriptor.<FrameRequest, FrameResult>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName("argus.bench.Frames/Stream")
            .setRequestMarshaller(ProtoUtils.marshaller(FrameRequest.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(FrameResult.getDefaultInstance()))
            .build();
    static final int MAX_MESSAGE = 16 * 1024 * 1024;

    private GrpcBaseline() {
    }

    public static void main(String[] args) throws Exception {
        OpenCv.load();
        if (args[0].equals("server")) {
            server(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        } else {
            client(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), args[6], Integer.parseInt(args[7]), args[8],
                    args.length > 9 ? args[9] : "jpeg");
        }
    }

    static void server(int port, int workers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
        ServerServiceDefinition service = ServerServiceDefinition.builder("argus.bench.Frames")
                .addMethod(FRAMES, ServerCalls.asyncBidiStreamingCall(responses -> new StreamObserver<FrameRequest>() {
                    @Override
                    public void onNext(FrameRequest req) {
                        pool.execute(() -> {
                            FrameResult r = process(decoder, req);
                            synchronized (responses) {
                                responses.onNext(r);
                            }
                        });
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        synchronized (responses) {
                            responses.onCompleted();
                        }
                    }
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(service)
                .maxInboundMessageSize(MAX_MESSAGE).build().start();
        System.out.println("GRPC-READY port=" + server.getPort());
        System.out.flush();
        server.awaitTermination();
    }

    static FrameResult process(ImageDecoder decoder, FrameRequest req) {
        FrameResult.Builder out = FrameResult.newBuilder().setStreamId(req.getStreamId()).setSequence(req.getSequence())
                .setCaptureTimeUs(req.getCaptureTimeUs());
        try {
            Mat m = decoder.decode(req.getImage());
            out.setWidth(m.cols()).setHeight(m.rows());
            decoder.release(m);
            for (TaskRequest t : req.getTasksList()) {
                out.addTasks(TaskResult.newBuilder().setTask(t.getName()).setStatus(Code.OK));
            }
        } catch (Exception e) {
            out.addTasks(TaskResult.newBuilder().setTask("noop").setStatus(Code.IMAGE_DECODE_FAILED));
        }
        return out.build();
    }

    static void client(String target, int streams, int window, int seconds, int warmup, String size, int quality,
                       String source, String encoding) throws Exception {
        Encoding wire = switch (encoding) {
            case "jpeg" -> Encoding.JPEG;
            case "raw" -> Encoding.RAW_BGR;
            default -> throw new IllegalArgumentException("encoding must be jpeg or raw: " + encoding);
        };
        List<VideoFrame> frames = BenchFrames.load(source, size);
        ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(MAX_MESSAGE).build();
        Histogram latency = new Histogram(3_600_000_000L, 3);
        AtomicLong ok = new AtomicLong();
        long start = System.nanoTime();
        long measureFromUs = Envelopes.nowMicros() + TimeUnit.SECONDS.toMicros(warmup);
        long measureToUs = measureFromUs + TimeUnit.SECONDS.toMicros(seconds);
        long end = start + TimeUnit.SECONDS.toNanos(warmup + seconds);
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            int stream = s;
            Semaphore credits = new Semaphore(window);
            StreamObserver<FrameRequest> requests = ClientCalls.asyncBidiStreamingCall(
                    channel.newCall(FRAMES, CallOptions.DEFAULT), new StreamObserver<FrameResult>() {
                        @Override
                        public void onNext(FrameResult r) {
                            long now = Envelopes.nowMicros();
                            if (r.getCaptureTimeUs() >= measureFromUs && r.getCaptureTimeUs() < measureToUs) {
                                synchronized (latency) {
                                    latency.recordValue(Math.max(0, now - r.getCaptureTimeUs()));
                                }
                                ok.incrementAndGet();
                            }
                            credits.release();
                        }

                        @Override
                        public void onError(Throwable t) {
                            System.err.println("stream " + stream + ": " + t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            Thread t = new Thread(() -> {
                FrameEncoder enc = new FrameEncoder(wire, quality);
                try {
                    for (long k = 0; System.nanoTime() < end; k++) {
                        credits.acquire();
                        VideoFrame f = frames.get((int) ((k + stream * 17L) % frames.size()));
                        long captureUs = Envelopes.nowMicros();
                        FrameRequest fr = FrameRequest.newBuilder().setStreamId("grpc-" + stream).setSequence(k)
                                .setCaptureTimeUs(captureUs).setImage(enc.encode(f))
                                .addTasks(TaskRequest.newBuilder().setName("noop")).build();
                        synchronized (requests) {
                            requests.onNext(fr);
                        }
                    }
                    credits.acquire(window); // the last answers
                    synchronized (requests) {
                        requests.onCompleted();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "grpc-sender-" + s);
            t.start();
            senders.add(t);
        }
        for (Thread t : senders) {
            t.join();
        }
        channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
        System.out.printf("grpc encoding=%s streams=%d window=%d frames_per_s=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n",
                encoding, streams, window,
                ok.get() / (double) seconds, latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0);
    }
}
