//! Amounts the gateway reports, kept as their exact decimal text.

use std::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use vexora_spec::decimal::Decimal;

use super::amount::Amount;

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
        Decimal::parse(text).map(|_| Self(text.to_owned()))
    }

    /// An amount's own decimal rendering, which needs no check.
    pub(super) fn of_amount(text: String) -> Self {
        Self(text)
    }

    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is exactly `units` whole units (`"300"`, `"300.00"` and
    /// `300.0000` all equal 300). Exact: no floating point involved.
    pub fn eq_units(&self, units: u64) -> bool {
        Decimal::parse(&self.0).is_some_and(|decimal| decimal.eq_units(units))
    }
}

impl From<Amount> for DecimalText {
    /// A whole-unit amount as decimal text (`300`), e.g. to compare with
    /// what a notification reports.
    fn from(amount: Amount) -> Self {
        Self::of_amount(amount.units().to_string())
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
