//! What a verified notification means for a payout. Payout and pay-in
//! notifications carry the same fields; which one a notification is comes
//! from the `notifyUrl` it arrived at (see [`super::NotificationKind`]).

use std::cmp::Ordering;

use vexora_spec::decimal;

use super::kind::PayoutNotification;
use crate::types::{DecimalText, TradeStatus};

/// What to do with a payout, given a verified notification about it and
/// the amount it was created for. See [`PayoutNotification::outcome`].
///
/// As for pay-ins: record the outcome durably, then acknowledge; if
/// recording fails, do not acknowledge, so the gateway retries.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayoutOutcome {
    /// `0000` for the payout's amount: the money reached the beneficiary.
    /// Mark the payout done; it is final.
    PaidOut {
        /// The amount paid out, as the gateway wrote it.
        amount: DecimalText,
    },
    /// `0000` with an amount missing or other than the payout's: record
    /// it, query the payout (`queryPayOutResult`) and investigate.
    AmountMismatch {
        /// The payout amount you passed in.
        expected: DecimalText,
        /// The notified amount, if there was one.
        received: Option<DecimalText>,
    },
    /// `0015`: still processing; the money stays frozen. A final
    /// notification follows.
    Processing,
    /// `00029`: the payout failed and its amount is back in your available
    /// balance. Decide whether to pay out again, with a **new** `tradeNo`.
    Failed,
    /// `0001`, which only applies to pay-ins: never read it as paid out.
    /// Query the payout and investigate.
    PartialIsNotAPayoutStatus,
    /// A status code this SDK does not know (kept verbatim): treat the
    /// payout as not paid out and query it.
    Unknown(String),
}

impl PayoutNotification {
    /// What this notification means for a payout created for
    /// `expected_amount` (compared by value: `"300"` = `"300.00"`).
    ///
    /// ```
    /// # use vexora::notification::{PayoutOutcome, Verifier};
    /// # use vexora::types::DecimalText;
    /// # use vexora::AppSecret;
    /// let body = br#"{"tradeNo":"P1","status":"0000","amount":"300.00","sign":"5ae8dbf27011d88e4d9f033c9f878b78"}"#;
    /// let notification = Verifier::new(AppSecret::new("k")).payout(body)?;
    /// let payout_amount = DecimalText::parse("300").ok_or("bad amount")?;
    /// assert!(matches!(notification.outcome(&payout_amount), PayoutOutcome::PaidOut { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn outcome(&self, expected_amount: &DecimalText) -> PayoutOutcome {
        match &self.status {
            TradeStatus::Success => match &self.amount {
                Some(amount)
                    if decimal::compare(amount.as_str(), expected_amount.as_str()) == Some(Ordering::Equal) =>
                {
                    PayoutOutcome::PaidOut { amount: amount.clone() }
                }
                _ => PayoutOutcome::AmountMismatch { expected: expected_amount.clone(), received: self.amount.clone() },
            },
            TradeStatus::Processing => PayoutOutcome::Processing,
            TradeStatus::Failed => PayoutOutcome::Failed,
            TradeStatus::Partial => PayoutOutcome::PartialIsNotAPayoutStatus,
            other => PayoutOutcome::Unknown(other.code().to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AppSecret;
    use crate::notification::{Verifier, signature};

    fn outcome(status: &str, amount: Option<&str>) -> PayoutOutcome {
        let amount = amount.map_or(String::new(), |amount| format!(r#","amount":"{amount}""#));
        let body = format!(r#"{{"tradeNo":"P1","status":"{status}"{amount}}}"#);
        let sign = signature(body.as_bytes(), &AppSecret::new("k")).expect("a body");
        let signed = format!(r#"{{"sign":"{sign}",{}"#, &body[1..]);
        let notification = Verifier::new(AppSecret::new("k")).payout(signed.as_bytes()).expect("verified");
        notification.outcome(&DecimalText::parse("300").expect("a decimal"))
    }

    #[test]
    fn every_status_has_its_payout_meaning() {
        let paid = DecimalText::parse("300.00").expect("a decimal");
        assert_eq!(outcome("0000", Some("300.00")), PayoutOutcome::PaidOut { amount: paid });
        assert!(matches!(outcome("0000", Some("299.99")), PayoutOutcome::AmountMismatch { .. }));
        assert!(matches!(outcome("0000", None), PayoutOutcome::AmountMismatch { received: None, .. }));
        assert_eq!(outcome("0015", None), PayoutOutcome::Processing);
        assert_eq!(outcome("00029", Some("300")), PayoutOutcome::Failed);
        assert_eq!(outcome("0001", Some("150")), PayoutOutcome::PartialIsNotAPayoutStatus);
        assert_eq!(outcome("0042", None), PayoutOutcome::Unknown("0042".to_owned()));
    }
}
