-- The observation's record is checked by the statement that inserts it
-- (vexora-ledger), Postgres: the same change as
-- ../sqlite/0003_observation_record_checked_by_its_statement.sql.
--
-- An observation goes in only from the row of its record that the same
-- statement updated or locked, and records are never deleted, so the
-- foreign key only repeated that lookup on every settlement.
ALTER TABLE vexora_observations DROP CONSTRAINT vexora_observations_record_id_fkey;
