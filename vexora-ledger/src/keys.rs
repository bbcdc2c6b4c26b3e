//! What a record is about (its kind) and which record it is (its keys).

use std::collections::BTreeMap;
use std::fmt;

use vexora::notification::NotificationKind;

use crate::Error;

/// Whether a record is money coming in or going out. A pay-in and a payout
/// may share a `tradeNo`: the kind is part of every record's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A pay-in order (checkout, deposit): settlement credits.
    PayIn,
    /// A payout: settlement debits.
    Payout,
}

impl Kind {
    /// `pay_in` or `payout`, as stored (the SDK's notification kinds' names).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PayIn => "pay_in",
            Self::Payout => "payout",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Self, Error> {
        match text {
            "pay_in" => Ok(Self::PayIn),
            "payout" => Ok(Self::Payout),
            other => Err(Error::Corrupt { what: format!("record kind {other:?}") }),
        }
    }
}

impl TryFrom<NotificationKind> for Kind {
    type Error = Error;

    fn try_from(kind: NotificationKind) -> Result<Self, Error> {
        match kind {
            NotificationKind::PayIn => Ok(Self::PayIn),
            NotificationKind::Payout => Ok(Self::Payout),
            other => Err(Error::Unsupported { what: format!("notification kind {other}") }),
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The whole set of keys that name a record, by wire name: today
/// `{"tradeNo": "T1"}`. A create keyed by several fields stores them all,
/// with no change to the tables.
///
/// ```
/// use vexora_ledger::RecordKeys;
///
/// let keys = RecordKeys::trade_no("00000007");
/// assert_eq!(keys.get("tradeNo"), Some("00000007"));
/// assert_eq!(keys.to_string(), r#"{"tradeNo":"00000007"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct RecordKeys(BTreeMap<String, String>);

impl RecordKeys {
    /// No keys yet; add them with [`RecordKeys::with`].
    pub fn new() -> Self {
        Self::default()
    }

    /// The keys of a record named by its `tradeNo` alone.
    pub fn trade_no(trade_no: impl Into<String>) -> Self {
        Self::new().with("tradeNo", trade_no)
    }

    /// These keys and one more (by wire name).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.0.insert(name.into(), value.into());
        self
    }

    /// The value of one key.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Every key and value, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// Whether no key is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether every key of `self` has the same value in `other`.
    pub(crate) fn is_subset_of(&self, other: &Self) -> bool {
        self.iter().all(|(name, value)| other.get(name) == Some(value))
    }

    /// The key a lookup starts from: `tradeNo` when present.
    pub(crate) fn lookup_key(&self) -> Option<(&str, &str)> {
        self.get("tradeNo").map(|value| ("tradeNo", value)).or_else(|| self.iter().next())
    }

    pub(crate) fn parse(text: &str) -> Result<Self, Error> {
        serde_json::from_str(text).map(Self).map_err(|_| Error::Corrupt { what: format!("record keys {text:?}") })
    }
}

/// The stored form: a JSON object with sorted names, one text per set of keys.
impl fmt::Display for RecordKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(&self.0).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

/// The reconciler builds a create's read from the keys the books hold.
impl vexora::endpoint::KeyValues for RecordKeys {
    fn value_of(&self, wire_name: &str) -> Option<&str> {
        self.get(wire_name)
    }
}
