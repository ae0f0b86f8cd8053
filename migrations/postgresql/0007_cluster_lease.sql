-- Why: the service processes sharing one database elect a leader through a lease row; its times
-- are epoch seconds read from the database's clock (DOUBLE PRECISION here, SQLite's REAL), so no
-- process depends on its own clock.

CREATE TABLE leases (
    name        TEXT PRIMARY KEY,           -- what is led: 'leader'
    holder      TEXT NOT NULL,              -- the process, for people: host:pid
    token       TEXT NOT NULL,              -- random per process: only its holder can renew
    term        INTEGER NOT NULL,           -- rises on every takeover (a fencing number)
    expires_at  DOUBLE PRECISION NOT NULL,
    renewed_at  DOUBLE PRECISION NOT NULL
);
