//! Amounts the gateway reports, kept as their exact decimal text.

use std::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// A decimal amount exactly as the gateway wrote it (`"300.00"`,
/// `50002.0000`), whether it arrived as a JSON string or a JSON number.
///
/// Never a float: `0.1 + 0.2` must not decide whether an order is paid.
/// Compare with [`DecimalText::eq_units`] or parse it with your decimal type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DecimalText(String);

impl DecimalText {
    /// Wraps a decimal text, checking its form: digits, at most one `.`,
    /// an optional leading `-`.
    pub fn parse(text: &str) -> Option<Self> {
        is_decimal(text).then(|| Self(text.to_owned()))
    }

    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is exactly `units` whole units (`"300"`, `"300.00"` and
    /// `300.0000` all equal 300). Exact: no floating point involved.
    pub fn eq_units(&self, units: u64) -> bool {
        let (whole, fraction) = self.0.split_once('.').unwrap_or((&self.0, ""));
        fraction.bytes().all(|b| b == b'0') && whole.parse::<u64>() == Ok(units)
    }
}

fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

impl From<super::Amount> for DecimalText {
    /// A whole-unit amount as decimal text (`300`), e.g. to compare with
    /// what a notification reports.
    fn from(amount: super::Amount) -> Self {
        Self(amount.units().to_string())
    }
}

impl<const SCALE: u32> From<super::DecimalAmount<SCALE>> for DecimalText {
    /// A request amount as the gateway writes decimals (`1500.50`), e.g. to
    /// compare with what a notification reports.
    fn from(amount: super::DecimalAmount<SCALE>) -> Self {
        Self(amount.to_string())
    }
}

impl fmt::Display for DecimalText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for DecimalText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DecimalText {
    /// From a JSON string, or from a JSON number's original text (read
    /// through `RawValue`, so `50002.0000` keeps its four decimals). JSON only:
    /// other formats have no raw number text to keep.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <Box<serde_json::value::RawValue>>::deserialize(deserializer)?;
        let text = raw.get();
        if text.starts_with('"') {
            let unquoted: String = serde_json::from_str(text).map_err(de::Error::custom)?;
            return DecimalText::parse(&unquoted)
                .ok_or_else(|| de::Error::custom(format_args!("{unquoted:?} is not a decimal amount")));
        }
        // A JSON number: its raw text is already in decimal form unless it
        // uses an exponent, which no documented amount does.
        DecimalText::parse(text).ok_or_else(|| de::Error::custom(format_args!("{text} is not a plain decimal amount")))
    }
}
