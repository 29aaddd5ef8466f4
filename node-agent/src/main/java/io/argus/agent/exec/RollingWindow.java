package io.argus.agent.exec;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * A time window of {@code size} buckets of {@code bucketNanos} each, holding a sum and a count per
 * bucket (go-zero's {@code collection.RollingWindow}). A bucket older than the window reads as
 * empty, so an idle period forgets old figures without a timer. Synchronized: updates are a few
 * arithmetic operations.
 */
final class RollingWindow {
    private final int size;
    private final long bucketNanos;
    private final LongSupplier clock;
    private final long[] epoch;
    private final double[] sum;
    private final long[] count;

    RollingWindow(int size, long bucketNanos, LongSupplier clock) {
        this.size = size;
        this.bucketNanos = bucketNanos;
        this.clock = clock;
        this.epoch = new long[size];
        this.sum = new double[size];
        this.count = new long[size];
        Arrays.fill(epoch, Long.MIN_VALUE);
    }

    synchronized void add(double v) {
        long e = Math.floorDiv(clock.getAsLong(), bucketNanos);
        int i = (int) Math.floorMod(e, (long) size);
        if (epoch[i] != e) {
            epoch[i] = e;
            sum[i] = 0;
            count[i] = 0;
        }
        sum[i] += v;
        count[i]++;
    }

    /** The largest bucket sum in the window; 0 when empty. */
    synchronized double maxSum(boolean ignoreCurrent) {
        double max = 0;
        long now = Math.floorDiv(clock.getAsLong(), bucketNanos);
        for (int i = 0; i < size; i++) {
            if (live(i, now, ignoreCurrent)) {
                max = Math.max(max, sum[i]);
            }
        }
        return max;
    }

    /** The smallest rounded mean (sum / count) of a non-empty bucket; {@code empty} when none. */
    synchronized double minMean(boolean ignoreCurrent, double empty) {
        double min = empty;
        long now = Math.floorDiv(clock.getAsLong(), bucketNanos);
        for (int i = 0; i < size; i++) {
            if (live(i, now, ignoreCurrent) && count[i] > 0) {
                min = Math.min(min, (double) Math.round(sum[i] / count[i]));
            }
        }
        return min;
    }

    private boolean live(int i, long now, boolean ignoreCurrent) {
        long e = epoch[i];
        if (e == Long.MIN_VALUE || e > now || now - e >= size) {
            return false;
        }
        return !(ignoreCurrent && e == now);
    }
}
