-- Why: on PostgreSQL a fan-out of 100,000 deliveries spent most of its time checking, row by row,
-- that each delivery's event and subscription exist (and locking each parent row); there the
-- checks now run once per statement (postgresql/0010). SQLite's foreign key checks cost little
-- and stay as they are: nothing changes here.
SELECT 1;
