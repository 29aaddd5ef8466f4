package io.argus.coordinator.store;

import java.time.Duration;

/**
 * How long the store keeps what it records, by age and by size, enforced in the background
 * ({@link Retention}) every {@link #interval()}. Age is measured on the coordinator's clock when an
 * event was stored (an event's own time is its camera's, and a recording's may be 1970). The
 * per-minute counts are kept longer than the events, and the all-time totals are never removed: a
 * door's total does not go down because old events were deleted. Immutable; the builder documents
 * each default.
 */
public final class RetentionSettings {
    /** Events older than this are deleted: 90 days, a quarter of history to look back on. */
    public static final int DEFAULT_MAX_EVENT_AGE_DAYS = 90;
    public static final Duration DEFAULT_MAX_EVENT_AGE = Duration.ofDays(DEFAULT_MAX_EVENT_AGE_DAYS);
    /**
     * At most this many events are kept, the oldest deleted first: 5,000,000. An event row with its
     * indexes is about 0.5 KB (id, attributes JSON up to a few hundred bytes), so about 2.5 GB.
     */
    public static final long DEFAULT_MAX_EVENTS = 5_000_000L;
    /** Thumbnails older than this are deleted (their events stay): 30 days. */
    public static final int DEFAULT_MAX_THUMBNAIL_AGE_DAYS = 30;
    public static final Duration DEFAULT_MAX_THUMBNAIL_AGE = Duration.ofDays(DEFAULT_MAX_THUMBNAIL_AGE_DAYS);
    /**
     * Thumbnails are kept up to this many bytes in all, the oldest deleted first: 2 GiB, about
     * 300,000 crossing thumbnails of at most 160x120 (about 7 KB each).
     */
    public static final long DEFAULT_MAX_THUMBNAIL_BYTES = 2L * 1024 * 1024 * 1024;
    /** Per-minute counts older than this are deleted: 400 days, a year compared with the last. */
    public static final Duration DEFAULT_MAX_MINUTE_COUNT_AGE = Duration.ofDays(400);
    /** Time between retention runs: 1 minute. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /**
     * Rows deleted per transaction: 5,000, so that a run over a large backlog holds locks briefly and
     * leaves room for ingest between its transactions.
     */
    public static final int DEFAULT_BATCH_ROWS = 5_000;
    public static final RetentionSettings DEFAULT = builder().build();

    private final Duration maxEventAge;
    private final long maxEvents;
    private final Duration maxThumbnailAge;
    private final long maxThumbnailBytes;
    private final Duration maxMinuteCountAge;
    private final Duration interval;
    private final int batchRows;

    private RetentionSettings(Builder b) {
        this.maxEventAge = b.maxEventAge;
        this.maxEvents = b.maxEvents;
        this.maxThumbnailAge = b.maxThumbnailAge;
        this.maxThumbnailBytes = b.maxThumbnailBytes;
        this.maxMinuteCountAge = b.maxMinuteCountAge;
        this.interval = b.interval;
        this.batchRows = b.batchRows;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration maxEventAge() {
        return maxEventAge;
    }

    public long maxEvents() {
        return maxEvents;
    }

    public Duration maxThumbnailAge() {
        return maxThumbnailAge;
    }

    public long maxThumbnailBytes() {
        return maxThumbnailBytes;
    }

    public Duration maxMinuteCountAge() {
        return maxMinuteCountAge;
    }

    public Duration interval() {
        return interval;
    }

    public int batchRows() {
        return batchRows;
    }

    public static final class Builder {
        private Duration maxEventAge = DEFAULT_MAX_EVENT_AGE;
        private long maxEvents = DEFAULT_MAX_EVENTS;
        private Duration maxThumbnailAge = DEFAULT_MAX_THUMBNAIL_AGE;
        private long maxThumbnailBytes = DEFAULT_MAX_THUMBNAIL_BYTES;
        private Duration maxMinuteCountAge = DEFAULT_MAX_MINUTE_COUNT_AGE;
        private Duration interval = DEFAULT_INTERVAL;
        private int batchRows = DEFAULT_BATCH_ROWS;

        /** Default {@link #DEFAULT_MAX_EVENT_AGE}; at least 1 minute. */
        public Builder maxEventAge(Duration d) {
            this.maxEventAge = atLeast("maxEventAge", d, Duration.ofMinutes(1));
            return this;
        }

        /** Default {@link #DEFAULT_MAX_EVENTS}; at least 1,000. */
        public Builder maxEvents(long n) {
            if (n < 1_000) {
                throw new IllegalArgumentException("maxEvents must be >= 1000, got " + n);
            }
            this.maxEvents = n;
            return this;
        }

        /** Default {@link #DEFAULT_MAX_THUMBNAIL_AGE}; at least 1 minute. */
        public Builder maxThumbnailAge(Duration d) {
            this.maxThumbnailAge = atLeast("maxThumbnailAge", d, Duration.ofMinutes(1));
            return this;
        }

        /** Default {@link #DEFAULT_MAX_THUMBNAIL_BYTES}; at least 1 MiB. */
        public Builder maxThumbnailBytes(long bytes) {
            if (bytes < 1024 * 1024) {
                throw new IllegalArgumentException("maxThumbnailBytes must be >= 1 MiB, got " + bytes);
            }
            this.maxThumbnailBytes = bytes;
            return this;
        }

        /** Default {@link #DEFAULT_MAX_MINUTE_COUNT_AGE}; at least 1 hour. */
        public Builder maxMinuteCountAge(Duration d) {
            this.maxMinuteCountAge = atLeast("maxMinuteCountAge", d, Duration.ofHours(1));
            return this;
        }

        /** Default {@link #DEFAULT_INTERVAL}; between 1 second and 1 day. */
        public Builder interval(Duration d) {
            atLeast("interval", d, Duration.ofSeconds(1));
            if (d.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("interval must be <= 1 day, got " + d);
            }
            this.interval = d;
            return this;
        }

        /** Default {@link #DEFAULT_BATCH_ROWS}; between 100 and 1,000,000. */
        public Builder batchRows(int n) {
            if (n < 100 || n > 1_000_000) {
                throw new IllegalArgumentException("batchRows must be in [100, 1000000], got " + n);
            }
            this.batchRows = n;
            return this;
        }

        private static Duration atLeast(String name, Duration d, Duration min) {
            if (d.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be >= " + min + ", got " + d);
            }
            return d;
        }

        public RetentionSettings build() {
            return new RetentionSettings(this);
        }
    }
}
