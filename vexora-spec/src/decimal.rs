//! Decimal text as the gateway and the spec files write amounts (`300`,
//! `"150.00"`, `-1.5`): read exactly, compared by value and turned into
//! minor units, never through a float.
//!
//! ```
//! use std::cmp::Ordering;
//! use vexora_spec::decimal::{self, Decimal};
//!
//! assert_eq!(decimal::compare("0300", "300.00"), Some(Ordering::Equal));
//! assert_eq!(decimal::compare("299.99", "300"), Some(Ordering::Less));
//! assert_eq!(decimal::compare("1e3", "1000"), None);
//!
//! let amount = Decimal::parse("1500.5").ok_or("not a decimal")?;
//! assert_eq!(amount.minor_units(2), Some(150_050));
//! assert_eq!(amount.minor_units(0), None, "more decimals than the scale");
//! # Ok::<(), &str>(())
//! ```

use std::cmp::Ordering;

/// A decimal text, checked for its form: an optional leading `-`, digits,
/// and an optional `.` followed by digits (`1.` and `.5` are not decimals).
#[derive(Debug, Clone, Copy)]
pub struct Decimal<'a> {
    /// The text had a leading `-`.
    signed: bool,
    /// The digits before the `.`, as written.
    whole: &'a str,
    /// The digits after the `.`, as written (empty without a `.`).
    fraction: &'a str,
}

impl<'a> Decimal<'a> {
    /// Reads `text`, or `None` if it is not decimal text.
    pub fn parse(text: &'a str) -> Option<Self> {
        let (signed, digits) = text.strip_prefix('-').map_or((false, text), |digits| (true, digits));
        let (whole, fraction) = match digits.split_once('.') {
            Some((_, "")) => return None,
            Some((whole, fraction)) => (whole, fraction),
            None => (digits, ""),
        };
        let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        (!whole.is_empty() && all_digits(whole) && all_digits(fraction)).then_some(Self { signed, whole, fraction })
    }

    /// Whether the text had a leading `-` (`-0` has one too).
    pub fn is_signed(&self) -> bool {
        self.signed
    }

    /// The value in minor units of `scale` decimal places (`1500.5` is
    /// `150050` at scale 2), or `None` for a signed text, one with more
    /// decimals than `scale`, or one too large for a `u64`.
    pub fn minor_units(&self, scale: u32) -> Option<u64> {
        let scale_digits = usize::try_from(scale).ok()?;
        if self.signed || self.fraction.len() > scale_digits {
            return None;
        }
        let one = 10u64.checked_pow(scale)?;
        let mut minor = self.whole.parse::<u64>().ok()?.checked_mul(one)?;
        for (place, digit) in self.fraction.bytes().enumerate() {
            let weight = 10u64.pow(scale - 1 - u32::try_from(place).ok()?);
            minor = minor.checked_add(u64::from(digit - b'0') * weight)?;
        }
        Some(minor)
    }

    /// Whether the value is exactly `units` whole units (`300`, `300.00`
    /// and `0300.0` are all 300).
    pub fn eq_units(&self, units: u64) -> bool {
        let value = self.magnitude();
        if value.negative || !value.fraction.is_empty() {
            return false;
        }
        // Zero has no digits left once its leading zeros are trimmed.
        if value.whole.is_empty() {
            return units == 0;
        }
        value.whole.parse::<u64>() == Ok(units)
    }

    /// The order of two decimals by value, exactly.
    pub fn cmp_value(&self, other: &Decimal<'_>) -> Ordering {
        self.magnitude().cmp(&other.magnitude())
    }

    fn magnitude(&self) -> Magnitude<'a> {
        let whole = self.whole.trim_start_matches('0');
        let fraction = self.fraction.trim_end_matches('0');
        let zero = whole.is_empty() && fraction.is_empty();
        Magnitude { negative: self.signed && !zero, whole, fraction }
    }
}

/// The order of two decimal texts by value (`"0300"` = `"300.00"`), exact:
/// no floating point. `None` unless both are decimals.
pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    Some(Decimal::parse(a)?.cmp_value(&Decimal::parse(b)?))
}

/// A decimal split for exact comparison: no leading zeros in the whole
/// part, no trailing zeros in the fraction, no sign on zero.
#[derive(Debug, PartialEq, Eq)]
struct Magnitude<'a> {
    negative: bool,
    whole: &'a str,
    fraction: &'a str,
}

impl Magnitude<'_> {
    /// Absolute values: a longer whole part is larger; then the digits.
    fn cmp_absolute(&self, other: &Self) -> Ordering {
        self.whole
            .len()
            .cmp(&other.whole.len())
            .then_with(|| self.whole.cmp(other.whole))
            .then_with(|| self.fraction.cmp(other.fraction))
    }
}

impl Ord for Magnitude<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, false) => self.cmp_absolute(other),
            (true, true) => other.cmp_absolute(self),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
        }
    }
}

impl PartialOrd for Magnitude<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{self, Equal, Greater, Less};

    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        compare(a, b).unwrap_or_else(|| panic!("{a} or {b} is not a decimal"))
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
        assert_eq!(compare("1e3", "1"), None);
        assert_eq!(compare("1", ""), None);
    }

    #[test]
    fn the_form_is_sign_digits_and_decimals() {
        for good in ["0", "300", "-1", "1.5", "0300.00", "-0"] {
            assert!(Decimal::parse(good).is_some(), "{good:?}");
        }
        for bad in ["", "-", ".5", "1.", "1.2.3", "1e3", " 1", "1,5", "+1", "--1", "1.-5", "٣"] {
            assert!(Decimal::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn minor_units_at_a_scale() {
        let minor = |text: &str, scale| Decimal::parse(text).and_then(|decimal| decimal.minor_units(scale));
        assert_eq!(minor("0", 2), Some(0));
        assert_eq!(minor("1500", 2), Some(150_000));
        assert_eq!(minor("1500.5", 2), Some(150_050));
        assert_eq!(minor("1500.05", 2), Some(150_005));
        assert_eq!(minor("7", 0), Some(7));
        assert_eq!(minor("7.0", 0), None, "more decimals than the scale");
        assert_eq!(minor("1.505", 2), None);
        assert_eq!(minor("-1", 2), None, "signed");
        assert_eq!(minor("-0", 2), None, "signed");
        assert_eq!(minor("184467440737095516", 2), Some(18_446_744_073_709_551_600));
        assert_eq!(minor("184467440737095517", 2), None, "too large");
        assert_eq!(minor("18446744073709551616", 0), None, "too large");
    }

    #[test]
    fn whole_units_compare_by_value() {
        let eq = |text: &str, units| Decimal::parse(text).is_some_and(|decimal| decimal.eq_units(units));
        assert!(eq("300", 300) && eq("300.00", 300) && eq("0300.0", 300));
        assert!(eq("0", 0) && eq("0.00", 0) && eq("-0", 0));
        assert!(!eq("300.01", 300) && !eq("-300", 300) && !eq("30", 300) && !eq("1", 0));
        assert!(eq("18446744073709551615", u64::MAX) && !eq("18446744073709551616", 0));
    }
}
