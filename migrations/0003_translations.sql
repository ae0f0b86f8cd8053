-- Why: every text an operator writes for customers gets an optional English version, added with
-- the change or later, and the later translations keep who made them and when.

ALTER TABLE asset_status ADD COLUMN note_en TEXT NOT NULL DEFAULT '';
ALTER TABLE status_history ADD COLUMN note_en TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN issuer_en TEXT NOT NULL DEFAULT '';

-- The audit trail of translations added after the text went out (no alert is sent for them).
CREATE TABLE translations (
    id             INTEGER PRIMARY KEY,
    subject        TEXT NOT NULL,             -- what was translated: status_note, order, ...
    subject_key    TEXT NOT NULL,             -- which one: "BTC/withdrawal", an order's id, ...
    field          TEXT NOT NULL,             -- note_en, summary_en, issuer_en, message_en, ...
    old_text       TEXT NOT NULL DEFAULT '',
    new_text       TEXT NOT NULL,
    actor          TEXT NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('discord', 'cli', 'feed', 'system', 'seed')),
    translated_at  TEXT NOT NULL
);
CREATE INDEX translations_by_subject ON translations (subject, subject_key, id);
