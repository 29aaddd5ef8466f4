package io.argus.cli.eval;

/**
 * CLEAR-MOT counts and scores, named as in py-motmetrics:
 * <ul>
 *   <li>{@code numObjects}: ground-truth boxes on the evaluated frames; {@code numHypotheses}: tracker boxes;</li>
 *   <li>{@code numMatches}: MATCH events, {@code numSwitches}: SWITCH events (also matched pairs,
 *       so {@link #numDetections()} = matches + switches), {@code numFalsePositives}, {@code numMisses};</li>
 *   <li>{@code sumIou}: the IoU summed over all matched pairs (matches and switches).</li>
 * </ul>
 */
public record ClearMotResult(long numObjects, long numHypotheses, long numMatches, long numSwitches,
                             long numFalsePositives, long numMisses, double sumIou, int numUniqueObjects,
                             int mostlyTracked, int partiallyTracked, int mostlyLost) {

    /** Matched pairs, switches included (py-motmetrics {@code num_detections}). */
    public long numDetections() {
        return numMatches + numSwitches;
    }

    /** {@code 1 - (FN + FP + IDSW) / num_objects}; can be negative; NaN without ground truth. */
    public double mota() {
        return numObjects == 0 ? Double.NaN
                : 1 - (double) (numMisses + numFalsePositives + numSwitches) / numObjects;
    }

    /** Mean IoU of the matched pairs (1 is perfect). NaN without matches. */
    public double motpIou() {
        return numDetections() == 0 ? Double.NaN : sumIou / numDetections();
    }

    /**
     * py-motmetrics' {@code motp}: mean distance {@code 1 - IoU} of the matched pairs (0 is
     * perfect), that is {@code 1 - motpIou()}.
     */
    public double motpDistance() {
        return numDetections() == 0 ? Double.NaN : 1 - motpIou();
    }

    /** Matched pairs over tracker boxes. */
    public double precision() {
        return numDetections() + numFalsePositives == 0 ? Double.NaN
                : (double) numDetections() / (numDetections() + numFalsePositives);
    }

    /** Matched pairs over ground-truth boxes. */
    public double recall() {
        return numObjects == 0 ? Double.NaN : (double) numDetections() / numObjects;
    }
}
