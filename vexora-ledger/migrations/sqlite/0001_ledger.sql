-- The merchant's books (vexora-ledger), SQLite. The same schema as
-- ../postgres/0001_ledger.sql; only the identity columns' syntax differs.
-- Amounts are exact decimal text ('300', '150.5'); times are milliseconds
-- since the Unix epoch. Rows are never deleted, so the row ids only grow
-- without AUTOINCREMENT (whose counter table every insert would write).

-- One row per create, recorded before it is sent.
CREATE TABLE vexora_records (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('pay_in', 'payout')),
    -- The whole set of record keys, as a JSON object with sorted names.
    record_keys TEXT    NOT NULL,
    merchant_no TEXT    NOT NULL,
    region      TEXT    NOT NULL,
    endpoint    TEXT    NOT NULL,
    amount      TEXT    NOT NULL,
    fields_hash TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    status      TEXT,
    paid        TEXT    NOT NULL DEFAULT '0',
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    -- When the reconciler should look at it (NULL: never again).
    due_at      BIGINT,
    lease_owner TEXT,
    lease_until BIGINT,
    attempts    BIGINT  NOT NULL DEFAULT 0,
    UNIQUE (kind, record_keys)
);
CREATE INDEX vexora_records_due ON vexora_records (due_at);

-- Each key of each record, to find a record by one key (a notification
-- names only its tradeNo). The lookup index carries the record's id, so
-- settlement finds it without reading this table.
CREATE TABLE vexora_record_keys (
    record_id BIGINT NOT NULL REFERENCES vexora_records (id),
    kind      TEXT   NOT NULL,
    name      TEXT   NOT NULL,
    value     TEXT   NOT NULL,
    PRIMARY KEY (record_id, name)
);
CREATE INDEX vexora_record_keys_lookup ON vexora_record_keys (kind, name, value, record_id);

-- Every answer, query result and notification applied, once each.
CREATE TABLE vexora_observations (
    id          INTEGER PRIMARY KEY,
    record_id   BIGINT  NOT NULL REFERENCES vexora_records (id),
    dedup       TEXT    NOT NULL UNIQUE,
    source      TEXT    NOT NULL,
    status      TEXT,
    amount      TEXT,
    old_state   TEXT    NOT NULL,
    new_state   TEXT    NOT NULL,
    old_paid    TEXT    NOT NULL,
    new_paid    TEXT    NOT NULL,
    observed_at BIGINT  NOT NULL
);

-- What the ledger could not apply on its own, kept for a person.
CREATE TABLE vexora_attention (
    id          INTEGER PRIMARY KEY,
    dedup       TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL,
    record_keys TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    status      TEXT,
    amount      TEXT,
    reason      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
