//! Amounts as the sandbox keeps them: hundredths of the region's currency,
//! since two decimals is the most any region's documents allow (Thailand's
//! and Malaysia's payouts, card payments).
//!
//! Every sum and difference is checked: one that does not fit is `None`,
//! and the caller refuses what asked for it. An amount is never clamped.

use std::fmt;

use serde::{Serialize, Serializer};

/// An amount in hundredths (`30050` is `300.50`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub(crate) struct Cents(u64);

impl Cents {
    /// Nothing.
    pub(crate) const ZERO: Self = Self(0);

    /// The amount in hundredths, as the public views report it.
    pub(crate) fn hundredths(self) -> u64 {
        self.0
    }

    /// `units` whole units, unless that is more hundredths than fit.
    pub(crate) fn whole(units: u64) -> Option<Self> {
        units.checked_mul(100).map(Self)
    }

    /// Decimal text with at most two significant decimals (`300`, `300.5`,
    /// `300.50`, `300.500`); anything else is `None`.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || text.ends_with('.') {
            return None;
        }
        let (kept, rest) = fraction.split_at(fraction.len().min(2));
        if !rest.bytes().all(|b| b == b'0') {
            return None;
        }
        let hundredths = format!("{kept:0<2}").parse::<u64>().ok()?;
        whole.parse::<u64>().ok()?.checked_mul(100)?.checked_add(hundredths).map(Self)
    }

    /// As decimal text with `decimals` places (at least two): `300.50`, or
    /// `300.5000` with four.
    pub(crate) fn text(self, decimals: usize) -> String {
        let zeros = decimals.saturating_sub(2);
        format!("{}.{:02}{:0>zeros$}", self.0 / 100, self.0 % 100, "")
    }

    /// What a partial payment pays: half, down to a whole unit, at least a
    /// hundredth and never more than the amount itself; `None` for nothing,
    /// which cannot be paid in part.
    pub(crate) fn partial(self) -> Option<Self> {
        (!self.is_zero()).then(|| Self((self.0 / 2 / 100 * 100).max(1).min(self.0)))
    }

    /// `self + other`, unless it does not fit.
    pub(crate) fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }

    /// `self - other`, unless `other` is larger.
    pub(crate) fn checked_sub(self, other: Self) -> Option<Self> {
        self.0.checked_sub(other.0).map(Self)
    }

    /// The sum of `amounts`, unless it does not fit.
    pub(crate) fn checked_sum(amounts: impl IntoIterator<Item = Self>) -> Option<Self> {
        amounts.into_iter().try_fold(Self::ZERO, Self::checked_add)
    }

    pub(crate) fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(2))
    }
}

/// As the gateway's examples write amounts: decimal text, two places.
impl Serialize for Cents {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text(2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_to_two_decimals_are_kept() {
        for (text, cents) in [("300", 30_000), ("300.00", 30_000), ("0300.0", 30_000), ("300.5", 30_050)] {
            assert_eq!(Cents::parse(text), Some(Cents(cents)), "{text}");
        }
        assert_eq!(Cents::parse("0.01"), Some(Cents(1)));
        assert_eq!(Cents::parse("300.500"), Some(Cents(30_050)));
        for text in ["300.505", "300.", ".5", "", "-1", "1e3", "3 00", "184467440737095516.16"] {
            assert_eq!(Cents::parse(text), None, "{text}");
        }
    }

    #[test]
    fn text_has_the_places_asked_for() {
        assert_eq!(Cents(30_050).text(2), "300.50");
        assert_eq!(Cents(30_050).text(4), "300.5000");
        assert_eq!(Cents::whole(7).map(|cents| cents.text(2)).as_deref(), Some("7.00"));
        assert_eq!(Cents(5).to_string(), "0.05");
    }

    #[test]
    fn a_partial_payment_is_half_in_whole_units_and_never_more_than_the_amount() {
        assert_eq!(Cents(30_100).partial(), Some(Cents(15_000)));
        assert_eq!(Cents(30_050).partial(), Some(Cents(15_000)));
        assert_eq!(Cents(50).partial(), Some(Cents(1)));
        assert_eq!(Cents(1).partial(), Some(Cents(1)));
        assert_eq!(Cents::ZERO.partial(), None);
    }

    #[test]
    fn what_does_not_fit_is_none_never_another_amount() {
        let most_whole = Cents::parse("184467440737095516").expect("fits");
        let one = Cents::parse("1").expect("fits");
        assert_eq!(most_whole.checked_add(one), None);
        assert_eq!(
            Cents::checked_sum([most_whole, Cents(15)]).map(|sum| sum.text(2)).as_deref(),
            Some("184467440737095516.15")
        );
        assert_eq!(Cents::checked_sum([most_whole, Cents(15), Cents(1)]), None);
        assert_eq!(Cents::checked_sum([Cents(u64::MAX), Cents(1)]), None);
        assert_eq!(Cents(1).checked_sub(Cents(2)), None);
        assert_eq!(Cents::whole(184_467_440_737_095_516), Some(most_whole));
        assert_eq!(Cents::whole(184_467_440_737_095_517), None);
    }
}
