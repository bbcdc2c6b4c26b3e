//! The business outcome of a trade: `data.status`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The business result of a pay-in (`data.status`, and `status` in
/// notifications). Unlike the envelope's `code`, this is what order logic
/// must read.
///
/// An unknown code never fails a response: it arrives as [`TradeStatus::Other`].
/// Treat anything you do not recognise as not paid.
///
/// ```
/// use vexora::types::TradeStatus;
///
/// assert_eq!(TradeStatus::from_code("0015"), TradeStatus::Processing);
/// assert_eq!(TradeStatus::from_code("0042"), TradeStatus::Other("0042".into()));
/// assert!(!TradeStatus::Partial.is_paid_in_full());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TradeStatus {
    /// `0000`: paid in full.
    Success,
    /// `0001`: paid in part. Credit the notified `amount`, never the order amount.
    Partial,
    /// `0015`: waiting for the payer ("Paying" in the Taiwan document).
    Processing,
    /// `00029`: failed.
    Failed,
    /// A code this SDK does not know yet, kept verbatim.
    Other(String),
}

impl TradeStatus {
    /// The status for a wire code.
    pub fn from_code(code: &str) -> Self {
        match code {
            "0000" => Self::Success,
            "0001" => Self::Partial,
            "0015" => Self::Processing,
            "00029" => Self::Failed,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The wire code.
    pub fn code(&self) -> &str {
        match self {
            Self::Success => "0000",
            Self::Partial => "0001",
            Self::Processing => "0015",
            Self::Failed => "00029",
            Self::Other(code) => code,
        }
    }

    /// Whether the order is paid in full. Only [`TradeStatus::Success`] is.
    pub fn is_paid_in_full(&self) -> bool {
        matches!(self, Self::Success)
    }

    /// Whether the status can still change (only [`TradeStatus::Processing`]).
    pub fn is_pending(&self) -> bool {
        matches!(self, Self::Processing)
    }
}

impl fmt::Display for TradeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for TradeStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for TradeStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Self::from_code(&code))
    }
}
