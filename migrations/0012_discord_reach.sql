-- Why: budgets the cluster shares for reaching people on Discord: new DM channels per minute
-- (halved for a while after Discord answers 40003), and whether Discord restricts the bot's DMs;
-- the welcome each new DM subscriber gets, queued like an alert, which opens their DM channel;
-- each announcement channel's publishes (Discord allows 10 an hour per channel); and the one role
-- a channel subscription may ping.

CREATE TABLE send_budgets (
    name           TEXT PRIMARY KEY,    -- 'dm_opens'
    next_at        REAL NOT NULL,       -- epoch seconds: the next free slot
    level          INTEGER NOT NULL,    -- halvings in force
    level_since    REAL NOT NULL,       -- when the level last changed (recovery counts from it)
    epoch          INTEGER NOT NULL,    -- rises on each 40003: slots reserved before are void
    restricted_at  REAL,                -- Discord refuses DMs to new users since then
    version        INTEGER NOT NULL     -- compare-and-set between processes
);

-- One welcome per subscription: queued again when the user subscribes again.
CREATE TABLE welcomes (
    id               INTEGER PRIMARY KEY,
    subscription_id  INTEGER NOT NULL UNIQUE REFERENCES subscriptions (id) ON DELETE CASCADE,
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'sent', 'dm_closed', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    message_id       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX welcomes_due ON welcomes (state, next_attempt_at);

-- Publishes (crossposts) per announcement channel: counted over a rolling hour by every process.
CREATE TABLE publishes (
    id            INTEGER PRIMARY KEY,
    channel_id    TEXT NOT NULL,
    published_at  REAL NOT NULL       -- epoch seconds
);
CREATE INDEX publishes_by_channel ON publishes (channel_id, published_at);

-- Per announcement channel: alerts posted there unpublished since the last published one, and
-- how long Discord asked us to wait (a 429 on crosspost).
CREATE TABLE announcement_channels (
    channel_id     TEXT PRIMARY KEY,
    unpublished    INTEGER NOT NULL DEFAULT 0,
    blocked_until  REAL
);

-- The role a channel subscription pings: on critical alerts only, or on all of them.
CREATE TABLE channel_mentions (
    subscription_id  INTEGER PRIMARY KEY REFERENCES subscriptions (id) ON DELETE CASCADE,
    role_id          TEXT NOT NULL,
    mention_when     TEXT NOT NULL CHECK (mention_when IN ('critical', 'all'))
);
