//! Amounts as exact decimals: parsed without rounding, compared by value,
//! subtracted exactly. Never a float.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::Error;

/// An amount of money, exact: `300`, `300.00` and `0300` are one value.
///
/// Parsing refuses what it cannot hold exactly (more than 28 fractional
/// digits, too many digits in all) and negative amounts: money is exact or
/// refused, never rounded.
///
/// ```
/// use vexora_ledger::Money;
///
/// let order = Money::parse("300")?;
/// assert_eq!(order, Money::parse("300.00")?);
/// let paid = Money::parse("120.10")?;
/// assert_eq!(order.checked_sub(paid).map(|rest| rest.to_string()), Some("179.9".to_owned()));
/// assert!(Money::parse("-1").is_err());
/// assert!(Money::parse("0.1e1").is_err());
/// # Ok::<(), vexora_ledger::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

impl Money {
    /// Zero.
    pub const ZERO: Self = Self(Decimal::ZERO);

    /// Parses a plain decimal text (digits and at most one `.`), exactly.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let refused = || Error::InvalidAmount { text: text.to_owned() };
        let plain = !text.is_empty()
            && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && text.bytes().filter(|b| *b == b'.').count() <= 1
            && text.bytes().any(|b| b.is_ascii_digit());
        if !plain {
            return Err(refused());
        }
        Decimal::from_str_exact(text).map(|value| Self(value.normalize())).map_err(|_| refused())
    }

    /// `self - other`, or `None` if `other` is larger (an amount is never
    /// negative).
    pub fn checked_sub(self, other: Self) -> Option<Self> {
        self.0.checked_sub(other.0).filter(|rest| !rest.is_sign_negative() || rest.is_zero()).map(Self)
    }

    /// `self + other`, or `None` past the largest amount held exactly.
    ///
    /// ```
    /// use vexora_ledger::Money;
    ///
    /// let total = Money::parse("120.10")?.checked_add(Money::parse("79.9")?);
    /// assert_eq!(total, Some(Money::from(200)));
    /// # Ok::<(), vexora_ledger::Error>(())
    /// ```
    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }

    /// Whether this is zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }
}

impl From<u64> for Money {
    fn from(units: u64) -> Self {
        Self(Decimal::from(units))
    }
}

impl TryFrom<&vexora::types::DecimalText> for Money {
    type Error = Error;

    fn try_from(text: &vexora::types::DecimalText) -> Result<Self, Error> {
        Self::parse(text.as_str())
    }
}

impl FromStr for Money {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        Self::parse(text)
    }
}

/// The shortest exact text: `300`, `150.5` (the form stored in the books).
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.normalize(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_by_value_and_exact() {
        let parse = |text| Money::parse(text).unwrap();
        assert_eq!(parse("300"), parse("300.00"));
        assert_eq!(parse("0300.0"), parse("300"));
        assert_eq!(parse("300.00").to_string(), "300");
        assert_eq!(parse("0.1").to_string(), "0.1");
        // 0.1 + 0.2 is 0.3 exactly, which a float would miss.
        let sum = parse("0.3").checked_sub(parse("0.1")).unwrap();
        assert_eq!(sum, parse("0.2"));
        assert_eq!(parse("100").checked_sub(parse("100.01")), None);
        assert_eq!(parse("100").checked_sub(parse("100.00")), Some(Money::ZERO));
    }

    #[test]
    fn refuses_what_it_cannot_hold_exactly() {
        for text in [
            "",
            ".",
            "-5",
            "1e3",
            "1.2.3",
            " 1",
            "abc",
            "1.00000000000000000000000000001",
            "99999999999999999999999999999999",
        ] {
            assert!(Money::parse(text).is_err(), "{text:?} accepted");
        }
    }
}
