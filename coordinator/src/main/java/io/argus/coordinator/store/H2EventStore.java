package io.argus.coordinator.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.protocol.v1.Event;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * {@link EventStore} on an embedded H2 database ({@code DIR/argus.mv.db}) with thumbnails as files
 * under {@code DIR/thumbnails}. One connection, serialised by {@link RecoveringConnection}: the
 * coordinator's write rate (events, not frames) is far below what that serves, and it keeps the
 * transaction story trivial. A write returns only once it is on the device, a full disk refuses
 * writes but keeps reads, and the store becomes writable again by itself when there is room
 * (see {@link RecoveringConnection}).
 * Per-minute aggregates are computed from the events when asked, so they can never disagree with
 * them.
 *
 * <p>An event that cannot be stored (a value longer than its column, see {@link EventColumns}) is
 * dead-lettered: kept whole in {@code dead_letters}, counted ({@code argus.events.dead_lettered})
 * and logged, while the rest of its batch is stored and the batch acknowledged. One bad event must
 * never hold back the others: a batch that fails is sent again until it succeeds.
 */
public final class H2EventStore implements EventStore {
    private static final Logger log = LoggerFactory.getLogger(H2EventStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecoveringConnection db;
    private final String storeId;
    private final Path thumbs;
    private final Counter deadLetters;

    /** A store whose dead-letter count is kept in a registry of its own (tests, tools). */
    public H2EventStore(Path dir) {
        this(dir, new SimpleMeterRegistry());
    }

    public H2EventStore(Path dir, MeterRegistry metrics) {
        this(dir, metrics, StoreSettings.DEFAULT);
    }

    public H2EventStore(Path dir, MeterRegistry metrics, StoreSettings settings) {
        this.deadLetters = Counter.builder("argus.events.dead_lettered")
                .description("events that could not be stored and were set aside in the dead_letters table")
                .register(metrics);
        try {
            Files.createDirectories(dir);
            this.thumbs = Files.createDirectories(dir.resolve("thumbnails"));
            this.db = new RecoveringConnection("jdbc:h2:" + settings.fileSystemPrefix() + dir.toAbsolutePath().resolve("argus")
                    + ";DB_CLOSE_ON_EXIT=FALSE", new DiskSpace(dir, 0), settings, H2EventStore::schema);
            this.storeId = db.read(H2EventStore::readStoreId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the event store in " + dir + ": " + e.getMessage(), e);
        }
        Gauge.builder("argus.coordinator.store.writable", db, c -> c.problem() == null ? 1 : 0)
                .description("1 while the event store accepts writes; 0 when the disk is below its reserve or the store is read-only")
                .register(metrics);
    }

    private static Void schema(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS events (id VARCHAR(" + EventColumns.ID + ") PRIMARY KEY, type VARCHAR("
                    + EventColumns.TYPE + ") NOT NULL, stream VARCHAR(" + EventColumns.STREAM + ") NOT NULL, frame BIGINT, "
                    + "time_us BIGINT NOT NULL, line VARCHAR(" + EventColumns.LINE + "), direction VARCHAR("
                    + EventColumns.DIRECTION + "), attributes VARCHAR(" + EventColumns.ATTRIBUTES + "), "
                    + "thumbnail BOOLEAN, recorded_ms BIGINT)");
            s.execute("CREATE INDEX IF NOT EXISTS events_stream_time ON events(stream, time_us)");
            s.execute("CREATE INDEX IF NOT EXISTS events_type_time ON events(type, time_us)");
            s.execute("CREATE TABLE IF NOT EXISTS states (stream VARCHAR(128) PRIMARY KEY, bundle VARBINARY, "
                    + "time_us BIGINT, agent VARCHAR(128))");
            // checkpoints are ordered by run, then sequence (stores made before had neither)
            s.execute("ALTER TABLE states ADD COLUMN IF NOT EXISTS run BIGINT DEFAULT 0 NOT NULL");
            s.execute("ALTER TABLE states ADD COLUMN IF NOT EXISTS seq BIGINT DEFAULT -1 NOT NULL");
            // then by ownership epoch within a run (issue 14: a woken agent's checkpoint is fenced)
            s.execute("ALTER TABLE states ADD COLUMN IF NOT EXISTS epoch BIGINT DEFAULT 0 NOT NULL");
            // events that could not be stored, whole (the protobuf), once each (by its digest); stores made
            // before had none, and CREATE ... IF NOT EXISTS adds it to them
            s.execute("CREATE TABLE IF NOT EXISTS dead_letters (digest VARCHAR(64) PRIMARY KEY, "
                    + "event_id VARCHAR(" + EventColumns.ID + "), stream VARCHAR(" + EventColumns.STREAM + "), "
                    + "reason VARCHAR(1024) NOT NULL, event BLOB NOT NULL, recorded_ms BIGINT NOT NULL)");
            // the store's identity, made once: coordinators that share a store advertise the same one, and an
            // agent keeps a departed coordinator's events until a coordinator of that store has them
            s.execute("CREATE TABLE IF NOT EXISTS store_identity (id VARCHAR(64) PRIMARY KEY)");
            s.execute("INSERT INTO store_identity SELECT '" + UUID.randomUUID()
                    + "' WHERE NOT EXISTS (SELECT 1 FROM store_identity)");
        }
        return null;
    }

    private static String readStoreId(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM store_identity")) {
            rs.next();
            return rs.getString(1);
        }
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
        return db.write(c -> insert(c, events));
    }

    private int insert(Connection c, List<Event> events) throws SQLException, IOException {
        int added = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (id, type, stream, frame, time_us, line, "
                + "direction, attributes, thumbnail, recorded_ms) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
                + "WHERE NOT EXISTS (SELECT 1 FROM events WHERE id = ?)")) {
            for (Event e : events) {
                String attributes = JSON.writeValueAsString(e.getAttributesMap());
                String refusal = EventColumns.refusal(e, attributes);
                if (refusal != null) {
                    deadLetter(c, e, refusal);
                    continue;
                }
                boolean thumb = !e.getThumbnailJpeg().isEmpty();
                ps.setString(1, e.getId());
                ps.setString(2, e.getType());
                ps.setString(3, e.getStreamId());
                ps.setLong(4, e.getSourceIndex());
                ps.setLong(5, e.getTimeUs());
                ps.setString(6, e.getAttributesMap().get("line"));
                ps.setString(7, e.getAttributesMap().get("direction"));
                ps.setString(8, attributes);
                ps.setBoolean(9, thumb);
                ps.setLong(10, System.currentTimeMillis());
                ps.setString(11, e.getId());
                int n;
                try {
                    n = ps.executeUpdate();
                } catch (SQLException ex) {
                    if (!isBadData(ex)) {
                        throw ex; // the store's own failure: the batch fails and is sent again
                    }
                    deadLetter(c, e, "refused by the database: " + ex.getMessage());
                    continue;
                }
                if (n > 0 && thumb) {
                    writeThumbnail(e.getId(), e.getThumbnailJpeg().toByteArray());
                }
                added += n;
            }
        }
        return added;
    }

