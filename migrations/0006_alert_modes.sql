-- Why: subscribers choose quiet hours or a daily digest; alerts held for them stay in the outbox
-- until one summary delivery tells them all, created once per (subscription, window end).

ALTER TABLE subscriptions ADD COLUMN alert_mode TEXT NOT NULL DEFAULT 'instant'
    CHECK (alert_mode IN ('instant', 'quiet', 'digest'));
ALTER TABLE subscriptions ADD COLUMN quiet_from TEXT;   -- HH:MM in the display zone (JST)
ALTER TABLE subscriptions ADD COLUMN quiet_until TEXT;  -- HH:MM; before quiet_from: over midnight
ALTER TABLE subscriptions ADD COLUMN digest_at TEXT;    -- HH:MM
-- Each fan-out reads the few subscribers who hold alerts, not all of them.
CREATE INDEX subscriptions_timed ON subscriptions (alert_mode) WHERE alert_mode != 'instant';

-- The outbox learns two states and one kind of row. A `held` delivery waits, its
-- next_attempt_at being the end of the window it waits for; at that moment one summary row
-- (no event, its window_end set) is queued per subscription with held rows for that window,
-- and tells them; once it is sent they become `summarised`. Held rows are found by
-- (subscription, window end), so releasing a window writes one row per subscriber, not one per
-- alert. SQLite cannot change a CHECK in place: the table is rebuilt (the runner turns foreign
-- keys off around this script and checks them before it commits).
CREATE TABLE deliveries_new (
    id               INTEGER PRIMARY KEY,
    event_id         INTEGER REFERENCES events (id),          -- NULL for a summary
    subscription_id  INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'sent', 'failed', 'expired', 'held',
                                      'summarised')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claimed_until    TEXT,
    last_error       TEXT,
    message_id       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    window_end       TEXT,                                    -- a summary: the window it tells
    UNIQUE (event_id, subscription_id),
    CHECK ((event_id IS NULL) = (window_end IS NOT NULL))
);
INSERT INTO deliveries_new (id, event_id, subscription_id, state, attempts, next_attempt_at,
        claimed_until, last_error, message_id, created_at, sent_at)
    SELECT id, event_id, subscription_id, state, attempts, next_attempt_at, claimed_until,
        last_error, message_id, created_at, sent_at FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
-- One summary per subscription and window; partial, so that alerts pay nothing for it.
CREATE UNIQUE INDEX deliveries_summary ON deliveries (subscription_id, window_end)
    WHERE window_end IS NOT NULL;
CREATE INDEX deliveries_held ON deliveries (next_attempt_at, subscription_id)
    WHERE state = 'held';

-- The window ends that alerts are held for (a few a day: subscribers share their hours), and
-- whether each has been released, so that finding what is due reads a handful of rows.
CREATE TABLE held_windows (
    window_end   TEXT PRIMARY KEY,
    released_at  TEXT
);
