package io.argus.coordinator.store;

import io.argus.protocol.v1.Event;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link EventStore} on JDBC, with one schema (Flyway migrations, {@link EventMigrations}) and one
 * set of SQL for its two homes:
 * <ul>
 *   <li><b>Embedded</b> ({@link #embedded}): an H2 file ({@code DIR/argus.mv.db}) with thumbnails as
 *   files under {@code DIR/thumbnails}, on one connection that survives a full disk
 *   ({@link RecoveringConnection}). The default on one machine.</li>
 *   <li><b>Shared</b> ({@link #shared}): a PostgreSQL server that every coordinator uses, thumbnails
 *   in its {@code thumbnails} table, through a connection pool ({@link PooledConnections}). One
 *   record: every coordinator answers {@code /counts} from the same rows, and one that was away
 *   finds everything that happened meanwhile when it comes back.</li>
 * </ul>
 * Writes are idempotent by event id; an event that cannot be stored is dead-lettered (kept whole
 * in {@code dead_letters}, counted as {@code argus.events.dead_lettered}) and the rest of its batch
 * is stored. The per-minute counts and totals are kept as events arrive ({@link EventWrites}), so
 * {@code counts} and {@code totals} cost O(buckets). Retention ({@link #enforceRetention}) bounds
 * events and thumbnails by age and size ({@link RetentionSettings}).
 *
 * <p>This class opens the store and routes each call; the SQL is by concern: writes in
 * {@link EventWrites}, queries in {@link EventQueries}, retention in {@link Retention}, the few
 * statements the two databases spell differently in {@link SqlDialect}.
 */
public final class JdbcEventStore implements EventStore {
    private final StoreConnections db;
    private final String storeId;
    private final Thumbnails thumbs;
    private final EventWrites writes;
    private final Retention retention;

    /** The connections every read and write goes through; tests hold the embedded one's lock to stall reads. */
    StoreConnections connections() {
        return db;
    }

    private JdbcEventStore(StoreConnections db, SqlDialect dialect, Thumbnails thumbs, StoreSettings settings,
                           MeterRegistry metrics) {
        this.db = db;
        this.thumbs = thumbs;
        Counter deadLetters = Counter.builder("argus.events.dead_lettered")
                .description("events that could not be stored and were set aside in the dead_letters table")
                .register(metrics);
        this.writes = new EventWrites(dialect, thumbs, deadLetters, settings.clock());
        this.retention = new Retention(db, thumbs, settings.retention(), metrics);
        this.storeId = db.read(EventMigrations::readStoreId);
        Gauge.builder("argus.coordinator.store.writable", db, c -> c.problem() == null ? 1 : 0)
                .description("1 while the event store accepts writes; 0 when the disk is below its reserve, the store "
                        + "is read-only or its server cannot be reached")
                .register(metrics);
    }

    /** The embedded store in {@code dir}, its dead-letter count in a registry of its own (tests, tools). */
    public static JdbcEventStore embedded(Path dir) {
        return embedded(dir, new SimpleMeterRegistry(), StoreSettings.DEFAULT);
    }

    /** The embedded store in {@code dir} with the default settings. */
    public static JdbcEventStore embedded(Path dir, MeterRegistry metrics) {
        return embedded(dir, metrics, StoreSettings.DEFAULT);
    }

    /** The embedded H2 store in {@code dir} (the data directory). */
    public static JdbcEventStore embedded(Path dir, MeterRegistry metrics, StoreSettings settings) {
        try {
            Files.createDirectories(dir);
            ThumbnailFiles thumbs = new ThumbnailFiles(Files.createDirectories(dir.resolve("thumbnails")));
            String url = "jdbc:h2:" + settings.fileSystemPrefix() + dir.toAbsolutePath().resolve("argus") + ";DB_CLOSE_ON_EXIT=FALSE";
            RecoveringConnection db = new RecoveringConnection(url, new DiskSpace(dir, 0), settings, () -> {
                JdbcDataSource ds = new JdbcDataSource();
                ds.setURL(url);
                ds.setUser("argus");
                ds.setPassword("");
                EventMigrations.migrate(ds);
            });
            return new JdbcEventStore(db, SqlDialect.H2, thumbs, settings, metrics);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the event store in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The store {@code settings} name ({@link StoreSettings#url()}), or the embedded one in {@code dataDir}. */
    public static JdbcEventStore open(Path dataDir, MeterRegistry metrics, StoreSettings settings) {
        String url = settings.url();
        return url == null ? embedded(dataDir, metrics, settings) : shared(url, metrics, settings);
    }

    /** The shared store on a PostgreSQL server: migrated (once, under Flyway's lock) before first use. */
    public static JdbcEventStore shared(String url, MeterRegistry metrics, StoreSettings settings) {
        SqlDialect dialect = SqlDialect.of(url);
        PooledConnections db;
        try {
            db = new PooledConnections(url, settings.user(), settings.password(), settings);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach the event store at " + url + " as " + settings.user() + ": "
                    + e.getMessage() + "; check that the server runs, the database exists and the password file is right", e);
        }
        try {
            EventMigrations.migrate(db.dataSource());
            return new JdbcEventStore(db, dialect, new ThumbnailTable(dialect, db), settings, metrics);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    @Override
    public String storeId() {
        return storeId;
    }

    /** Why the store does not take writes now (disk below its reserve, read-only, server away), or null. */
    @Override
    public @Nullable String problem() {
        return db.problem();
    }

    /**
     * {@inheritDoc} An event that cannot be stored is dead-lettered instead and does not count;
     * only a failure of the store itself (which a retry may cure) throws. Returns after the batch is
     * committed and durable, so an acknowledgement is never ahead of the disk.
     */
    @Override
    public int record(List<Event> events) {
        return recordNew(events).size();
    }

    /** {@inheritDoc} Known per event: the insert says whether it stored it. */
    @Override
    public List<Event> recordNew(List<Event> events) {
        return db.write(c -> writes.insert(c, events));
    }

    /** Events set aside because they could not be stored (each counted once, however often it was sent). */
    @Override
    public long deadLettered() {
        return db.read(c -> EventQueries.count(c, "SELECT COUNT(*) FROM dead_letters"));
    }

    @Override
    public void saveState(String stream, byte[] bundle, long run, long epoch, long lastSequence, long timeUs, String agent) {
        db.write(c -> writes.saveState(c, stream, bundle, run, epoch, lastSequence, timeUs, agent));
    }

    @Override
    public Optional<byte[]> state(String stream) {
        return db.read(c -> EventQueries.state(c, stream));
    }

    @Override
    public Optional<StoredCheckpoint> storedCheckpoint(String stream) {
        return db.read(c -> EventQueries.storedCheckpoint(c, stream));
    }

    @Override
    public List<StoredEvent> events(@Nullable String stream, @Nullable String type, @Nullable Long fromUs, @Nullable Long toUs,
                                    int limit) {
        return db.read(c -> EventQueries.events(c, stream, type, fromUs, toUs, limit));
    }

    @Override
    public Map<Long, Map<String, Long>> counts(String stream, CountKind kind, long fromUs, long toUs, long bucketUs) {
        return db.read(c -> EventQueries.counts(c, stream, kind.column(), fromUs, toUs, bucketUs));
    }

    @Override
    public Map<String, Long> totals(String stream, CountKind kind) {
        return db.read(c -> EventQueries.totals(c, stream, kind.column()));
    }

    @Override
    public List<String> countedStreams() {
        return db.read(c -> EventQueries.streams(c, MAX_COUNTED_STREAMS));
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
    public Retention.Report enforceRetention(long nowMs) {
        return retention.run(nowMs);
    }

    @Override
    public void close() {
        db.close();
    }
}
