-- Settlement in one statement (vexora-ledger), Postgres: the same column as
-- ../sqlite/0002_observation_moves_record.sql. On Postgres the statement
-- that records an observation moves the record itself (a data-modifying
-- WITH), so no trigger is needed.

-- The due time the observation gave its record when it moved it.
ALTER TABLE vexora_observations ADD COLUMN due_at BIGINT;
