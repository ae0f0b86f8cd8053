-- Why: the back office writes over HTTP: bearer tokens (only a SHA-256 of each is kept), the
-- answers to writes that carried an Idempotency-Key, heartbeats that halt a pair when a wallet
-- node goes quiet, and `api` as the source of a change.

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,     -- the actor is api:<name>; never reused, even revoked
    token_hash    TEXT NOT NULL UNIQUE,     -- hex SHA-256 of the token; the token itself is not kept
    scopes        TEXT NOT NULL,            -- JSON list of scope names
    created_at    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT,
    -- The rate limit's bucket, shared by every replica: writes counted and when, on the
    -- database's clock (seconds since the epoch).
    bucket_level  REAL NOT NULL DEFAULT 0,
    bucket_at     REAL NOT NULL DEFAULT 0
);

CREATE TABLE idempotency_keys (
    token_id     INTEGER NOT NULL REFERENCES api_tokens (id),
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,             -- SHA-256 of the method, path and body
    status       INTEGER,                   -- NULL while the first request is still writing
    body         TEXT,                      -- the first answer, replayed
    created_at   TEXT NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

-- Heartbeats: a wallet node's dead man's switch. Beats and trips write here only, never to a
-- table the read model reads (no content-version trigger): a beat costs no rebuild. Times are
-- seconds since the epoch on the database's clock, as the lease's.
CREATE TABLE heartbeats (
    name           TEXT PRIMARY KEY,
    assets         TEXT NOT NULL,           -- JSON list of asset codes
    direction      TEXT NOT NULL CHECK (direction IN ('deposit', 'withdrawal', 'both')),
    grace_seconds  REAL NOT NULL,
    reason         TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    note_en        TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    last_beat_at   REAL NOT NULL,           -- its creation counts as the first beat
    streak         INTEGER NOT NULL DEFAULT 0,  -- beats in a row since it tripped
    tripped_at     REAL                     -- set while it holds pairs delayed
);

-- The pairs a tripped heartbeat made `delayed`: what they were, and the history row that did it
-- (a later row means someone else changed the pair: it is left alone, as maintenance does).
CREATE TABLE heartbeat_pairs (
    heartbeat       TEXT NOT NULL REFERENCES heartbeats (name),
    asset           TEXT NOT NULL REFERENCES assets (code),
    direction       TEXT NOT NULL CHECK (direction IN ('deposit', 'withdrawal')),
    prior_state     TEXT NOT NULL,
    prior_reason    TEXT NOT NULL,
    prior_note      TEXT NOT NULL,
    prior_note_en   TEXT NOT NULL,
    history_id      INTEGER NOT NULL,
    PRIMARY KEY (heartbeat, asset, direction)
);

-- `api` joins the sources a change may come from. SQLite keeps a CHECK as text in its schema;
-- widening the list changes no stored row, so the text is edited in place and the schema
-- reloaded, rather than every table rebuilt.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql, '''system'', ''seed'')', '''system'', ''seed'', ''api'')')
 WHERE type = 'table' AND sql LIKE '%source%''system'', ''seed'')%';
PRAGMA writable_schema = RESET;
