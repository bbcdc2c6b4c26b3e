//! What a verified notification means for the order: credit, wait, or look closer.

use std::cmp::Ordering;

use super::Notification;
use crate::types::{DecimalText, TradeStatus};

/// What to do with an order, given a verified notification and the amount
/// the order was created for. See [`Notification::settlement`].
///
/// Every outcome is a notification you have *processed*: once the outcome
/// (including a mismatch, for investigation) is durably recorded,
/// acknowledge it with [`Acknowledgement`](super::Acknowledgement). If
/// recording fails, do not acknowledge, so the gateway retries.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Settlement {
    /// `0000` and the paid amount equals the order amount: credit `amount`.
    PaidInFull {
        /// The amount paid, as the gateway wrote it.
        amount: DecimalText,
    },
    /// `0001`, a partial payment of more than zero and less than the order
    /// amount: credit `amount`, **never the order amount**, and decide by
    /// your own rules whether the order is fulfilled (it is not paid in full).
    PaidInPart {
        /// The amount actually paid, as the gateway wrote it.
        amount: DecimalText,
    },
    /// The status says money arrived, but the amount is missing or does not
    /// fit the order: `0000` with an amount other than the order amount, or
    /// `0001` with an amount that is not between zero and the order amount.
    /// Do not credit anything automatically: record it, query the order
    /// (`queryPayInResult`) and investigate.
    AmountMismatch {
        /// The order amount you passed in.
        expected: DecimalText,
        /// The notified amount, if there was one.
        received: Option<DecimalText>,
    },
    /// `0015`: the payer has not finished; nothing to credit yet. A final
    /// notification follows. Never move an already settled order back to
    /// pending because of a late `0015`.
    Pending,
    /// `00029`: the payment failed; nothing to credit.
    Failed,
    /// A status code this SDK does not know (kept verbatim). The gateway
    /// treats unknown codes as errors: do not credit; query the order to be
    /// sure.
    Unknown(String),
}

impl Settlement {
    /// The amount to credit now, if any: only for
    /// [`Settlement::PaidInFull`] and [`Settlement::PaidInPart`].
    pub fn credit(&self) -> Option<&DecimalText> {
        match self {
            Self::PaidInFull { amount } | Self::PaidInPart { amount } => Some(amount),
            _ => None,
        }
    }
}

impl Notification {
    /// What this notification means for an order created for
    /// `expected_order_amount`.
    ///
    /// The comparison is exact decimal arithmetic on the texts (`"300"`,
    /// `300.00` and `"300.0"` are equal), never floating point. Amounts are
    /// compared by value, so a leading zero does not matter either: `"0300"`
    /// pays an order of 300 in full. No documented example has one, but the
    /// text is covered by the signature, so it is what the gateway sent, and
    /// its value is what was paid.
    ///
    /// ```
    /// # use vexora::notification::{verify_with_secret_bytes, Settlement};
    /// # use vexora::types::DecimalText;
    /// # let body = br#"{"tradeNo":"00000008","platFormTradeNo":"68o0uwogz7mnzutt","status":"0001","amount":150.00,"orderAmount":300,"sign":"9ee22021d0627b70ae90a2f22f28ddc9"}"#;
    /// let notification = verify_with_secret_bytes(body, b"test-app-secret-123")?;
    /// let order_amount = DecimalText::parse("300").ok_or("bad amount")?;
    /// match notification.settlement(&order_amount) {
    ///     Settlement::PaidInPart { amount } => assert_eq!(amount.as_str(), "150.00"),
    ///     other => panic!("unexpected {other:?}"),
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn settlement(&self, expected_order_amount: &DecimalText) -> Settlement {
        let mismatch =
            || Settlement::AmountMismatch { expected: expected_order_amount.clone(), received: self.amount.clone() };
        let expected = Decimal::of(expected_order_amount);
        match &self.status {
            TradeStatus::Success => match &self.amount {
                Some(amount) if Decimal::of(amount).cmp(&expected) == Ordering::Equal => {
                    Settlement::PaidInFull { amount: amount.clone() }
                }
                _ => mismatch(),
            },
            TradeStatus::Partial => match &self.amount {
                Some(amount) if Decimal::of(amount).is_positive() && Decimal::of(amount) < expected => {
                    Settlement::PaidInPart { amount: amount.clone() }
                }
                _ => mismatch(),
            },
            TradeStatus::Processing => Settlement::Pending,
            TradeStatus::Failed => Settlement::Failed,
            other => Settlement::Unknown(other.code().to_owned()),
        }
    }
}

/// A decimal text split for exact comparison: no leading zeros in the
/// whole part, no trailing zeros in the fraction, no sign on zero.
#[derive(Debug, PartialEq, Eq)]
struct Decimal<'a> {
    negative: bool,
    whole: &'a str,
    fraction: &'a str,
}

impl<'a> Decimal<'a> {
    fn of(amount: &'a DecimalText) -> Self {
        Self::parse(amount.as_str())
    }

    fn parse(text: &'a str) -> Self {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(digits) => (true, digits),
            None => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let whole = whole.trim_start_matches('0');
        let fraction = fraction.trim_end_matches('0');
        let zero = whole.is_empty() && fraction.is_empty();
        Self { negative: negative && !zero, whole, fraction }
    }

    fn is_positive(&self) -> bool {
        let zero = self.whole.is_empty() && self.fraction.is_empty();
        !self.negative && !zero
    }

    /// Compares absolute values: a longer whole part is larger; at equal
    /// length the digits decide, and the fractions (normalised) compare as
    /// digit strings.
    fn cmp_magnitude(&self, other: &Self) -> Ordering {
        self.whole
            .len()
            .cmp(&other.whole.len())
            .then_with(|| self.whole.cmp(other.whole))
            .then_with(|| self.fraction.cmp(other.fraction))
    }
}

impl Ord for Decimal<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
        }
    }
}

impl PartialOrd for Decimal<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        Decimal::parse(a).cmp(&Decimal::parse(b))
    }

    #[test]
    fn exact_decimal_order() {
        use Ordering::{Equal, Greater, Less};
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
    }

    #[test]
    fn positivity() {
        assert!(Decimal::parse("0.01").is_positive());
        assert!(!Decimal::parse("0.00").is_positive());
        assert!(!Decimal::parse("-0").is_positive());
        assert!(!Decimal::parse("-3").is_positive());
    }
}
