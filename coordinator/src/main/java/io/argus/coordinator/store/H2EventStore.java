package io.argus.coordinator.store;

import io.argus.protocol.v1.Event;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link EventStore} on an embedded H2 database ({@code DIR/argus.mv.db}) with thumbnails as files
 * under {@code DIR/thumbnails} ({@link ThumbnailFiles}). One connection, serialised by
 * {@link RecoveringConnection}: the coordinator's write rate (events, not frames) is far below what
 * that serves, and it keeps the transaction story trivial. A write returns only once it is on the
 * device, a full disk refuses writes but keeps reads, and the store becomes writable again by itself
 * when there is room (see {@link RecoveringConnection}).
 * Per-minute aggregates are computed from the events when asked, so they can never disagree with
 * them.
 *
 * <p>An event that cannot be stored (a value longer than its column, see {@link EventColumns}) is
 * dead-lettered: kept whole in {@code dead_letters}, counted ({@code argus.events.dead_lettered})
 * and logged, while the rest of its batch is stored and the batch acknowledged. One bad event must
 * never hold back the others: a batch that fails is sent again until it succeeds.
 *
 * <p>This class opens the store and routes each call to the right connection mode; the SQL is by
 * concern: the tables and their migration in {@link EventSchema}, writes in {@link EventWrites},
 * queries in {@link EventQueries}.
 */
public final class H2EventStore implements EventStore {
    private final RecoveringConnection db;
    private final String storeId;
    private final ThumbnailFiles thumbs;
    private final EventWrites writes;

    /** A store whose dead-letter count is kept in a registry of its own (tests, tools). */
    public H2EventStore(Path dir) {
        this(dir, new SimpleMeterRegistry());
    }

    public H2EventStore(Path dir, MeterRegistry metrics) {
        this(dir, metrics, StoreSettings.DEFAULT);
    }

    public H2EventStore(Path dir, MeterRegistry metrics, StoreSettings settings) {
        Counter deadLetters = Counter.builder("argus.events.dead_lettered")
                .description("events that could not be stored and were set aside in the dead_letters table")
                .register(metrics);
        try {
            Files.createDirectories(dir);
            this.thumbs = new ThumbnailFiles(Files.createDirectories(dir.resolve("thumbnails")));
            this.writes = new EventWrites(thumbs, deadLetters);
            this.db = new RecoveringConnection("jdbc:h2:" + settings.fileSystemPrefix() + dir.toAbsolutePath().resolve("argus")
                    + ";DB_CLOSE_ON_EXIT=FALSE", new DiskSpace(dir, 0), settings, EventSchema::create);
            this.storeId = db.read(EventSchema::readStoreId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the event store in " + dir + ": " + e.getMessage(), e);
        }
        Gauge.builder("argus.coordinator.store.writable", db, c -> c.problem() == null ? 1 : 0)
                .description("1 while the event store accepts writes; 0 when the disk is below its reserve or the store is read-only")
                .register(metrics);
    }

    @Override
    public String storeId() {
        return storeId;
    }

    /** Why the store does not take writes now (disk below its reserve, read-only after a failure), or null. */
    @Override
    public @Nullable String problem() {
        return db.problem();
    }

    /**
     * {@inheritDoc} An event that cannot be stored is dead-lettered instead and does not count;
     * only a failure of the store itself (which a retry may cure) throws. Returns after the batch is
     * on the device (see {@link RecoveringConnection}), so an acknowledgement is never ahead of the disk.
     */
    @Override
    public int record(List<Event> events) {
        return db.write(c -> writes.insert(c, events));
    }

    /** Events set aside because they could not be stored (each counted once, however often it was sent). */
    @Override
    public long deadLettered() {
        return db.read(c -> EventQueries.count(c, "SELECT COUNT(*) FROM dead_letters"));
    }

    @Override
    public void saveState(String stream, byte[] bundle, long run, long epoch, long lastSequence, long timeUs, String agent) {
        db.write(c -> EventWrites.saveState(c, stream, bundle, run, epoch, lastSequence, timeUs, agent));
    }

    @Override
    public Optional<byte[]> state(String stream) {
        return db.read(c -> EventQueries.state(c, stream));
    }

    @Override
    public List<StoredEvent> events(@Nullable String stream, @Nullable String type, @Nullable Long fromUs, @Nullable Long toUs,
                                    int limit) {
        return db.read(c -> EventQueries.events(c, stream, type, fromUs, toUs, limit));
    }

    @Override
    public Map<Long, Map<String, Long>> counts(String stream, long fromUs, long toUs, long bucketUs) {
        return db.read(c -> EventQueries.counts(c, stream, fromUs, toUs, bucketUs));
    }

    @Override
    public Map<String, Long> totals(String stream) {
        return db.read(c -> EventQueries.totals(c, stream));
    }

    @Override
    public Optional<byte[]> thumbnail(String eventId) {
        return thumbs.read(eventId);
    }

    @Override
    public long eventCount() {
        return db.read(c -> EventQueries.count(c, "SELECT COUNT(*) FROM events"));
    }

    @Override
    public long newestEventTimeUs() {
        return db.read(c -> EventQueries.count(c, "SELECT COALESCE(MAX(time_us), 0) FROM events"));
    }

    @Override
    public void close() {
        db.close();
    }
}
