package io.argus.agent.task.composite;

import io.argus.media.image.MatScope;
import io.argus.agent.task.StatefulTask;
import io.argus.agent.task.TaskContext;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.TaskException;
import io.argus.task.api.TaskNames;
import io.argus.task.api.composite.StitchParams;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code stitch}: a panorama of two overlapping fixed cameras. Frames of both cameras come on one
 * stream, tagged with {@code camera}; the {@code reference} camera's view is kept as is and the
 * other is warped onto it.
 *
 * <p>The homography is estimated once (AKAZE, see {@link HomographyEstimator}), validated and
 * cached; every {@code recheckMs} a cheap ORB estimate checks it and it is re-estimated only when
 * the two disagree by more than {@code driftPx}. Canvas geometry and feather weights (distance to
 * each image's edge) are cached with it, so each frame then costs two warps and a weighted sum.
 * A pair that cannot be stitched gets a {@code BAD_REQUEST} status saying why, never a garbage
 * canvas.
 *
 * <p>Parameters, their defaults and ranges: {@link StitchParams}.
 */
public final class StitchTask implements StatefulTask<StitchState> {
    public static final String NAME = TaskNames.STITCH;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> params) throws TaskException {
        StitchParams.parse(params);
    }

    @Override
    public TaskResult run(TaskContext ctx) throws TaskException {
        StitchParams cfg = StitchParams.parse(ctx.params());
        StitchState st = ctx.state(this);
        Mat prev = st.latest.put(cfg.camera(), ctx.frame().clone());
        if (prev != null) {
            prev.release();
        }
        if (st.latest.size() > 2) {
            // two cameras per panorama: forget the oldest other one
            Iterator<String> it = st.latest.keySet().iterator();
            String drop = it.next().equals(cfg.camera()) ? it.next() : st.latest.keySet().iterator().next();
            Objects.requireNonNull(st.latest.remove(drop)).release(); // a key of st.latest
            st.homography = null;
            st.dropGeometry();
        }
        TaskResult.Builder out = TaskResult.newBuilder().setTask(NAME).setStatus(Code.OK);
        if (st.latest.size() < 2) {
            return out.setMessage("waiting for the second camera").putNumbers("stitch.cameras", st.latest.size()).build();
        }
        List<String> cams = new ArrayList<>(st.latest.keySet());
        String refName = !cfg.reference().isEmpty() && st.latest.containsKey(cfg.reference()) ? cfg.reference() : cams.get(0);
        String movName = cams.get(0).equals(refName) ? cams.get(1) : cams.get(0);
        // both names are keys of st.latest
        Mat ref = Objects.requireNonNull(st.latest.get(refName));
        Mat mov = Objects.requireNonNull(st.latest.get(movName));
        long now = ctx.timeUs();
        // stopped here or below, the state holds this frame as the camera's latest picture and a
        // whole homography (old or new): the next frame composes from it
        ctx.checkBudget("stitch.estimate");
        if (st.homography == null) {
            HomographyEstimator.Estimate e = HomographyEstimator.estimate(ref, mov, HomographyEstimator.Features.AKAZE);
            if (!e.ok()) {
                throw new TaskException(Code.BAD_REQUEST, "cannot stitch " + movName + " onto " + refName + ": " + e.refusal());
            }
            st.homography = e.h();
            st.inliers = e.inliers();
            st.estimatedAtUs = now;
            st.dropGeometry();
        } else if (cfg.recheckMs() > 0 && now - st.estimatedAtUs > cfg.recheckMs() * 1000) {
            st.estimatedAtUs = now;
            double drift = HomographyEstimator.drift(ref, mov, st.homography);
            // NaN or infinite drift (no believable ORB estimate) counts as drift: never "no drift"
            if (!(drift <= cfg.driftPx())) {
                HomographyEstimator.Estimate e = HomographyEstimator.estimate(ref, mov, HomographyEstimator.Features.AKAZE);
                if (!e.ok()) {
                    // the cached homography no longer fits these pictures and no new one is believable:
                    // blending with the old one gave a garbage canvas (drift 9.2e17 px). Refuse, and
                    // estimate afresh on the next frame
                    st.homography = null;
                    st.dropGeometry();
                    throw new TaskException(Code.BAD_REQUEST, "cannot stitch " + movName + " onto " + refName
                            + ": the cached homography is off by " + (Double.isFinite(drift) ? Math.round(drift) + " px" : "an unknown amount")
                            + " and a new estimate failed: " + e.refusal());
                }
                st.homography = e.h();
                st.inliers = e.inliers();
                st.dropGeometry();
                out.putNumbers("stitch.reestimated", 1);
            }
            if (Double.isFinite(drift)) {
                out.putNumbers("stitch.drift_px", Math.round(drift * 10) / 10.0);
            }
        }
        ctx.checkBudget("stitch.compose");
        try (MatScope s = new MatScope()) {
            Mat pano = s.add(compose(st, ref, mov, cfg));
            ctx.checkBudget("stitch.encode");
            out.addImages(Jpeg.encode("panorama", pano, cfg.quality()));
            double[] h = Objects.requireNonNull(st.homography); // estimated above
            for (int i = 0; i < 9; i++) {
                out.putNumbers("stitch.h" + i, h[i]);
            }
            return out.putNumbers("stitch.inliers", st.inliers).putNumbers("stitch.width", pano.cols())
                    .putNumbers("stitch.height", pano.rows()).putStrings("stitch.reference", refName).build();
        }
    }

    private static Mat compose(StitchState st, Mat ref, Mat mov, StitchParams cfg) throws TaskException {
        String key = ref.cols() + "x" + ref.rows() + "/" + mov.cols() + "x" + mov.rows();
        if (!key.equals(st.geometryKey)) {
            prepare(st, ref, mov, cfg);
            st.geometryKey = key;
        }
        try (MatScope s = new MatScope()) {
            double[] shift = Objects.requireNonNull(st.canvasShift); // prepare() set it
            Mat t = s.add(Mat.eye(3, 3, CvType.CV_64F));
            t.put(0, 2, shift[0]);
            t.put(1, 2, shift[1]);
            Mat hm = s.add(new Mat(3, 3, CvType.CV_64F));
            hm.put(0, 0, st.homography);
            Mat th = s.add(new Mat());
            Core.gemm(t, hm, 1, s.add(new Mat()), 0, th);
            Size canvas = new Size(st.canvasW, st.canvasH);
            Mat a = s.add(new Mat());
            Mat b = s.add(new Mat());
            Imgproc.warpPerspective(ref, a, t, canvas);
            Imgproc.warpPerspective(mov, b, th, canvas);
            Mat af = s.add(new Mat());
            Mat bf = s.add(new Mat());
            a.convertTo(af, CvType.CV_32FC3);
            b.convertTo(bf, CvType.CV_32FC3);
            Mat wa = s.add(new Mat());
            Mat wb = s.add(new Mat());
            Imgproc.cvtColor(st.weightRef, wa, Imgproc.COLOR_GRAY2BGR);
            Imgproc.cvtColor(st.weightMoving, wb, Imgproc.COLOR_GRAY2BGR);
            Core.multiply(af, wa, af);
            Core.multiply(bf, wb, bf);
            Core.add(af, bf, af);
            Mat out = new Mat();
            af.convertTo(out, CvType.CV_8UC3);
            return out;
        }
    }

    /** Canvas that holds both views, and feather weights: each pixel's distance to its image's edge, normalised. */
    private static void prepare(StitchState st, Mat ref, Mat mov, StitchParams cfg) throws TaskException {
        st.dropGeometry();
        // the homography was validated when it was estimated, so its corners exist
        Point[] q = Objects.requireNonNull(
                HomographyEstimator.corners(Objects.requireNonNull(st.homography), mov.cols(), mov.rows()));
        double minX = 0;
        double minY = 0;
        double maxX = ref.cols();
        double maxY = ref.rows();
        for (Point p : q) {
            minX = Math.min(minX, p.x);
            minY = Math.min(minY, p.y);
            maxX = Math.max(maxX, p.x);
            maxY = Math.max(maxY, p.y);
        }
        int w = (int) Math.ceil(maxX - minX);
        int h = (int) Math.ceil(maxY - minY);
        if (w > cfg.maxCanvas() || h > cfg.maxCanvas()) {
            throw new TaskException(Code.BAD_REQUEST, "panorama would be " + w + "x" + h + ", over the limit of "
                    + cfg.maxCanvas() + " per side");
        }
        st.canvasShift = new double[]{-minX, -minY};
        st.canvasW = w;
        st.canvasH = h;
        try (MatScope s = new MatScope()) {
            Mat t = s.add(Mat.eye(3, 3, CvType.CV_64F));
            t.put(0, 2, -minX);
            t.put(1, 2, -minY);
            Mat hm = s.add(new Mat(3, 3, CvType.CV_64F));
            hm.put(0, 0, st.homography);
            Mat th = s.add(new Mat());
            Core.gemm(t, hm, 1, s.add(new Mat()), 0, th);
            Mat ones1 = s.add(new Mat(ref.size(), CvType.CV_8U, new Scalar(255)));
            Mat ones2 = s.add(new Mat(mov.size(), CvType.CV_8U, new Scalar(255)));
            Mat m1 = s.add(new Mat());
            Mat m2 = s.add(new Mat());
            Imgproc.warpPerspective(ones1, m1, t, new Size(w, h), Imgproc.INTER_NEAREST);
            Imgproc.warpPerspective(ones2, m2, th, new Size(w, h), Imgproc.INTER_NEAREST);
            Mat d1 = s.add(new Mat());
            Mat d2 = s.add(new Mat());
            Imgproc.distanceTransform(m1, d1, Imgproc.DIST_L2, 3);
            Imgproc.distanceTransform(m2, d2, Imgproc.DIST_L2, 3);
            Mat sum = s.add(new Mat());
            Core.add(d1, d2, sum);
            Core.add(sum, new Scalar(1e-6), sum);
            st.weightRef = new Mat();
            st.weightMoving = new Mat();
            Core.divide(d1, sum, st.weightRef);
            Core.divide(d2, sum, st.weightMoving);
        }
    }

    @Override
    public StitchState newState() {
        return new StitchState();
    }

    @Override
    public byte[] exportState(StitchState state) {
        return new byte[0];
    }

    @Override
    public StitchState importState(byte[] data) {
        return new StitchState();
    }

    @Override
    public long stateBytes(StitchState state) {
        long n = MatScope.bytes(state.weightRef) + MatScope.bytes(state.weightMoving);
        for (Mat m : state.latest.values()) {
            n += MatScope.bytes(m);
        }
        return n;
    }

    @Override
    public void disposeState(StitchState state) {
        state.close();
    }

    @Override
    public Class<StitchState> stateType() {
        return StitchState.class;
    }
}
