//! The merchant's order number.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::wire::WireValue;

/// The merchant's unique order number (`tradeNo`).
///
/// It is also the key for queries and the only way to recognise a retried
/// order, so keep it: store it before sending the checkout.
///
/// ```
/// use vexora::types::TradeNo;
///
/// let trade_no = TradeNo::generate();
/// assert_eq!(trade_no.as_str().len(), 32);
/// assert!(trade_no.as_str().bytes().all(|b| b.is_ascii_digit()));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TradeNo(String);

impl TradeNo {
    /// The most characters a generated number has; also the limit every
    /// create's spec sets (documented as 32 for South Korea; the Taiwan page
    /// states none). Queries take any non-empty number.
    pub const MAX_LEN: usize = 32;

    /// Wraps an existing order number (validated when the request is).
    pub fn new(trade_no: impl Into<String>) -> Self {
        Self(trade_no.into())
    }

    /// A new number in the documented recommended form: `yyyymmddhhmmss`
    /// (UTC) followed by 18 random digits, 32 characters in all.
    ///
    /// The random part is unique, not secret (see `random.rs`).
    pub fn generate() -> Self {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let mut text = utc_compact(now.as_secs());
        let random = crate::random::next_u64() % 1_000_000_000_000_000_000;
        text.push_str(&format!("{random:018}"));
        Self(text)
    }

    /// The number as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for TradeNo {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for TradeNo {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<String> for TradeNo {
    fn eq(&self, other: &String) -> bool {
        self.0 == *other
    }
}

impl PartialEq<&str> for TradeNo {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for TradeNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for TradeNo {
    fn from(trade_no: &str) -> Self {
        Self::new(trade_no)
    }
}

impl From<String> for TradeNo {
    fn from(trade_no: String) -> Self {
        Self(trade_no)
    }
}

/// Any non-empty text, as the provider documents it: a query must find an
/// order however it was made. A create's spec adds the SDK's limit (at most
/// [`TradeNo::MAX_LEN`] of `0-9 A-Z a-z _ -`) for the numbers it sends.
impl WireValue for TradeNo {
    #[inline]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.0.with_wire_text(f)
    }
}

/// `yyyymmddhhmmss` for seconds since the Unix epoch, in UTC.
fn utc_compact(epoch_seconds: u64) -> String {
    let days = i64::try_from(epoch_seconds / 86_400).unwrap_or(i64::MAX / 2);
    let seconds_of_day = epoch_seconds % 86_400;
    let (year, month, day) = crate::clock::civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
        seconds_of_day / 3600,
        seconds_of_day / 60 % 60,
        seconds_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc_compact(0), "19700101000000");
        // 2024-08-20T08:20:41Z, the seed example's timestamp 1724142041682 ms.
        assert_eq!(utc_compact(1_724_142_041), "20240820082041");
        // 2000-02-29T23:59:59Z: a leap day in a century leap year.
        assert_eq!(utc_compact(951_868_799), "20000229235959");
    }

    #[test]
    fn generated_numbers_differ() {
        let a = TradeNo::generate();
        let b = TradeNo::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), TradeNo::MAX_LEN);
    }
}
