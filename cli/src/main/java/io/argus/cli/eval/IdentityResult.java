package io.argus.cli.eval;

/**
 * Identity counts (Ristani et al. 2016): {@code idtp} frames on which a ground-truth trajectory is
 * covered by the tracker trajectory globally matched to it; {@code numObjects} ground-truth boxes
 * and {@code numHypotheses} tracker boxes on the evaluated frames.
 */
public record IdentityResult(long idtp, long numObjects, long numHypotheses) {

    /** Ground-truth boxes not covered by their matched trajectory. */
    public long idfn() {
        return numObjects - idtp;
    }

    /** Tracker boxes not covering their matched trajectory. */
    public long idfp() {
        return numHypotheses - idtp;
    }

    /** {@code 2 IDTP / (gt boxes + tracker boxes)}. */
    public double idf1() {
        return numObjects + numHypotheses == 0 ? Double.NaN : 2.0 * idtp / (numObjects + numHypotheses);
    }

    /** Identity precision: {@code IDTP / (IDTP + IDFP)}. */
    public double idp() {
        return numHypotheses == 0 ? Double.NaN : (double) idtp / numHypotheses;
    }

    /** Identity recall: {@code IDTP / (IDTP + IDFN)}. */
    public double idr() {
        return numObjects == 0 ? Double.NaN : (double) idtp / numObjects;
    }
}
