//! Request amounts with decimals, for regions whose amounts have cents.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use vexora_spec::decimal::Decimal;

use super::amount::{AMOUNT_WHEN_ABSENT, Amount};
use super::decimal::DecimalText;
use crate::wire::WireValue;

/// An amount with at most `SCALE` decimal places (`"1500.50"` for
/// `SCALE = 2`), held as a whole number of minor units, so it is never a
/// float and never has more decimals than the region takes. On the wire a
/// whole amount has no decimals (`"300"`, as the documents' examples and
/// their "decimals not recommended" want), any other has exactly `SCALE`.
///
/// Zero means "no amount", as for [`Amount`]: it is neither signed nor sent.
///
/// ```
/// use vexora::types::{Amount, DecimalAmount, DecimalText};
///
/// let amount: DecimalAmount = serde_json::from_str("\"1500.5\"")?;
/// assert_eq!(amount.minor_units(), 150_050);
/// assert_eq!(amount.to_string(), "1500.50");
/// assert!(serde_json::from_str::<DecimalAmount>("\"1500.505\"").is_err());
///
/// // Whole amounts convert when they fit, never to another amount.
/// assert_eq!(DecimalAmount::<2>::try_from(Amount::new(300))?.to_string(), "300");
/// assert!(DecimalAmount::<2>::try_from(Amount::new(u64::MAX)).is_err());
/// assert!(serde_json::from_str::<DecimalAmount>("200000000000000000").is_err());
/// assert_eq!(DecimalText::from(amount).as_str(), "1500.50");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DecimalAmount<const SCALE: u32 = 2>(u64);

impl<const SCALE: u32> DecimalAmount<SCALE> {
    /// `10^SCALE`, the minor units in one whole unit.
    const ONE: u64 = 10u64.pow(SCALE);

    /// An amount of `minor` hundredths (for `SCALE = 2`) of the currency.
    pub const fn from_minor_units(minor: u64) -> Self {
        Self(minor)
    }

    /// An amount of `units` whole units, or `None` if it has more minor
    /// units than a `u64` holds.
    pub const fn from_units(units: u64) -> Option<Self> {
        match units.checked_mul(Self::ONE) {
            Some(minor) => Some(Self(minor)),
            None => None,
        }
    }

    /// The amount in minor units.
    pub const fn minor_units(self) -> u64 {
        self.0
    }

    /// Reads `"1500"`, `"1500.5"` or `"1500.50"`: digits, then at most
    /// `SCALE` decimals; `None` for anything else or an amount too large.
    pub fn parse(text: &str) -> Option<Self> {
        Decimal::parse(text)?.minor_units(SCALE).map(Self)
    }
}

impl<const SCALE: u32> TryFrom<Amount> for DecimalAmount<SCALE> {
    type Error = AmountOutOfRange;

    /// The same whole amount, or an error if it does not fit in minor units.
    fn try_from(amount: Amount) -> Result<Self, AmountOutOfRange> {
        Self::from_units(amount.units()).ok_or(AmountOutOfRange { units: amount.units(), scale: SCALE })
    }
}

/// A whole amount with more minor units than a
/// [`DecimalAmount`] holds: refused, never changed into another amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("amount {units} is too large: with {scale} decimals it does not fit in 64 bits of minor units")]
pub struct AmountOutOfRange {
    units: u64,
    scale: u32,
}

impl<const SCALE: u32> From<DecimalAmount<SCALE>> for DecimalText {
    /// A request amount as the gateway writes decimals (`1500.50`), e.g. to
    /// compare with what a notification reports.
    fn from(amount: DecimalAmount<SCALE>) -> Self {
        Self::of_amount(amount.to_string())
    }
}

impl<const SCALE: u32> fmt::Display for DecimalAmount<SCALE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = usize::try_from(SCALE).unwrap_or(0);
        match self.0 % Self::ONE {
            0 => write!(f, "{}", self.0 / Self::ONE),
            fraction => write!(f, "{}.{fraction:0width$}", self.0 / Self::ONE),
        }
    }
}

