package io.argus.cli.eval;

/**
 * People per frame in the ground truth against the tracker's boxes, over the ground-truth frames
 * evaluated: in a zone (foot point inside), or in the whole frame when {@code zone} is empty.
 */
public record OccupancyError(String zone, int frames, double sumAbsError, int maxAbsError) {

    /** Mean absolute error per frame; NaN without frames. */
    public double meanAbsError() {
        return frames == 0 ? Double.NaN : sumAbsError / frames;
    }
}
