//! The ledger's one error type.

/// An error from merchant code run inside a settlement.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why the ledger could not do what was asked. Nothing was recorded when
/// an error is returned: each call is one transaction.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database failed or refused (busy, unreachable, a constraint).
    /// Transient ones are worth retrying; a webhook answers non-OK so the
    /// gateway retries.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The URL names no database the ledger supports (`sqlite:PATH`,
    /// `postgres://...`).
    #[error("unsupported database URL (use sqlite:PATH or postgres://...): {url}")]
    UnsupportedUrl {
        /// The URL, without its password.
        url: String,
    },
    /// An amount that is not a plain, non-negative decimal the ledger can
    /// hold exactly. Money is exact or refused, never rounded.
    #[error("amount {text:?} is not an exact, non-negative decimal")]
    InvalidAmount {
        /// The text as given.
        text: String,
    },
    /// A request without a record key (`tradeNo`), so nothing could find
    /// its record again.
    #[error("the request carries no record key (tradeNo)")]
    NoRecordKey,
    /// A request without an `amount` field.
    #[error("the request carries no amount")]
    NoAmount,
    /// An intent under keys already recorded for other signed fields: a
    /// `tradeNo` reused for another request.
    #[error("{kind} {keys} was recorded for other signed fields")]
    IntentConflict {
        /// The record's kind.
        kind: crate::Kind,
        /// The record's keys.
        keys: crate::RecordKeys,
    },
    /// Other settlements kept moving the record between this one's read and
    /// its write. Nothing was recorded; settle again (a webhook answers
    /// non-OK, so the gateway retries).
    #[error("{kind} {keys} kept changing under the settlement; settle it again")]
    Contended {
        /// The record's kind.
        kind: crate::Kind,
        /// The record's keys.
        keys: crate::RecordKeys,
    },
    /// The merchant's code failed inside the settlement: everything was
    /// rolled back, the ledger's record included.
    #[error("the merchant's books refused the change: {0}")]
    Merchant(#[source] BoxError),
    /// Something the ledger supports only in part.
    #[error("not supported: {what}")]
    Unsupported {
        /// What.
        what: String,
    },
    /// A stored value the ledger cannot read (edited by hand?).
    #[error("the books hold an unreadable {what}")]
    Corrupt {
        /// What could not be read.
        what: String,
    },
}
