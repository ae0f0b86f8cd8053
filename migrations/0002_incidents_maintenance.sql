-- Why: incidents with their timelines, scheduled maintenance windows and the history of reopening
-- estimates; events and subscriptions learn the kinds `incident` and `maintenance`.

-- SQLite cannot change a CHECK constraint in place: the two tables are rebuilt (the runner turns
-- foreign keys off around this script and checks them all before it commits).
CREATE TABLE events_new (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL
                CHECK (kind IN ('status', 'order', 'notice', 'operator', 'incident', 'maintenance')),
    actor       TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('discord', 'cli', 'feed', 'system', 'seed')),
    assets      TEXT NOT NULL DEFAULT '[]',  -- JSON list of asset codes the event concerns
    payload     TEXT NOT NULL,               -- JSON: what the message renders
    created_at  TEXT NOT NULL
);
INSERT INTO events_new (id, kind, actor, source, assets, payload, created_at)
    SELECT id, kind, actor, source, assets, payload, created_at FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;

CREATE TABLE subscriptions_new (
    id               INTEGER PRIMARY KEY,
    target_kind      TEXT NOT NULL CHECK (target_kind IN ('dm', 'channel', 'webhook')),
    target           TEXT NOT NULL,
    guild_id         TEXT,
    all_assets       INTEGER NOT NULL DEFAULT 1,
    events           TEXT NOT NULL DEFAULT 'all'
                     CHECK (events IN ('status', 'orders', 'incidents', 'maintenance', 'all',
                                       'operator')),
    locale           TEXT NOT NULL DEFAULT 'ja',
    secret           TEXT,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    active           INTEGER NOT NULL DEFAULT 1,
    disabled_reason  TEXT,
    last_error       TEXT,
    UNIQUE (target_kind, target)
);
INSERT INTO subscriptions_new (id, target_kind, target, guild_id, all_assets, events, locale,
        secret, created_by, created_at, active, disabled_reason, last_error)
    SELECT id, target_kind, target, guild_id, all_assets, events, locale, secret, created_by,
        created_at, active, disabled_reason, last_error FROM subscriptions;
DROP TABLE subscriptions;
ALTER TABLE subscriptions_new RENAME TO subscriptions;

CREATE TABLE incidents (
    id           INTEGER PRIMARY KEY,
    slug         TEXT UNIQUE,                 -- set for seeded incidents, so seeding runs once
    title_ja     TEXT NOT NULL,
    title_en     TEXT NOT NULL DEFAULT '',
    impact       TEXT NOT NULL CHECK (impact IN ('none', 'minor', 'major', 'critical')),
    stage        TEXT NOT NULL CHECK (stage IN ('investigating', 'identified', 'monitoring',
                                                'resolved', 'postmortem')),
    all_assets   INTEGER NOT NULL DEFAULT 1,
    assets       TEXT NOT NULL DEFAULT '[]',  -- JSON list of asset codes when not all
    created_by   TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('discord', 'cli', 'feed', 'system', 'seed')),
    started_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    resolved_at  TEXT
);
CREATE INDEX incidents_by_stage ON incidents (stage, id);

CREATE TABLE incident_updates (
    id             INTEGER PRIMARY KEY,
    incident_id    INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    stage          TEXT NOT NULL CHECK (stage IN ('investigating', 'identified', 'monitoring',
                                                  'resolved', 'postmortem')),
    message_ja     TEXT NOT NULL,
    message_en     TEXT NOT NULL DEFAULT '',
    actor          TEXT NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('discord', 'cli', 'feed', 'system', 'seed')),
    posted_at      TEXT NOT NULL,
    event_id       INTEGER REFERENCES events (id),
    translated_by  TEXT,                      -- who added the English later, and when
    translated_at  TEXT
);
CREATE INDEX incident_updates_by_incident ON incident_updates (incident_id, id);

CREATE TABLE incident_losses (
    incident_id    INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    asset          TEXT NOT NULL REFERENCES assets (code),
    stolen         TEXT NOT NULL,             -- the published figure, exactly as given
    stolen_jpy     INTEGER NOT NULL,
    customers      TEXT NOT NULL,
    customers_jpy  INTEGER NOT NULL,
    PRIMARY KEY (incident_id, asset)
);

CREATE TABLE maintenances (
    id            INTEGER PRIMARY KEY,
    state         TEXT NOT NULL DEFAULT 'scheduled'
                  CHECK (state IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
    direction     TEXT NOT NULL CHECK (direction IN ('deposit', 'withdrawal', 'both')),
    all_assets    INTEGER NOT NULL DEFAULT 0,
    assets        TEXT NOT NULL,              -- JSON list of asset codes
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    reason        TEXT NOT NULL,
    note_ja       TEXT NOT NULL DEFAULT '',
    note_en       TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('discord', 'cli', 'feed', 'system', 'seed')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    sequence      INTEGER NOT NULL DEFAULT 0, -- the calendar's SEQUENCE: bumped on every change
    started_at    TEXT,
    ended_at      TEXT,
    cancelled_at  TEXT
);
CREATE INDEX maintenances_by_state ON maintenances (state, starts_at);

-- One row per (asset, direction) a window covers: what the overlap check compares, and what the
-- start remembers so that the end can put each pair back.
CREATE TABLE maintenance_pairs (
    maintenance_id         INTEGER NOT NULL REFERENCES maintenances (id) ON DELETE CASCADE,
    asset                  TEXT NOT NULL REFERENCES assets (code),
    direction              TEXT NOT NULL CHECK (direction IN ('deposit', 'withdrawal')),
    prior_state            TEXT,
    prior_reason           TEXT,
    prior_note             TEXT,
    prior_expected_reopen  TEXT,
    start_history_id       INTEGER REFERENCES status_history (id),
    outcome                TEXT CHECK (outcome IN ('restored', 'left')),
    PRIMARY KEY (maintenance_id, asset, direction)
);
CREATE INDEX maintenance_pairs_by_pair ON maintenance_pairs (asset, direction);

CREATE TABLE maintenance_reminders (
    maintenance_id  INTEGER NOT NULL REFERENCES maintenances (id) ON DELETE CASCADE,
    lead_hours      REAL NOT NULL,
    fired_at        TEXT NOT NULL,
    PRIMARY KEY (maintenance_id, lead_hours)
);

-- Every change of a pair's expected reopening, so that slips stay visible.
CREATE TABLE reopen_estimates (
    id            INTEGER PRIMARY KEY,
    asset         TEXT NOT NULL REFERENCES assets (code),
    direction     TEXT NOT NULL CHECK (direction IN ('deposit', 'withdrawal')),
    old_estimate  TEXT,
    new_estimate  TEXT,
    actor         TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('discord', 'cli', 'feed', 'system', 'seed')),
    changed_at    TEXT NOT NULL,
    event_id      INTEGER REFERENCES events (id)
);
CREATE INDEX reopen_estimates_by_pair ON reopen_estimates (asset, direction, id);
