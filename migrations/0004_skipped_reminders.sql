-- Why: a report reminder skipped as too late is told apart from one sent, shown with its order,
-- and announced to the operators once, at the first start-up after it was skipped.

-- New nullable columns rather than a rebuilt table: rows written before this migration (sent,
-- or skipped without a mark) read as sent, and are never announced.
ALTER TABLE reminders_sent ADD COLUMN skipped_at TEXT;
ALTER TABLE reminders_sent ADD COLUMN skip_announced_at TEXT;
