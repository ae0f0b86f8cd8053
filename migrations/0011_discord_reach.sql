-- Why: budgets the cluster shares for reaching people on Discord: new DM channels per minute
-- (halved for a while after Discord answers 40003), and whether Discord restricts the bot's DMs.

CREATE TABLE send_budgets (
    name           TEXT PRIMARY KEY,    -- 'dm_opens'
    next_at        REAL NOT NULL,       -- epoch seconds: the next free slot
    level          INTEGER NOT NULL,    -- halvings in force
    level_since    REAL NOT NULL,       -- when the level last changed (recovery counts from it)
    epoch          INTEGER NOT NULL,    -- rises on each 40003: slots reserved before are void
    restricted_at  REAL,                -- Discord refuses DMs to new users since then
    version        INTEGER NOT NULL     -- compare-and-set between processes
);
