-- Settlement in one statement (vexora-ledger), SQLite: recording an
-- observation moves its record in the same statement, so a settlement needs
-- no transaction of its own. The same column as
-- ../postgres/0002_observation_moves_record.sql.

-- The due time the observation gave its record when it moved it.
ALTER TABLE vexora_observations ADD COLUMN due_at BIGINT;

-- The record must still be as the settlement read it (otherwise nothing is
-- kept and the settlement reads again); it moves when the observation
-- changes its state or the amount paid so far. An observation that a
-- second delivery repeats is never inserted (its dedup key), so never
-- moves anything.
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
