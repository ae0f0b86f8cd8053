-- Why: the first schema: assets and their status with its audit trail, events and the outbox,
-- subscriptions, the regulator's orders, feed state and the DM channel cache.

CREATE TABLE assets (
    code      TEXT PRIMARY KEY,
    code_key  TEXT NOT NULL UNIQUE,          -- lower-case code: users type any case
    name_ja   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('coin', 'token')),
    position  INTEGER NOT NULL
);

CREATE TABLE asset_status (
    asset            TEXT NOT NULL REFERENCES assets (code),
    direction        TEXT NOT NULL CHECK (direction IN ('deposit', 'withdrawal')),
    state            TEXT NOT NULL CHECK (state IN ('operational', 'suspended', 'maintenance', 'delayed')),
    reason           TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    since            TEXT NOT NULL,
    expected_reopen  TEXT,
    updated_by       TEXT NOT NULL,
    PRIMARY KEY (asset, direction)
);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('status', 'order', 'notice', 'operator')),
    actor       TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('discord', 'cli', 'feed', 'system', 'seed')),
    assets      TEXT NOT NULL DEFAULT '[]',  -- JSON list of asset codes the event concerns
    payload     TEXT NOT NULL,               -- JSON: what the message renders
    created_at  TEXT NOT NULL
);

CREATE TABLE status_history (
    id               INTEGER PRIMARY KEY,
    asset            TEXT NOT NULL REFERENCES assets (code),
    direction        TEXT NOT NULL CHECK (direction IN ('deposit', 'withdrawal')),
    old_state        TEXT,
    new_state        TEXT NOT NULL,
    reason           TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    expected_reopen  TEXT,
    actor            TEXT NOT NULL,
    source           TEXT NOT NULL CHECK (source IN ('discord', 'cli', 'feed', 'system', 'seed')),
    changed_at       TEXT NOT NULL,
    event_id         INTEGER REFERENCES events (id)
);
CREATE INDEX status_history_by_asset ON status_history (asset, id DESC);

CREATE TABLE subscriptions (
    id               INTEGER PRIMARY KEY,
    target_kind      TEXT NOT NULL CHECK (target_kind IN ('dm', 'channel', 'webhook')),
    target           TEXT NOT NULL,          -- user id, channel id or webhook URL
    guild_id         TEXT,
    all_assets       INTEGER NOT NULL DEFAULT 1,
    -- 'operator': the operators' channel, which gets everything plus operator-only events
    events           TEXT NOT NULL DEFAULT 'all'
                     CHECK (events IN ('status', 'orders', 'all', 'operator')),
    locale           TEXT NOT NULL DEFAULT 'ja',
    secret           TEXT,                   -- webhooks: the HMAC key
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    active           INTEGER NOT NULL DEFAULT 1,
    disabled_reason  TEXT,
    last_error       TEXT,
    UNIQUE (target_kind, target)
);

CREATE TABLE subscription_assets (
    subscription_id  INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    asset            TEXT NOT NULL REFERENCES assets (code),
    PRIMARY KEY (subscription_id, asset)
);
CREATE INDEX subscription_assets_by_asset ON subscription_assets (asset, subscription_id);

CREATE TABLE deliveries (
    id               INTEGER PRIMARY KEY,
    event_id         INTEGER NOT NULL REFERENCES events (id),
    subscription_id  INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'sent', 'failed', 'expired')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claimed_until    TEXT,
    last_error       TEXT,
    message_id       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    UNIQUE (event_id, subscription_id)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);

CREATE TABLE dm_channels (
    user_id     TEXT PRIMARY KEY,
    channel_id  TEXT NOT NULL,
    cached_at   TEXT NOT NULL
);

CREATE TABLE orders (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    issuer       TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('report_order', 'business_improvement',
                     'business_suspension', 'registration_cancelled', 'other')),
    legal_basis  TEXT NOT NULL DEFAULT '',
    issued_on    TEXT NOT NULL,              -- date, JST
    report_due   TEXT,                       -- date, JST
    url          TEXT NOT NULL DEFAULT '',
    summary_ja   TEXT NOT NULL DEFAULT '',
    summary_en   TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL CHECK (source IN ('discord', 'cli', 'feed', 'system', 'seed')),
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'reported', 'closed')),
    created_at   TEXT NOT NULL
);

CREATE TABLE order_items (
    order_id  INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    text_ja   TEXT NOT NULL,
    text_en   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (order_id, position)
);

CREATE TABLE reminders_sent (
    order_id  INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,                 -- e.g. 'before_24h', 'due'
    fired_at  TEXT NOT NULL,
    PRIMARY KEY (order_id, kind)
);

CREATE TABLE feeds (
    name                  TEXT PRIMARY KEY,
    url                   TEXT NOT NULL,
    etag                  TEXT,
    last_modified         TEXT,
    initialised           INTEGER NOT NULL DEFAULT 0,
    last_success_at       TEXT,
    last_error            TEXT,
    last_error_at         TEXT,
    consecutive_failures  INTEGER NOT NULL DEFAULT 0,
    polls                 INTEGER NOT NULL DEFAULT 0,
    failures              INTEGER NOT NULL DEFAULT 0,
    items_seen            INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE feed_items (
    feed          TEXT NOT NULL REFERENCES feeds (name) ON DELETE CASCADE,
    item_id       TEXT NOT NULL,             -- hash of guid, else link, else title and date
    title         TEXT NOT NULL DEFAULT '',
    link          TEXT NOT NULL DEFAULT '',
    published_at  TEXT,
    matched       INTEGER NOT NULL DEFAULT 0,
    first_seen_at TEXT NOT NULL,
    PRIMARY KEY (feed, item_id)
);
