-- The observation's record is checked by the statement that inserts it
-- (vexora-ledger), SQLite: the same change as
-- ../postgres/0003_observation_record_checked_by_its_statement.sql.
--
-- The trigger of migration 0002 refuses an observation whose record is not
-- as the settlement read it, which includes a record that does not exist,
-- and records are never deleted, so the foreign key only repeated that
-- lookup on every settlement. SQLite drops a column's constraint by
-- rebuilding the table; the trigger goes with the old table and is made
-- again, unchanged.
CREATE TABLE vexora_observations_checked (
    id          INTEGER PRIMARY KEY,
    record_id   BIGINT  NOT NULL,
    dedup       TEXT    NOT NULL UNIQUE,
    source      TEXT    NOT NULL,
    status      TEXT,
    amount      TEXT,
    old_state   TEXT    NOT NULL,
    new_state   TEXT    NOT NULL,
    old_paid    TEXT    NOT NULL,
    new_paid    TEXT    NOT NULL,
    observed_at BIGINT  NOT NULL,
    due_at      BIGINT
);
INSERT INTO vexora_observations_checked
    (id, record_id, dedup, source, status, amount, old_state, new_state, old_paid, new_paid, observed_at, due_at)
    SELECT id, record_id, dedup, source, status, amount, old_state, new_state, old_paid, new_paid, observed_at, due_at
      FROM vexora_observations;
DROP TABLE vexora_observations;
ALTER TABLE vexora_observations_checked RENAME TO vexora_observations;

CREATE TRIGGER vexora_observation_moves_record AFTER INSERT ON vexora_observations
BEGIN
    SELECT RAISE(ABORT, 'vexora-ledger: the record moved since it was read')
     WHERE NOT EXISTS (SELECT 1 FROM vexora_records
                        WHERE id = NEW.record_id AND state = NEW.old_state AND paid = NEW.old_paid);
    UPDATE vexora_records
       SET state = NEW.new_state, paid = NEW.new_paid, status = COALESCE(NEW.status, status),
           updated_at = NEW.observed_at, due_at = NEW.due_at
     WHERE id = NEW.record_id AND (NEW.new_state <> NEW.old_state OR NEW.new_paid <> NEW.old_paid);
END;
