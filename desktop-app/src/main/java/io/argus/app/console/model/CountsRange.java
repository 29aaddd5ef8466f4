package io.argus.app.console.model;

/**
 * The time ranges of Detail's counts chart and the bucket each is drawn in. The buckets give 30, 60
 * and 96 points: fine enough to see a burst, few enough to read and to draw every refresh, and far
 * below the 10,080 buckets the coordinator's gateway serves in one answer. The hour and the day use
 * whole minutes, which the gateway reads from its per-minute table; the 10-second buckets of the last
 * five minutes are counted from that short stretch of stored events. Buckets start on multiples of
 * their size since the epoch, as the gateway's do, so a bucket means the same thing in every answer.
 */
public enum CountsRange {
    LAST_5_MIN("last 5 min", 5 * Ms.MINUTE, 10 * Ms.SECOND, "10s", "10 s", 5 * Ms.SECOND),
    LAST_HOUR("last hour", Ms.HOUR, Ms.MINUTE, "1m", "1 min", 15 * Ms.SECOND),
    LAST_DAY("last day", 24 * Ms.HOUR, 15 * Ms.MINUTE, "15m", "15 min", Ms.MINUTE);

    private final String label;
    private final long rangeMs;
    private final long bucketMs;
    private final String gatewayBucket;
    private final String bucketLabel;
    private final long refreshMs;

    CountsRange(String label, long rangeMs, long bucketMs, String gatewayBucket, String bucketLabel, long refreshMs) {
        this.label = label;
        this.rangeMs = rangeMs;
        this.bucketMs = bucketMs;
        this.gatewayBucket = gatewayBucket;
        this.bucketLabel = bucketLabel;
        this.refreshMs = refreshMs;
    }

    /** "last hour". */
    public String label() {
        return label;
    }

    public long rangeMs() {
        return rangeMs;
    }

    public long bucketMs() {
        return bucketMs;
    }

    /** The bucket as the gateway's {@code bucket=} parameter spells it. */
    String gatewayBucket() {
        return gatewayBucket;
    }

    /** "1 min". */
    public String bucketLabel() {
        return bucketLabel;
    }

    /**
     * How often the chart is read again while it is shown: a fraction of a bucket, so that the
     * current bucket visibly fills, and never more than one small query per kind every five seconds,
     * which bounds what an open Detail costs the coordinator.
     */
    public long refreshMs() {
        return refreshMs;
    }

    /** The end (exclusive) of the window shown at {@code nowMs}: the end of the bucket now is in. */
    public long endMs(long nowMs) {
        return Math.floorDiv(nowMs, bucketMs) * bucketMs + bucketMs;
    }

    /** The start of the window shown at {@code nowMs}: {@link #rangeMs} before its end. */
    public long startMs(long nowMs) {
        return endMs(nowMs) - rangeMs;
    }

    /** Milliseconds, for the constants above. */
    private static final class Ms {
        static final long SECOND = 1000;
        static final long MINUTE = 60 * SECOND;
        static final long HOUR = 60 * MINUTE;
    }
}
