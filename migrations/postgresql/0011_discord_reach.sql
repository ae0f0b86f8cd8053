-- Why: budgets the cluster shares for reaching people on Discord: new DM channels per minute
-- (halved for a while after Discord answers 40003), and whether Discord restricts the bot's DMs.
-- Times are epoch seconds (DOUBLE PRECISION here, SQLite's REAL).

CREATE TABLE send_budgets (
    name           TEXT PRIMARY KEY,            -- 'dm_opens'
    next_at        DOUBLE PRECISION NOT NULL,   -- the next free slot
    level          INTEGER NOT NULL,            -- halvings in force
    level_since    DOUBLE PRECISION NOT NULL,   -- when the level last changed
    epoch          INTEGER NOT NULL,            -- rises on each 40003: earlier slots are void
    restricted_at  DOUBLE PRECISION,            -- Discord refuses DMs to new users since then
    version        INTEGER NOT NULL             -- compare-and-set between processes
);
