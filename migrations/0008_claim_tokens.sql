-- Why: a delivery is marked sent, retried or failed only under the claim that sent it, so that a
-- leader paused past its lease cannot overwrite a row that the next leader claimed since.

ALTER TABLE deliveries ADD COLUMN claim_token TEXT;
