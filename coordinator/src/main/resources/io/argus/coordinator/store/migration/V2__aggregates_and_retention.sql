-- Incremental aggregates: counts per stream, kind ('line' or 'zone'), name, direction ('in'/'out' for a
-- line, 'enter'/'exit' for a zone) and minute, added to in the transaction that stores the event
-- (EventWrites), so that counts and totals read O(buckets) rows, not the events. count_totals holds the
-- all-time sums; retention never removes them (an operator's door total does not go down because old
-- events were deleted).
CREATE TABLE IF NOT EXISTS minute_counts (
    stream VARCHAR(${stream_chars}) NOT NULL,
    kind VARCHAR(8) NOT NULL,
    name VARCHAR(${line_chars}) NOT NULL,
    direction VARCHAR(${direction_chars}) NOT NULL,
    minute_us BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (stream, kind, name, direction, minute_us));
CREATE INDEX IF NOT EXISTS minute_counts_minute ON minute_counts(minute_us);
CREATE TABLE IF NOT EXISTS count_totals (
    stream VARCHAR(${stream_chars}) NOT NULL,
    kind VARCHAR(8) NOT NULL,
    name VARCHAR(${line_chars}) NOT NULL,
    direction VARCHAR(${direction_chars}) NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (stream, kind, name, direction));

-- the zone of a zone event, as a column (it was only inside the attributes before): the aggregates and
-- the queries read it without parsing JSON
ALTER TABLE events ADD COLUMN IF NOT EXISTS zone VARCHAR(${line_chars});
-- retention: by the coordinator's clock when the event was stored (an event's own time is the
-- camera's, which for a recording may be 1970), and the bytes of its thumbnail
ALTER TABLE events ADD COLUMN IF NOT EXISTS thumb_bytes BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX IF NOT EXISTS events_recorded ON events(recorded_ms);

-- thumbnails kept in the database (a shared store: every coordinator serves every thumbnail)
CREATE TABLE IF NOT EXISTS thumbnails (
    id VARCHAR(${id_chars}) PRIMARY KEY,
    jpeg BYTEA NOT NULL);

-- the crossings stored before this version: their aggregates, once (zones were not columns then)
INSERT INTO minute_counts (stream, kind, name, direction, minute_us, n)
    SELECT stream, 'line', COALESCE(line, ''), COALESCE(direction, ''), (time_us / 60000000) * 60000000, COUNT(*)
    FROM events WHERE type = 'crossing'
    GROUP BY stream, COALESCE(line, ''), COALESCE(direction, ''), (time_us / 60000000) * 60000000;
INSERT INTO count_totals (stream, kind, name, direction, n)
    SELECT stream, 'line', COALESCE(line, ''), COALESCE(direction, ''), COUNT(*)
    FROM events WHERE type = 'crossing'
    GROUP BY stream, COALESCE(line, ''), COALESCE(direction, '');
