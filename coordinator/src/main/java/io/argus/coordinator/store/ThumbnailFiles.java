package io.argus.coordinator.store;

import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Collection;
import java.util.Optional;
import java.sql.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event thumbnails as JPEG files in one directory, named by a digest of the event id (an id is the
 * agent's text and may hold any character).
 */
final class ThumbnailFiles implements Thumbnails {
    private static final Logger log = LoggerFactory.getLogger(ThumbnailFiles.class);
    private final Path thumbs;

    ThumbnailFiles(Path dir) {
        this.thumbs = dir;
    }

    /** Written and forced to the device before the batch's transaction commits: an acknowledged thumbnail is on disk. */
    @Override
    public void write(Connection c, String id, byte[] jpeg) throws IOException {
        Path f = thumbs.resolve(fileName(id));
        Path tmp = Files.createTempFile(thumbs, "t", ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(jpeg));
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp); // a full disk must not leave half a thumbnail behind
            throw e;
        }
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The event's thumbnail, or empty when it has none or it cannot be read. */
    @Override
    public Optional<byte[]> read(String eventId) {
        Path f = thumbs.resolve(fileName(eventId));
        try {
            return Files.isRegularFile(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void deleteInTransaction(Connection c, Collection<String> eventIds) {
        // files go after the commit: a rolled-back retention run must not lose them
    }

    @Override
    public void deleteAfterCommit(Collection<String> eventIds) {
        for (String id : eventIds) {
            try {
                Files.deleteIfExists(thumbs.resolve(fileName(id)));
            } catch (IOException e) {
                log.warn("cannot delete the thumbnail of event '{}': {}", id, e.getMessage());
            }
        }
    }

    static String fileName(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8))) + ".jpg";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
