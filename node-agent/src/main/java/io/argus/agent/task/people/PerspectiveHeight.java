package io.argus.agent.task.people;

/**
 * How tall a person is at each image row, learned from the tracked people themselves. For a fixed
 * camera looking down at a flat floor, the image height of a person of given size is an affine
 * function of the row of their feet (the ground plane's perspective: h = a + b * y, exact for a
 * pinhole camera and a planar floor). A least-squares fit over confirmed tracks' boxes gives the
 * expected height, and its residual spread says how far real people differ from it (their own
 * height, bent posture, the detector's error).
 *
 * <p>The sums decay by {@link #FORGET} per sample, so the fit follows a camera that was moved,
 * with an effective memory of {@code 1 / FORGET} samples. Plain arithmetic on doubles in a fixed
 * order: the same frames give the same model on every agent, and it is exported with the state.
 */
final class PerspectiveHeight {
    /** Samples before the model is used at all (about two people walked for half a second each). */
    static final int MIN_SAMPLES = 30;
    /** Spread of foot rows (fraction of the frame height) below which only the mean height is used. */
    static final double MIN_ROW_SPREAD = 0.05;
    /** Per-sample decay of the sums: an effective memory of 2000 samples. */
    static final double FORGET = 1.0 / 2000;
    /**
     * How far below the expected height a search still looks, in residual standard deviations:
     * two cover 95% of people under a normal spread of heights.
     */
    static final double SIGMAS = 2;
    /** Never expect less than this fraction of the fitted height (a tight fit is not a guarantee). */
    static final double MIN_FRACTION = 0.6;

    double n;
    double sy;
    double sh;
    double syy;
    double syh;
    double shh;
    long samples;

    /** Adds one observed person: the row of their feet and their height, in pixels. */
    void add(double footY, double height) {
        double keep = 1 - FORGET;
        n = n * keep + 1;
        sy = sy * keep + footY;
        sh = sh * keep + height;
        syy = syy * keep + footY * footY;
        syh = syh * keep + footY * height;
        shh = shh * keep + height * height;
        samples++;
    }

    /** Enough samples, and sums that are numbers (a checkpoint from elsewhere is not trusted blindly). */
    boolean trusted() {
        return samples >= MIN_SAMPLES && n > 0 && Double.isFinite(n) && Double.isFinite(sy) && Double.isFinite(sh)
                && Double.isFinite(syy) && Double.isFinite(syh) && Double.isFinite(shh);
    }

    /** Whether the people seen stood on rows far enough apart to tell a slope (else only their mean height is known). */
    boolean sloped(double frameHeight) {
        return slope(frameHeight) != 0;
    }

    /** Slope b of h = a + b * y; 0 when the rows seen are too close together to tell. */
    private double slope(double frameHeight) {
        double vy = syy / n - sq(sy / n);
        if (vy <= sq(MIN_ROW_SPREAD * frameHeight)) {
            return 0;
        }
        return (syh / n - (sy / n) * (sh / n)) / vy;
    }

    /** The expected height of a person whose feet are at {@code footY}. */
    double expected(double footY, double frameHeight) {
        double b = slope(frameHeight);
        return sh / n + b * (footY - sy / n);
    }

    /** Residual standard deviation of heights around the fit. */
    double sigma(double frameHeight) {
        double b = slope(frameHeight);
        double mh = sh / n;
        double my = sy / n;
        double vh = shh / n - mh * mh;
        double cov = syh / n - my * mh;
        double resid = vh - 2 * b * cov + b * b * (syy / n - my * my);
        return Math.sqrt(Math.max(0, resid));
    }

    /** The smallest height a search at this row should still find (expected minus {@link #SIGMAS} spreads). */
    double smallest(double footY, double frameHeight) {
        double e = expected(footY, frameHeight);
        // at least a pixel: above the horizon, or far outside the rows seen, the fit goes to zero
        // and below, where nobody can stand; searched at the largest scale, never at the smallest
        return Math.max(1, Math.max(MIN_FRACTION * e, e - SIGMAS * sigma(frameHeight)));
    }

    /**
     * The tallest person a search at this row should expect: expected plus {@link #SIGMAS}
     * spreads, the mirror of {@link #smallest}. It bounds how far above its foot rows a band of the
     * full-picture search reaches ({@link PerspectiveBands}); a taller person is still found by the
     * motion regions, which are sized by what moves.
     */
    double largest(double footY, double frameHeight) {
        return Math.max(smallest(footY, frameHeight), expected(footY, frameHeight) + SIGMAS * sigma(frameHeight));
    }

    private static double sq(double v) {
        return v * v;
    }
}
