-- Why: a fan-out to 100,000 DM subscribers wrote all its rows in the change's transaction, most
-- of a second during which nothing of it could be sent, the channels and webhooks first in the
-- queue included. Past a threshold the DM rows are now written in later transactions, batch by
-- batch; this row says which event still has DM rows to write and how far it has got.
CREATE TABLE dm_backlog (
    event_id  BIGINT PRIMARY KEY REFERENCES events (id),
    done_id   BIGINT NOT NULL,  -- written for the subscriptions with ids up to this one
    last_id   BIGINT NOT NULL  -- the last subscription that wanted the event when it was made
);
