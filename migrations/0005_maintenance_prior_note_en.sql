-- Why: a maintenance window puts each pair back as it was, and a pair's note now has an English
-- version too (0003): the start remembers it beside the Japanese one.

ALTER TABLE maintenance_pairs ADD COLUMN prior_note_en TEXT;
