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

/// The order of two decimal texts by value (`"0300"` = `"300.00"`), exact:
/// no floating point. `None` unless both are decimals.
pub(crate) fn compare_decimals(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    (is_decimal(a) && is_decimal(b)).then(|| Magnitude::of(a).cmp(&Magnitude::of(b)))
}

/// A decimal text split for exact comparison: no leading zeros in the
/// whole part, no trailing zeros in the fraction, no sign on zero.
#[derive(Debug, PartialEq, Eq)]
struct Magnitude<'a> {
    negative: bool,
    whole: &'a str,
    fraction: &'a str,
}

impl<'a> Magnitude<'a> {
    fn of(text: &'a str) -> Self {
        let (negative, digits) = text.strip_prefix('-').map_or((false, text), |digits| (true, digits));
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let whole = whole.trim_start_matches('0');
        let fraction = fraction.trim_end_matches('0');
        let zero = whole.is_empty() && fraction.is_empty();
        Self { negative: negative && !zero, whole, fraction }
    }

    /// Absolute values: a longer whole part is larger; then the digits.
    fn cmp_absolute(&self, other: &Self) -> std::cmp::Ordering {
        self.whole
            .len()
            .cmp(&other.whole.len())
            .then_with(|| self.whole.cmp(other.whole))
            .then_with(|| self.fraction.cmp(other.fraction))
    }
}

impl Ord for Magnitude<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use std::cmp::Ordering::{Greater, Less};
        match (self.negative, other.negative) {
            (false, false) => self.cmp_absolute(other),
            (true, true) => other.cmp_absolute(self),
            (true, false) => Less,
            (false, true) => Greater,
        }
    }
}

impl PartialOrd for Magnitude<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
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

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{self, Equal, Greater, Less};

    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        compare_decimals(a, b).unwrap_or_else(|| panic!("{a} or {b} is not a decimal"))
    }

    #[test]
    fn exact_decimal_order() {
        let cases = [
            ("300", "300.00", Equal),
            ("0300.0", "300", Equal),
            ("-0.00", "0", Equal),
            ("0.1", "0.10", Equal),
            ("299.99", "300", Less),
            ("300.01", "300", Greater),
            ("1000", "999.999", Greater),
            ("0.05", "0.5", Less),
            ("0.1", "0.12", Less),
            ("-1", "0", Less),
            ("-2", "-1", Less),
            ("-1.5", "-1.25", Less),
            ("18446744073709551616", "18446744073709551615", Greater),
        ];
        for (a, b, expected) in cases {
            assert_eq!(cmp(a, b), expected, "{a} vs {b}");
            assert_eq!(cmp(b, a), expected.reverse(), "{b} vs {a}");
        }
        assert_eq!(compare_decimals("1e3", "1"), None);
        assert_eq!(compare_decimals("1", ""), None);
    }
}
