-- Why: the page's 90-day bars read the status history by time, which scanned all of it; removing
-- a subscription (its deliveries go with it) scanned the whole outbox. IF NOT EXISTS: the same
-- history index may come from elsewhere, and the same name means the same index.
CREATE INDEX IF NOT EXISTS status_history_changed_at ON status_history(changed_at);
CREATE INDEX IF NOT EXISTS deliveries_subscription ON deliveries (subscription_id);
