-- Why: whether a channel is an announcement channel decides whether its alerts are published.
-- Asking Discord before a channel's first alert cost one request per channel and per process,
-- inside the budget the alerts need (200 channels: 200 requests, about 4 s), again after every
-- restart. The type is now recorded when the channel is subscribed, when the gateway shows or
-- changes it, or learned once after a first alert, and every process reads it here.
CREATE TABLE channel_types (
    channel_id    TEXT PRIMARY KEY,
    channel_type  INTEGER NOT NULL,   -- Discord's number: 0 text, 5 announcement, ...
    learned_at    TEXT NOT NULL
);