impl<const SCALE: u32> WireValue for DecimalAmount<SCALE> {
    const WHEN_ABSENT: &'static str = AMOUNT_WHEN_ABSENT;

    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        (self.0 != 0).then(|| f(&self.to_string()))
    }
}

impl<const SCALE: u32> Serialize for DecimalAmount<SCALE> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de, const SCALE: u32> Deserialize<'de> for DecimalAmount<SCALE> {
    /// Accepts a JSON string (`"1500.50"`) or a JSON integer; never a JSON
    /// fraction, whose text a float may have changed already.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AmountVisitor<const SCALE: u32>;

        impl<const SCALE: u32> Visitor<'_> for AmountVisitor<SCALE> {
            type Value = DecimalAmount<SCALE>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an amount with at most {SCALE} decimals, as a string like \"1500.50\"")
            }

            fn visit_u64<E: de::Error>(self, units: u64) -> Result<Self::Value, E> {
                DecimalAmount::try_from(Amount::new(units)).map_err(E::custom)
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Err(E::custom("write a decimal amount as a string (\"1500.50\"), not a JSON number"))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                DecimalAmount::parse(text).ok_or_else(|| {
                    E::custom(format_args!("amount {text:?} must be digits with at most {SCALE} decimals"))
                })
            }
        }

        deserializer.deserialize_any(AmountVisitor::<SCALE>)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_at_most_its_scale() {
        let parse = |text| DecimalAmount::<2>::parse(text).map(DecimalAmount::minor_units);
        assert_eq!(parse("0"), Some(0));
        assert_eq!(parse("1500"), Some(150_000));
        assert_eq!(parse("1500.5"), Some(150_050));
        assert_eq!(parse("1500.05"), Some(150_005));
        for bad in ["", ".5", "1.", "1.505", "-1", "1e3", " 1", "1,5", "18446744073709551616"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        assert_eq!(DecimalAmount::<0>::parse("7").map(DecimalAmount::minor_units), Some(7));
        assert_eq!(DecimalAmount::<0>::parse("7.0"), None);
    }

    #[test]
    fn the_wire_text_has_exactly_its_scale() {
        let text = |minor| DecimalAmount::<2>::from_minor_units(minor).with_wire_text(str::to_owned);
        assert_eq!(text(150_050).as_deref(), Some("1500.50"));
        assert_eq!(text(5).as_deref(), Some("0.05"));
        assert_eq!(text(0), None, "zero is no amount");
        assert_eq!(text(30_000).as_deref(), Some("300"), "a whole amount has no decimals");
        assert_eq!(DecimalAmount::<3>::from_minor_units(1_500_500).to_string(), "1500.500");
        assert_eq!(DecimalAmount::<0>::from_minor_units(42).to_string(), "42");
    }

    #[test]
    fn what_does_not_fit_is_refused_never_saturated() {
        let read = |json: &str| serde_json::from_str::<DecimalAmount<2>>(json).map(DecimalAmount::minor_units);
        assert_eq!(read("184467440737095516").ok(), Some(18_446_744_073_709_551_600));
        for json in ["200000000000000000", "184467440737095517", "18446744073709551615", "\"200000000000000000\""] {
            let error = read(json).err().map(|error| error.to_string());
            assert!(error.as_deref().is_some_and(|text| text.starts_with("amount")), "{json}: {error:?}");
        }
        assert!(DecimalAmount::<2>::try_from(Amount::new(u64::MAX / 100 + 1)).is_err());
        assert_eq!(DecimalAmount::<0>::try_from(Amount::new(u64::MAX)).map(DecimalAmount::minor_units), Ok(u64::MAX));
    }

    #[test]
    fn becomes_the_decimal_text_the_gateway_writes() {
        assert_eq!(DecimalText::from(DecimalAmount::<2>::from_minor_units(150_050)).as_str(), "1500.50");
        assert_eq!(DecimalText::from(DecimalAmount::<0>::from_minor_units(300)), DecimalText::from(Amount::new(300)));
    }
}
