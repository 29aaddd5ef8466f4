package io.argus.coordinator.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Free space where the coordinator keeps its store, for {@code /healthz} and the metrics. A store
 * that runs out of space fails writes (the probe's H2 closed itself at 2 MiB); reporting the space
 * before that lets an operator act, and makes {@code /healthz} say why when it happens.
 *
 * @param minFreeBytes below this the coordinator reports itself degraded
 */
public record DiskSpace(Path dataDir, long minFreeBytes) {
    /** Free space below which the coordinator is degraded: room for a few minutes of events and checkpoints. */
    public static final long DEFAULT_MIN_FREE_BYTES = 256L * 1024 * 1024;

    /** Bytes this process may still write under the data directory, or -1 when it cannot be read. */
    public long usableBytes() {
        try {
            return Files.getFileStore(dataDir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Why the disk is a problem, or null when it is not. */
    public @Nullable String problem() {
        long free = usableBytes();
        if (free < 0) {
            return "disk: the free space of " + dataDir + " cannot be read";
        }
        if (free < minFreeBytes) {
            return "disk: " + free / (1024 * 1024) + " MiB free under " + dataDir + ", below the minimum of "
                    + minFreeBytes / (1024 * 1024) + " MiB (CoordinatorConfig.minFreeDiskBytes); writes may fail";
        }
        return null;
    }
}
