package io.argus.cli.eval;

/**
 * Counting error of one line in one direction: crossings in the ground truth ({@code truth}) and
 * by the tracker's tracks ({@code counted}), both judged by {@link LineCrossings} on the evaluated
 * frames.
 */
public record CountingError(String line, String direction, long truth, long counted) {

    public long absoluteError() {
        return Math.abs(counted - truth);
    }

    /** {@code |counted - truth| / truth}; NaN when the truth is 0 (undefined). */
    public double relativeError() {
        return truth == 0 ? Double.NaN : (double) absoluteError() / truth;
    }
}
