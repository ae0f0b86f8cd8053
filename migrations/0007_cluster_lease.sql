-- Why: several service processes on one database choose one leader by a lease row; times are
-- seconds since the epoch on the database's clock, so the processes' own clocks never matter.

CREATE TABLE leases (
    name        TEXT PRIMARY KEY,           -- what is led: 'leader'
    holder      TEXT NOT NULL,              -- the process, for people: host:pid
    token       TEXT NOT NULL,              -- random per process: only its holder can renew
    term        INTEGER NOT NULL,           -- rises on every takeover (a fencing number)
    expires_at  REAL NOT NULL,
    renewed_at  REAL NOT NULL
);
