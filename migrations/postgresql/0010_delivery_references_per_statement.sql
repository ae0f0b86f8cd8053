-- Why: a fan-out writes up to 100,000 deliveries in one INSERT ... SELECT. Row-by-row foreign key
-- checks (an index probe and a key-share lock on the parent for every row) took more than half of
-- its time. The same rules are kept, checked once per statement over all the rows it wrote:
-- a delivery must name an existing subscription and, unless it is a summary, an existing event;
-- removing a subscription removes its deliveries; an event with deliveries cannot be removed.
-- Writers take one advisory lock per transaction, so no parent can vanish between the check and
-- the commit, which the key-share locks otherwise guarded against.

ALTER TABLE deliveries DROP CONSTRAINT deliveries_event_id_fkey;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_subscription_id_fkey;

CREATE FUNCTION deliveries_references_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM written d
        WHERE NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = d.subscription_id)
           OR (d.event_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = d.event_id))
    ) THEN
        RAISE EXCEPTION 'a delivery refers to a subscription or event that does not exist'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER deliveries_references_inserted AFTER INSERT ON deliveries
    REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION deliveries_references_check();

-- A delivery's event and subscription never change (a row-level check that costs the claims and
-- marks nothing: it fires only when one of the two columns is set).
CREATE FUNCTION deliveries_keep_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.event_id IS DISTINCT FROM OLD.event_id
       OR NEW.subscription_id IS DISTINCT FROM OLD.subscription_id THEN
        RAISE EXCEPTION 'a delivery''s event and subscription never change'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER deliveries_keep_references BEFORE UPDATE OF event_id, subscription_id ON deliveries
    FOR EACH ROW EXECUTE FUNCTION deliveries_keep_references();

-- ON DELETE CASCADE, once per statement.
CREATE FUNCTION subscriptions_remove_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM deliveries WHERE subscription_id IN (SELECT id FROM removed);
    RETURN NULL;
END;
$$;
CREATE TRIGGER subscriptions_remove_deliveries AFTER DELETE ON subscriptions
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION subscriptions_remove_deliveries();

-- ON DELETE NO ACTION for events, once per statement.
CREATE FUNCTION events_keep_delivered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM deliveries d JOIN removed r ON r.id = d.event_id) THEN
        RAISE EXCEPTION 'an event with deliveries cannot be removed'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER events_keep_delivered AFTER DELETE ON events
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION events_keep_delivered();
