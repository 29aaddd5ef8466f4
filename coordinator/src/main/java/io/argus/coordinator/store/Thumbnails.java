package io.argus.coordinator.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Optional;

/**
 * Where event thumbnails live: files beside the embedded store ({@link ThumbnailFiles}) or rows of
 * the shared database ({@link ThumbnailTable}), so that every coordinator of a shared store serves
 * every thumbnail.
 */
interface Thumbnails {

    /** Stores an event's thumbnail inside the transaction that stores the event. */
    void write(Connection c, String eventId, byte[] jpeg) throws SQLException, IOException;

    /** The event's thumbnail, or empty when it has none (or it was removed by retention). */
    Optional<byte[]> read(String eventId);

    /** Removes thumbnails inside the transaction that forgets them (a table's rows). */
    void deleteInTransaction(Connection c, Collection<String> eventIds) throws SQLException;

    /** Removes thumbnails after that transaction committed (files: a rollback must not lose them). */
    void deleteAfterCommit(Collection<String> eventIds);
}
