-- Why: deliveries are served in lanes (the operators' channel, channels, critical DMs, other DMs,
-- webhooks beside them), so that a channel or a security halt no longer waits behind every DM
-- queued before it; and an alert superseded before it was ever tried is merged into the newer
-- one about the same pair, so that a subscriber gets one message telling the latest state; and
-- the operators watch each large fan-out in one progress message.

-- `lane` is kept on the row so that a claim picks by lane with an index. A `merged` row points
-- at the delivery that tells it (`merged_into`); that one counts the alerts it tells besides its
-- own (`merged`). SQLite cannot change a CHECK in place: the table is rebuilt (the runner turns
-- foreign keys off around this script and checks them before it commits).
CREATE TABLE deliveries_new (
    id               INTEGER PRIMARY KEY,
    event_id         INTEGER REFERENCES events (id),          -- NULL for a summary
    subscription_id  INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'sent', 'failed', 'expired', 'held',
                                      'summarised', 'merged')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claimed_until    TEXT,
    last_error       TEXT,
    message_id       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    window_end       TEXT,                                    -- a summary: the window it tells
    claim_token      TEXT,
    lane             INTEGER NOT NULL DEFAULT 3,
    merged_into      INTEGER,                                 -- a merged row: who tells it
    merged           INTEGER NOT NULL DEFAULT 0,
    UNIQUE (event_id, subscription_id),
    CHECK ((event_id IS NULL) = (window_end IS NOT NULL))
);
-- Rows queued before lanes existed take the lane of their target (a critical DM among them
-- cannot be told apart any more and waits with the other DMs, as it did).
INSERT INTO deliveries_new (id, event_id, subscription_id, state, attempts, next_attempt_at,
        claimed_until, last_error, message_id, created_at, sent_at, window_end, claim_token, lane)
    SELECT d.id, d.event_id, d.subscription_id, d.state, d.attempts, d.next_attempt_at,
        d.claimed_until, d.last_error, d.message_id, d.created_at, d.sent_at, d.window_end,
        d.claim_token,
        CASE WHEN s.target_kind = 'webhook' THEN 4 WHEN s.events = 'operator' THEN 0
             WHEN s.target_kind = 'channel' THEN 1 ELSE 3 END
    FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
CREATE UNIQUE INDEX deliveries_summary ON deliveries (subscription_id, window_end)
    WHERE window_end IS NOT NULL;
CREATE INDEX deliveries_held ON deliveries (next_attempt_at, subscription_id)
    WHERE state = 'held';
-- What a claim reads: the due rows of the lanes it serves, highest lane first.
CREATE INDEX deliveries_lanes ON deliveries (lane, next_attempt_at, id) WHERE state = 'pending';
-- What a merged delivery tells besides its own alert.
CREATE INDEX deliveries_merged ON deliveries (merged_into) WHERE merged_into IS NOT NULL;

-- The fan-outs the operators watch: each has one progress message, the message of an operators'
-- event (`notice_id`), edited as the fan-out goes; its last edit sets `finished_at`.
CREATE TABLE fan_outs (
    event_id     INTEGER PRIMARY KEY REFERENCES events (id),
    notice_id    INTEGER NOT NULL REFERENCES events (id),
    started_at   TEXT NOT NULL,
    edited_at    TEXT,
    finished_at  TEXT
);
CREATE INDEX fan_outs_going ON fan_outs (event_id) WHERE finished_at IS NULL;
