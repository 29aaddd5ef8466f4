package io.argus.coordinator.store;

import java.time.Duration;

/**
 * How the embedded store guards its disk and recovers from a failure. Immutable; the builder
 * documents each default.
 */
public final class StoreSettings {
    /**
     * Free space (bytes) under which writes are refused before they reach the database: 32 MiB. A
     * batch is at most 200 events (the agent's batch) with a thumbnail of at most 64 KiB each, so
     * 12.5 MiB of thumbnails plus one store chunk; 32 MiB leaves room for two such batches in flight.
     * Refusing early keeps H2 from meeting ENOSPC in the middle of a write, after which it closes
     * itself ("database has been closed").
     */
    public static final long DEFAULT_WRITE_RESERVE_BYTES = 32L * 1024 * 1024;
    /** Least time between attempts to reopen a store that failed for writing: 5 s. */
    public static final Duration DEFAULT_REOPEN_INTERVAL = Duration.ofSeconds(5);
    public static final StoreSettings DEFAULT = builder().build();

    private final long writeReserveBytes;
    private final Duration reopenInterval;
    private final String fileSystemPrefix;

    private StoreSettings(Builder b) {
        this.writeReserveBytes = b.writeReserveBytes;
        this.reopenInterval = b.reopenInterval;
        this.fileSystemPrefix = b.fileSystemPrefix;
    }

    public static Builder builder() {
        return new Builder();
    }

    public long writeReserveBytes() {
        return writeReserveBytes;
    }

    public Duration reopenInterval() {
        return reopenInterval;
    }

    /** H2's file-system prefix for the database file ({@code ""}: the default file system). */
    public String fileSystemPrefix() {
        return fileSystemPrefix;
    }

    public static final class Builder {
        private long writeReserveBytes = DEFAULT_WRITE_RESERVE_BYTES;
        private Duration reopenInterval = DEFAULT_REOPEN_INTERVAL;
        private String fileSystemPrefix = "";

        /** Default {@link #DEFAULT_WRITE_RESERVE_BYTES}; 0 turns the early refusal off. */
        public Builder writeReserveBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("writeReserveBytes must be >= 0, got " + bytes);
            }
            this.writeReserveBytes = bytes;
            return this;
        }

        /** Default {@link #DEFAULT_REOPEN_INTERVAL}; between 10 ms and 10 minutes. */
        public Builder reopenInterval(Duration d) {
            if (d.toMillis() < 10 || d.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("reopenInterval must be in [10 ms, 10 min], got " + d);
            }
            this.reopenInterval = d;
            return this;
        }

        /**
         * Default {@code ""} (the platform file system). An H2 file-system prefix such as
         * {@code "nio:"}; the tests use one that runs out of space on purpose.
         */
        public Builder fileSystemPrefix(String prefix) {
            if (!prefix.isEmpty() && !prefix.matches("[a-zA-Z][a-zA-Z0-9]*:")) {
                throw new IllegalArgumentException("fileSystemPrefix must look like 'name:', got '" + prefix + "'");
            }
            this.fileSystemPrefix = prefix;
            return this;
        }

        public StoreSettings build() {
            return new StoreSettings(this);
        }
    }
}
