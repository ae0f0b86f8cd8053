-- Why: the public read model is rebuilt only when what it shows changes, so the frequent writes
-- that show nothing (lease renewals, outbox marks, feed polls) cost no rebuild. PostgreSQL moves
-- the counter with one trigger function, fired once per statement rather than per row.

CREATE TABLE content_version (
    id  INTEGER PRIMARY KEY CHECK (id = 1),  -- the one row, never generated: no identity
    n   INTEGER NOT NULL
);
INSERT INTO content_version (id, n) VALUES (1, 0);

-- Runs in the writing transaction. Unlike SQLite's row triggers it also fires for a statement
-- that changes no row: an extra rebuild at worst, and none of those statements are frequent.
-- The notice wakes every process's read model at commit (identical notices in one transaction
-- are sent once); the poll on the counter stays the guarantee.
CREATE FUNCTION content_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE content_version SET n = n + 1 WHERE id = 1;
    PERFORM pg_notify('bot_content', '');
    RETURN NULL;
END;
$$;

-- Every table the read model reads (TRUNCATE too: SQLite has none, but it changes content).
CREATE TRIGGER assets_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON assets
    FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();
CREATE TRIGGER asset_status_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON asset_status
    FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();
CREATE TRIGGER status_history_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON status_history
    FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();
CREATE TRIGGER reopen_estimates_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reopen_estimates
    FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();
CREATE TRIGGER events_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();
CREATE TRIGGER incidents_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON incidents
    FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();
CREATE TRIGGER incident_updates_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON incident_updates
    FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();
CREATE TRIGGER incident_losses_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON incident_losses
    FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();
CREATE TRIGGER maintenances_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON maintenances
    FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();
CREATE TRIGGER maintenance_pairs_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON maintenance_pairs
    FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();
CREATE TRIGGER orders_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON orders
    FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();
CREATE TRIGGER order_items_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON order_items
    FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();
CREATE TRIGGER reminders_sent_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reminders_sent
    FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump();

-- New deliveries wake the leader's dispatcher at once, whichever process queued them (the CLI,
-- a standby); its poll stays the guarantee. Claims and marks are updates: they wake nobody.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('bot_outbox', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER deliveries_notify AFTER INSERT ON deliveries
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