    /** SQL state class 22, "data exception" (value too long, out of range...): the event, not the store, is at fault. */
    static boolean isBadData(SQLException ex) {
        return ex.getSQLState() != null && ex.getSQLState().startsWith("22");
    }

    /** Keeps an event that cannot be stored, once, counts it and says so. */
    private void deadLetter(Connection c, Event e, String reason) throws SQLException {
        byte[] whole = e.toByteArray();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO dead_letters (digest, event_id, stream, reason, "
                + "event, recorded_ms) SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM dead_letters WHERE digest = ?)")) {
            String digest = HexFormat.of().formatHex(sha256(whole));
            ps.setString(1, digest);
            ps.setString(2, clip(e.getId(), EventColumns.ID));
            ps.setString(3, clip(e.getStreamId(), EventColumns.STREAM));
            ps.setString(4, clip(reason, 1024)); // a database's message may quote the whole value
            ps.setBytes(5, whole);
            ps.setLong(6, System.currentTimeMillis());
            ps.setString(7, digest);
            if (ps.executeUpdate() > 0) { // a resent batch does not count it twice
                deadLetters.increment();
                log.warn("event '{}' of stream '{}' cannot be stored and was dead-lettered ({} bytes): {}",
                        clip(e.getId(), 120), clip(e.getStreamId(), 120), whole.length, clip(reason, 300));
            }
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Events set aside because they could not be stored (each counted once, however often it was sent). */
    @Override
    public long deadLettered() {
        return db.read(c -> count(c, "SELECT COUNT(*) FROM dead_letters"));
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Written and forced to the device before the batch's transaction commits: an acknowledged thumbnail is on disk. */
    private void writeThumbnail(String id, byte[] jpeg) throws IOException {
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

    static String fileName(String id) {
        try {
            // the platform charset, as before: the names of stored thumbnails depend on it
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(Charset.defaultCharset())))
                    + ".jpg";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void saveState(String stream, byte[] bundle, long run, long epoch, long lastSequence, long timeUs, String agent) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO states (stream, bundle, time_us, agent, run, epoch, seq) "
                    + "KEY(stream) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM states WHERE stream = ? AND "
                    + "(run > ? OR (run = ? AND epoch > ?) OR (run = ? AND epoch = ? AND seq > ?) "
                    + "OR (run = ? AND epoch = ? AND seq = ? AND time_us > ?)))")) {
                int i = 1;
                ps.setString(i++, stream);
                ps.setBytes(i++, bundle);
                ps.setLong(i++, timeUs);
                ps.setString(i++, agent);
                ps.setLong(i++, run);
                ps.setLong(i++, epoch);
                ps.setLong(i++, lastSequence);
                ps.setString(i++, stream);
                ps.setLong(i++, run);
                ps.setLong(i++, run);
                ps.setLong(i++, epoch);
                ps.setLong(i++, run);
                ps.setLong(i++, epoch);
                ps.setLong(i++, lastSequence);
                ps.setLong(i++, run);
                ps.setLong(i++, epoch);
                ps.setLong(i++, lastSequence);
                ps.setLong(i, timeUs);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<byte[]> state(String stream) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT bundle FROM states WHERE stream = ?")) {
                ps.setString(1, stream);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    @Override
    public List<StoredEvent> events(@Nullable String stream, @Nullable String type, @Nullable Long fromUs, @Nullable Long toUs, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, type, stream, frame, time_us, attributes, thumbnail FROM events WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (stream != null) {
            sql.append(" AND stream = ?");
            args.add(stream);
        }
        if (type != null) {
            sql.append(" AND type = ?");
            args.add(type);
        }
        if (fromUs != null) {
            sql.append(" AND time_us >= ?");
            args.add(fromUs);
        }
        if (toUs != null) {
            sql.append(" AND time_us < ?");
            args.add(toUs);
        }
        sql.append(" ORDER BY time_us, id LIMIT ?");
        args.add(limit);
        return db.read(c -> {
            List<StoredEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, String> attrs = JSON.readValue(rs.getString(6),
                                new TypeReference<LinkedHashMap<String, String>>() {
                                });
                        out.add(new StoredEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                                rs.getLong(5), attrs, rs.getBoolean(7)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Map<Long, Map<String, Long>> counts(String stream, long fromUs, long toUs, long bucketUs) {
        return db.read(c -> {
            Map<Long, Map<String, Long>> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT (time_us / ?) * ? AS bucket, line, direction, COUNT(*) "
                    + "FROM events WHERE stream = ? AND type = 'crossing' AND time_us >= ? AND time_us < ? "
                    + "GROUP BY bucket, line, direction ORDER BY bucket")) {
                ps.setLong(1, bucketUs);
                ps.setLong(2, bucketUs);
                ps.setString(3, stream);
                ps.setLong(4, fromUs);
                ps.setLong(5, toUs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>())
                                .put(rs.getString(2) + "." + rs.getString(3), rs.getLong(4));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Map<String, Long> totals(String stream) {
        return db.read(c -> {
            Map<String, Long> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT line, direction, COUNT(*) FROM events "
                    + "WHERE stream = ? AND type = 'crossing' GROUP BY line, direction")) {
                ps.setString(1, stream);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1) + "." + rs.getString(2), rs.getLong(3));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Optional<byte[]> thumbnail(String eventId) {
        Path f = thumbs.resolve(fileName(eventId));
        try {
            return Files.isRegularFile(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public long eventCount() {
        return db.read(c -> count(c, "SELECT COUNT(*) FROM events"));
    }

    @Override
    public long newestEventTimeUs() {
        return db.read(c -> count(c, "SELECT COALESCE(MAX(time_us), 0) FROM events"));
    }

    @Override
    public void close() {
        db.close();
    }
}
