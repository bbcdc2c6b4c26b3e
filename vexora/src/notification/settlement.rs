//! What a verified notification means for the order: credit, wait, or look closer.

use std::cmp::Ordering;

use vexora_spec::decimal;

use super::kind::PayInNotification;
use crate::types::{DecimalText, TradeStatus};

/// What to do with an order, given a verified pay-in notification and the
/// amount the order was created for. See [`PayInNotification::settlement`].
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

impl PayInNotification {
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
    /// # use vexora::notification::{Settlement, Verifier};
    /// # use vexora::types::DecimalText;
    /// # use vexora::AppSecret;
    /// # let body = br#"{"tradeNo":"00000008","platFormTradeNo":"68o0uwogz7mnzutt","status":"0001","amount":150.00,"orderAmount":300,"sign":"9ee22021d0627b70ae90a2f22f28ddc9"}"#;
    /// let verifier = Verifier::new(AppSecret::new("test-app-secret-123"));
    /// let notification = verifier.pay_in(body)?;
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
        let against_order = |amount: &DecimalText| decimal::compare(amount.as_str(), expected_order_amount.as_str());
        match &self.status {
            TradeStatus::Success => match &self.amount {
                Some(amount) if against_order(amount) == Some(Ordering::Equal) => {
                    Settlement::PaidInFull { amount: amount.clone() }
                }
                _ => mismatch(),
            },
            TradeStatus::Partial => match &self.amount {
                Some(amount)
                    if decimal::compare(amount.as_str(), "0") == Some(Ordering::Greater)
                        && against_order(amount) == Some(Ordering::Less) =>
                {
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
