//! Whole-unit request amounts.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use vexora_spec::pattern::{CharClass, Pattern, PatternItem};

use crate::validation::spec::Rule;
use crate::wire::{IntegerText, WireValue};

/// An amount in whole units of the region's currency (for Taiwan: whole yuan,
/// i.e. TWD), sent as a string without decimals (`"300"`).
///
/// The Taiwan checkout documents "integer only"; a type that cannot hold
/// cents makes a fractional amount impossible to send. Zero means "no
/// amount": like an empty string it is neither signed nor sent, and a
/// request that requires an amount reports it as missing.
///
/// ```
/// use vexora::types::Amount;
///
/// let amount: Amount = serde_json::from_str("\"300\"").unwrap();
/// assert_eq!(amount, Amount::new(300));
/// assert_eq!(amount.to_string(), "300");
/// assert!(serde_json::from_str::<Amount>("\"300.50\"").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(u64);

impl Amount {
    /// An amount of `units` whole currency units.
    pub const fn new(units: u64) -> Self {
        Self(units)
    }

    /// The number of whole currency units.
    pub const fn units(self) -> u64 {
        self.0
    }
}

impl From<u64> for Amount {
    fn from(units: u64) -> Self {
        Self(units)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a required amount of zero (or none) reports.
pub(crate) const AMOUNT_WHEN_ABSENT: &str = "is required and must be an amount greater than 0";

/// `^[1-9][0-9]*$`: whole units, more than zero, no leading zero.
static WHOLE_UNITS: Pattern = Pattern {
    source: "^[1-9][0-9]*$",
    items: &[
        PatternItem { class: CharClass::Set { negated: false, ranges: &[('1', '9')] }, min: 1, max: 1 },
        PatternItem { class: CharClass::Set { negated: false, ranges: &[('0', '9')] }, min: 0, max: u32::MAX },
    ],
};

impl WireValue for Amount {
    const TYPE_RULES: &'static [Rule] = &[Rule::Pattern(&WHOLE_UNITS)];
    const WHEN_ABSENT: &'static str = AMOUNT_WHEN_ABSENT;

    #[inline]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        if self.0 == 0 {
            return None;
        }
        let mut text = IntegerText::new();
        Some(f(text.format(self.0)))
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = IntegerText::new();
        serializer.serialize_str(text.format(self.0))
    }
}

impl<'de> Deserialize<'de> for Amount {
    /// Accepts a JSON string of digits (`"300"`) or a non-negative JSON
    /// integer (`300`); anything with decimals is refused with a message
    /// that says why.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AmountVisitor;

        impl Visitor<'_> for AmountVisitor {
            type Value = Amount;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number of currency units, as a string like \"300\" or an integer")
            }

            fn visit_u64<E: de::Error>(self, units: u64) -> Result<Amount, E> {
                Ok(Amount(units))
            }

            fn visit_i64<E: de::Error>(self, units: i64) -> Result<Amount, E> {
                u64::try_from(units).map(Amount).map_err(|_| E::custom("amount must not be negative"))
            }

            fn visit_f64<E: de::Error>(self, units: f64) -> Result<Amount, E> {
                Err(E::custom(format_args!("amount {units} must be a whole number: this region takes no decimals")))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Amount, E> {
                if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(E::custom(format_args!(
                        "amount {text:?} must be a whole number written with the digits 0-9 (no decimals, signs or spaces)"
                    )));
                }
                text.parse().map(Amount).map_err(|_| E::custom(format_args!("amount {text:?} is too large")))
            }
        }

        deserializer.deserialize_any(AmountVisitor)
    }
}
