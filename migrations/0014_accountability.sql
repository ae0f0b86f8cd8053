-- Why: every event and every later translation joins a hash chain, so that any edit or deletion
-- made afterwards shows; the notification report reads deliveries by event, events and history
-- by time, and when a subscription was disabled.

-- Filled for existing rows by the Python step of the same name (bot.store.audit), which runs
-- right after this script in the same transaction.
ALTER TABLE events ADD COLUMN chain_seq INTEGER;
ALTER TABLE events ADD COLUMN chain_hash TEXT;
ALTER TABLE events ADD COLUMN chain_fields TEXT;
CREATE UNIQUE INDEX events_chain ON events (chain_seq);
ALTER TABLE translations ADD COLUMN chain_seq INTEGER;
ALTER TABLE translations ADD COLUMN chain_hash TEXT;
ALTER TABLE translations ADD COLUMN chain_fields TEXT;
CREATE UNIQUE INDEX translations_chain ON translations (chain_seq);
-- The last entry's number and hash: what /api/v1/status publishes and the next entry follows.
CREATE TABLE audit_head (
    id       INTEGER PRIMARY KEY CHECK (id = 1),  -- the one row, written with the first entry
    entries  INTEGER NOT NULL,
    hash     TEXT NOT NULL
);

-- The notification report counts each event's deliveries by state, finds events and history
-- rows by time, and names the subscriptions disabled in its period (NULL: before this).
CREATE INDEX deliveries_by_event_state ON deliveries (event_id, state);
CREATE INDEX IF NOT EXISTS status_history_changed_at ON status_history (changed_at);
CREATE INDEX events_by_time ON events (created_at);
ALTER TABLE subscriptions ADD COLUMN disabled_at TEXT;
