package io.argus.agent.exec;

import com.google.protobuf.ByteString;
import io.argus.agent.task.TaskRegistry;
import io.argus.agent.task.VisionTask;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import io.argus.task.api.TaskException;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one made-up JPEG frame through every worker, with every task that needs no parameters,
 * before the agent registers. Why: the first frame on a cold worker pays for class loading, the
 * JIT, the worker's FFmpeg decoder and each task's per-worker engines (HOG, cascades, Tesseract).
 * On a cold survivor that cost lands on the failover itself: a stream that moved after its agent
 * died waited ~0.5 s longer for its first result (FailoverTest). Warm-up moves it to start-up,
 * where nobody is waiting. Warm-up frames are not counted in the metrics and leave no state.
 *
 * <p>Bounded: each worker gets {@link #TIMEOUT_MS} in total; a warm-up that has not finished by
 * then is abandoned (the agent starts anyway, merely cold) and logged.
 */
public final class PipelineWarmup {
    private static final Logger log = LoggerFactory.getLogger(PipelineWarmup.class);
    /** Longest start-up delay warm-up may cause; past it the agent starts cold. */
    public static final long TIMEOUT_MS = 10_000;
    static final int WIDTH = 640;
    static final int HEIGHT = 480;

    private PipelineWarmup() {
    }

    /** Returns the tasks that were warmed (those that ran without a parameter error). */
    public static List<String> run(FramePipeline pipeline, StreamLanes lanes, TaskRegistry tasks, int workers,
                                   ByteString jpeg) {
        long t0 = System.nanoTime();
        List<TaskRequest> requests = tasks.names().stream()
                .filter(n -> acceptsNoParams(tasks.find(n).orElseThrow()))
                .map(n -> TaskRequest.newBuilder().setName(n).build())
                .toList();
        // each job holds its worker until every worker has one, so each worker thread runs exactly one
        CountDownLatch started = new CountDownLatch(workers);
        CountDownLatch finished = new CountDownLatch(workers);
        for (int w = 0; w < workers; w++) {
            FrameRequest req = FrameRequest.newBuilder().setStreamId("argus-warmup-" + w).setSequence(1)
                    .setImage(Image.newBuilder().setData(jpeg)).addAllTasks(requests).build();
            String refused = lanes.submit(req.getStreamId(), new LaneJob() {
                @Override
                public void run() {
                    try {
                        started.countDown();
                        started.await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                        pipeline.processUncounted(req);
                    } catch (TaskException e) {
                        log.warn("warm-up frame failed: {} {}", e.code(), e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        log.warn("warm-up frame failed", e);
                    } finally {
                        finished.countDown();
                    }
                }

                @Override
                public void abort(Code code, String reason) {
                    finished.countDown();
                }
            });
            if (refused != null) {
                finished.countDown();
            }
        }
        try {
            if (!finished.await(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                log.warn("warm-up did not finish in {} ms; starting anyway", TIMEOUT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> names = requests.stream().map(TaskRequest::getName).toList();
        log.info("warmed {} worker(s) with {} in {} ms", workers, names,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return names;
    }

    private static boolean acceptsNoParams(VisionTask task) {
        try {
            task.validate(Map.of());
            return true;
        } catch (TaskException | RuntimeException e) {
            return false;
        }
    }

    /** A textured frame (gradient, noise, shapes, a line of text), so that detectors do real work. */
    public static ByteString syntheticJpeg() {
        Mat img = new Mat(HEIGHT, WIDTH, CvType.CV_8UC3);
        Mat noise = new Mat(HEIGHT, WIDTH, CvType.CV_8UC3);
        MatOfByte out = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 85);
        try {
            for (int y = 0; y < HEIGHT; y += 40) {
                Imgproc.rectangle(img, new Point(0, y), new Point(WIDTH, y + 40),
                        new Scalar(y * 255.0 / HEIGHT, 128, 255 - y * 255.0 / HEIGHT), -1);
            }
            Core.randu(noise, 0, 40);
            Core.add(img, noise, img);
            Imgproc.circle(img, new Point(200, 200), 60, new Scalar(230, 230, 230), -1);
            Imgproc.rectangle(img, new Point(400, 150), new Point(460, 330), new Scalar(30, 30, 30), -1);
            Imgproc.putText(img, "ARGUS 2026", new Point(60, 420), Imgproc.FONT_HERSHEY_SIMPLEX, 2.0,
                    new Scalar(0, 0, 0), 4);
            Imgcodecs.imencode(".jpg", img, out, params);
            return ByteString.copyFrom(out.toArray());
        } finally {
            img.release();
            noise.release();
            out.release();
            params.release();
        }
    }
}
