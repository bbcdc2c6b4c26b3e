//! What the ledger hands back: records, changes, claims, and what is kept
//! for a person.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::observation::Source;
use crate::{Error, Kind, Money, RecordKeys, State};

/// One record of the books: a create, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Record {
    /// The ledger's own number for it.
    pub id: i64,
    /// Pay-in or payout.
    pub kind: Kind,
    /// Its keys (`tradeNo`, ...).
    pub keys: RecordKeys,
    /// The merchant number it was sent under.
    pub merchant_no: String,
    /// The region slug.
    pub region: String,
    /// The spec name, e.g. `taiwan/checkout`.
    pub endpoint: String,
    /// The amount it was created for.
    pub amount: Money,
    /// SHA-256 of its signed fields.
    pub fields_hash: String,
    /// Where it stands.
    pub state: State,
    /// The last status code the gateway gave.
    pub status: Option<String>,
    /// Paid so far (pay-in: credited; payout: debited).
    pub paid: Money,
    /// When it was recorded.
    pub created_at: SystemTime,
    /// When it last changed.
    pub updated_at: SystemTime,
    /// When the reconciler should look at it next; `None` once nothing is
    /// left to learn.
    pub due_at: Option<SystemTime>,
}

/// The columns [`Record::from_row`] reads, in a `SELECT` list.
pub(crate) const RECORD_COLUMNS: &str = "id, kind, record_keys, merchant_no, region, endpoint, amount, fields_hash, \
     state, status, paid, created_at, updated_at, due_at, lease_owner, lease_until, attempts";

impl Record {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, Error> {
        Ok(Self {
            id: row.try_get("id")?,
            kind: Kind::parse(&row.try_get::<String, _>("kind")?)?,
            keys: RecordKeys::parse(&row.try_get::<String, _>("record_keys")?)?,
            merchant_no: row.try_get("merchant_no")?,
            region: row.try_get("region")?,
            endpoint: row.try_get("endpoint")?,
            amount: stored_money(row, "amount")?,
            fields_hash: row.try_get("fields_hash")?,
            state: State::parse(&row.try_get::<String, _>("state")?)?,
            status: row.try_get("status")?,
            paid: stored_money(row, "paid")?,
            created_at: from_millis(row.try_get("created_at")?),
            updated_at: from_millis(row.try_get("updated_at")?),
            due_at: row.try_get::<Option<i64>, _>("due_at")?.map(from_millis),
        })
    }
}

fn stored_money(row: &AnyRow, column: &str) -> Result<Money, Error> {
    let text: String = row.try_get(column)?;
    Money::parse(&text).map_err(|_| Error::Corrupt { what: format!("{column} {text:?}") })
}

/// A change settlement made: handed to the merchant's code inside the
/// transaction, and returned once it committed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Change {
    /// The ledger's number of the record.
    pub record_id: i64,
    /// Pay-in or payout.
    pub kind: Kind,
    /// The record's keys.
    pub keys: RecordKeys,
    /// What brought the change.
    pub source: Source,
    /// The state before.
    pub old_state: State,
    /// The state after.
    pub new_state: State,
    /// Paid so far, before.
    pub old_paid: Money,
    /// Paid so far, after.
    pub new_paid: Money,
}

impl Change {
    /// The difference this change moves: `new_paid - old_paid`, exact.
    pub fn amount(&self) -> Money {
        self.new_paid.checked_sub(self.old_paid).unwrap_or(Money::ZERO)
    }

    /// What to credit, for a pay-in that received money in this change.
    pub fn credit(&self) -> Option<Money> {
        (self.kind == Kind::PayIn).then(|| self.amount()).filter(|amount| !amount.is_zero())
    }

    /// What to debit, for a payout that paid out money in this change.
    pub fn debit(&self) -> Option<Money> {
        (self.kind == Kind::Payout).then(|| self.amount()).filter(|amount| !amount.is_zero())
    }
}

/// What [`Ledger::settle`](crate::Ledger::settle) did with an observation.
/// Every variant means the observation is durably processed: acknowledge it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Settled {
    /// The record moved (and the merchant's code ran in the same transaction).
    Applied(Change),
    /// Recorded; nothing moved (a late `0015`, a stale partial amount).
    Unchanged,
    /// Already applied before: nothing was done.
    Duplicate,
    /// Kept for a person, with the reason (an unknown `tradeNo`, an amount
    /// that does not fit, a contradiction of a final state).
    NeedsAttention {
        /// Why.
        reason: String,
    },
}

/// One observation applied to a record: what was said, and what it moved.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Event {
    /// Where it came from (`answer`, `query`, `notification`).
    pub source: String,
    /// The status code it carried.
    pub status: Option<String>,
    /// The amount it carried.
    pub amount: Option<String>,
    /// The state before.
    pub old_state: State,
    /// The state after (the same when it moved nothing).
    pub new_state: State,
    /// Paid so far, before.
    pub old_paid: Money,
    /// Paid so far, after.
    pub new_paid: Money,
    /// When it was applied.
    pub observed_at: SystemTime,
}

impl Event {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, Error> {
        Ok(Self {
            source: row.try_get("source")?,
            status: row.try_get("status")?,
            amount: row.try_get("amount")?,
            old_state: State::parse(&row.try_get::<String, _>("old_state")?)?,
            new_state: State::parse(&row.try_get::<String, _>("new_state")?)?,
            old_paid: stored_money(row, "old_paid")?,
            new_paid: stored_money(row, "new_paid")?,
            observed_at: from_millis(row.try_get("observed_at")?),
        })
    }
}

/// Something the ledger could not apply on its own, kept for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attention {
    /// Pay-in or payout.
    pub kind: Kind,
    /// The keys it named.
    pub keys: RecordKeys,
    /// Where it came from (`notification`, `query`, `answer`).
    pub source: String,
    /// The status code it carried.
    pub status: Option<String>,
    /// The amount it carried.
    pub amount: Option<String>,
    /// Why it was kept.
    pub reason: String,
    /// When it was first kept.
    pub created_at: SystemTime,
}

impl Attention {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, Error> {
        Ok(Self {
            kind: Kind::parse(&row.try_get::<String, _>("kind")?)?,
            keys: RecordKeys::parse(&row.try_get::<String, _>("record_keys")?)?,
            source: row.try_get("source")?,
            status: row.try_get("status")?,
            amount: row.try_get("amount")?,
            reason: row.try_get("reason")?,
            created_at: from_millis(row.try_get("created_at")?),
        })
    }
}

/// A record claimed by one worker until its lease ends. Query the gateway
/// outside any transaction, settle what it says, then
/// [`release`](crate::Ledger::release) it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Claim {
    /// The record as it was when claimed.
    pub record: Record,
    /// Who holds it.
    pub worker: String,
    /// Until when.
    pub lease_until: SystemTime,
    /// How many times it has been claimed, this claim included.
    pub attempts: i64,
}

impl Claim {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, Error> {
        Ok(Self {
            record: Record::from_row(row)?,
            worker: row.try_get::<Option<String>, _>("lease_owner")?.unwrap_or_default(),
            lease_until: from_millis(row.try_get::<Option<i64>, _>("lease_until")?.unwrap_or_default()),
            attempts: row.try_get("attempts")?,
        })
    }
}

/// Milliseconds since the Unix epoch (0 before it, `i64::MAX` far after).
pub(crate) fn millis(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |since| i64::try_from(since.as_millis()).unwrap_or(i64::MAX))
}

pub(crate) fn from_millis(millis: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(millis).unwrap_or(0))
}

pub(crate) fn duration_millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
