-- The event store as coordinators made it before its schema was migrated by Flyway. Every statement is
-- idempotent, so a store made by an older coordinator (baselined at version 0) gains the columns and
-- tables it lacks and keeps its data. Written once for H2 and PostgreSQL: the types are those both take.
-- Column sizes come from EventColumns (placeholders), so the check before a write cannot drift from them.
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR(${id_chars}) PRIMARY KEY,
    type VARCHAR(${type_chars}) NOT NULL,
    stream VARCHAR(${stream_chars}) NOT NULL,
    frame BIGINT,
    time_us BIGINT NOT NULL,
    line VARCHAR(${line_chars}),
    direction VARCHAR(${direction_chars}),
    attributes VARCHAR(${attributes_chars}),
    thumbnail BOOLEAN,
    recorded_ms BIGINT);
CREATE INDEX IF NOT EXISTS events_stream_time ON events(stream, time_us);
CREATE INDEX IF NOT EXISTS events_type_time ON events(type, time_us);

CREATE TABLE IF NOT EXISTS states (
    stream VARCHAR(${stream_chars}) PRIMARY KEY,
    bundle BYTEA,
    time_us BIGINT,
    agent VARCHAR(128));
-- checkpoints are ordered by run, then ownership epoch, then sequence (stores made before had none)
ALTER TABLE states ADD COLUMN IF NOT EXISTS run BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE states ADD COLUMN IF NOT EXISTS seq BIGINT DEFAULT -1 NOT NULL;
ALTER TABLE states ADD COLUMN IF NOT EXISTS epoch BIGINT DEFAULT 0 NOT NULL;

-- events that could not be stored, whole (the protobuf), once each (by its digest)
CREATE TABLE IF NOT EXISTS dead_letters (
    digest VARCHAR(64) PRIMARY KEY,
    event_id VARCHAR(${id_chars}),
    stream VARCHAR(${stream_chars}),
    reason VARCHAR(1024) NOT NULL,
    event BYTEA NOT NULL,
    recorded_ms BIGINT NOT NULL);

-- the store's identity (one row, written by V1_1__StoreIdentity): coordinators that share a store
-- advertise the same one, and an agent keeps a departed coordinator's events until a coordinator of
-- that store has them
CREATE TABLE IF NOT EXISTS store_identity (id VARCHAR(64) PRIMARY KEY);
