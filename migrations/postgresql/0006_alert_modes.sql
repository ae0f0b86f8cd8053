-- Why: subscribers choose quiet hours or a daily digest; alerts held for them wait in the outbox
-- until one summary delivery per (subscription, window end) tells them all. PostgreSQL changes
-- the outbox's constraints in place instead of rebuilding the table.

ALTER TABLE subscriptions ADD COLUMN alert_mode TEXT NOT NULL DEFAULT 'instant'
    CHECK (alert_mode IN ('instant', 'quiet', 'digest'));
ALTER TABLE subscriptions ADD COLUMN quiet_from TEXT;   -- HH:MM in the display zone (JST)
ALTER TABLE subscriptions ADD COLUMN quiet_until TEXT;  -- HH:MM; before quiet_from: over midnight
ALTER TABLE subscriptions ADD COLUMN digest_at TEXT;    -- HH:MM
-- A fan-out reads only the few subscribers who hold alerts.
CREATE INDEX subscriptions_timed ON subscriptions (alert_mode) WHERE alert_mode != 'instant';

-- `held` rows wait until the end of their window (their next_attempt_at); a summary row has no
-- event and names its window in window_end; once the summary is sent the held rows become
-- `summarised`. deliveries_due stays as it is: only the SQLite rebuild had to make it again.
ALTER TABLE deliveries ALTER COLUMN event_id DROP NOT NULL;    -- NULL for a summary
ALTER TABLE deliveries DROP CONSTRAINT deliveries_state_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_state_check
    CHECK (state IN ('pending', 'sent', 'failed', 'expired', 'held', 'summarised'));
ALTER TABLE deliveries ADD COLUMN window_end TEXT;             -- a summary: the window it tells
ALTER TABLE deliveries ADD CONSTRAINT deliveries_check
    CHECK ((event_id IS NULL) = (window_end IS NOT NULL));
-- One summary per subscription and window; partial, so that alerts pay nothing for it.
CREATE UNIQUE INDEX deliveries_summary ON deliveries (subscription_id, window_end)
    WHERE window_end IS NOT NULL;
CREATE INDEX deliveries_held ON deliveries (next_attempt_at, subscription_id)
    WHERE state = 'held';

-- The few window ends alerts are held for, and whether each is released yet.
CREATE TABLE held_windows (
    window_end   TEXT PRIMARY KEY,
    released_at  TEXT
);
