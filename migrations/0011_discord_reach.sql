-- Why: budgets the cluster shares for reaching people on Discord: new DM channels per minute
-- (halved for a while after Discord answers 40003), and whether Discord restricts the bot's DMs;
-- and the welcome each new DM subscriber gets, queued like an alert, which opens their DM channel.

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
