-- Why: deliveries are served in lanes (the operators' channel, channels, critical DMs, other DMs,
-- webhooks beside them), so that a channel or a security halt no longer waits behind every DM
-- queued before it; and an alert superseded before it was ever tried is merged into the newer
-- one about the same pair, so that a subscriber gets one message telling the latest state; and
-- the operators watch each large fan-out in one progress message.
-- PostgreSQL changes the outbox in place instead of rebuilding it.

ALTER TABLE deliveries ADD COLUMN lane INTEGER NOT NULL DEFAULT 3;
ALTER TABLE deliveries ADD COLUMN merged_into BIGINT;        -- a merged row: who tells it
ALTER TABLE deliveries ADD COLUMN merged INTEGER NOT NULL DEFAULT 0;
-- Rows queued before lanes existed take the lane of their target.
UPDATE deliveries d SET lane = CASE WHEN s.target_kind = 'webhook' THEN 4
                                    WHEN s.events = 'operator' THEN 0
                                    WHEN s.target_kind = 'channel' THEN 1 ELSE 3 END
    FROM subscriptions s WHERE s.id = d.subscription_id AND d.state IN ('pending', 'held');
ALTER TABLE deliveries DROP CONSTRAINT deliveries_state_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_state_check
    CHECK (state IN ('pending', 'sent', 'failed', 'expired', 'held', 'summarised', 'merged'));
-- What a claim reads: the due rows of the lanes it serves, highest lane first.
CREATE INDEX deliveries_lanes ON deliveries (lane, next_attempt_at, id) WHERE state = 'pending';
-- What a merged delivery tells besides its own alert.
CREATE INDEX deliveries_merged ON deliveries (merged_into) WHERE merged_into IS NOT NULL;

-- The fan-outs the operators watch: each has one progress message, the message of an operators'
-- event (`notice_id`), edited as the fan-out goes; its last edit sets `finished_at`.
CREATE TABLE fan_outs (
    event_id     BIGINT PRIMARY KEY REFERENCES events (id),
    notice_id    BIGINT NOT NULL REFERENCES events (id),
    started_at   TEXT NOT NULL,
    edited_at    TEXT,
    finished_at  TEXT
);
CREATE INDEX fan_outs_going ON fan_outs (event_id) WHERE finished_at IS NULL;
