-- Why: the public read model is rebuilt when what it shows changes; lease renewals, outbox
-- marks and feed polls write often and change none of it, so they no longer cost a rebuild.

CREATE TABLE content_version (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   INTEGER NOT NULL
);
INSERT INTO content_version (id, n) VALUES (1, 0);

-- Every table the read model reads moves the counter, in the writing transaction itself.
CREATE TRIGGER assets_insert_content AFTER INSERT ON assets
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER assets_update_content AFTER UPDATE ON assets
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER assets_delete_content AFTER DELETE ON assets
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER asset_status_insert_content AFTER INSERT ON asset_status
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER asset_status_update_content AFTER UPDATE ON asset_status
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER asset_status_delete_content AFTER DELETE ON asset_status
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER status_history_insert_content AFTER INSERT ON status_history
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER status_history_update_content AFTER UPDATE ON status_history
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER status_history_delete_content AFTER DELETE ON status_history
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reopen_estimates_insert_content AFTER INSERT ON reopen_estimates
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reopen_estimates_update_content AFTER UPDATE ON reopen_estimates
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reopen_estimates_delete_content AFTER DELETE ON reopen_estimates
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER events_insert_content AFTER INSERT ON events
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER events_update_content AFTER UPDATE ON events
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER events_delete_content AFTER DELETE ON events
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER incidents_insert_content AFTER INSERT ON incidents
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER incidents_update_content AFTER UPDATE ON incidents
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER incidents_delete_content AFTER DELETE ON incidents
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER incident_updates_insert_content AFTER INSERT ON incident_updates
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER incident_updates_update_content AFTER UPDATE ON incident_updates
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER incident_updates_delete_content AFTER DELETE ON incident_updates
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER incident_losses_insert_content AFTER INSERT ON incident_losses
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER incident_losses_update_content AFTER UPDATE ON incident_losses
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER incident_losses_delete_content AFTER DELETE ON incident_losses
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER maintenances_insert_content AFTER INSERT ON maintenances
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER maintenances_update_content AFTER UPDATE ON maintenances
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER maintenances_delete_content AFTER DELETE ON maintenances
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER maintenance_pairs_insert_content AFTER INSERT ON maintenance_pairs
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER maintenance_pairs_update_content AFTER UPDATE ON maintenance_pairs
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER maintenance_pairs_delete_content AFTER DELETE ON maintenance_pairs
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER orders_insert_content AFTER INSERT ON orders
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER orders_update_content AFTER UPDATE ON orders
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER orders_delete_content AFTER DELETE ON orders
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER order_items_insert_content AFTER INSERT ON order_items
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER order_items_update_content AFTER UPDATE ON order_items
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER order_items_delete_content AFTER DELETE ON order_items
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reminders_sent_insert_content AFTER INSERT ON reminders_sent
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reminders_sent_update_content AFTER UPDATE ON reminders_sent
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reminders_sent_delete_content AFTER DELETE ON reminders_sent
    BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
