//! `POST /v1/vexora/disbursements`: pay out of the merchant's balance to a
//! beneficiary's bank account (`spec/taiwan/payout.toml`).
//!
//! A payout moves money: after an ambiguous failure it is never resent;
//! [`Client::reconcile`](crate::Client::reconcile) asks
//! `queryPayOutResult` whether it exists.

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// A Taiwan payout: who receives it, where, and how much.
///
/// ```
/// use vexora::taiwan::PayoutRequest;
/// use vexora::types::{Amount, TradeNo};
/// use vexora::Validate;
///
/// let payout = PayoutRequest::builder()
///     .trade_no(TradeNo::generate())
///     .amount(100)
///     .bank_code("004")
///     .bank_number("3560123456789012")
///     .mobile("0912345678")
///     .email("payee@example.com")
///     .name("Lin Mei")
///     .notify_url("https://merchant.example/vexora/notify")
///     .build();
/// assert!(payout.validate().is_ok());
/// let mut too_small = payout.clone();
/// too_small.amount = Amount::new(99);
/// assert_eq!(too_small.validate().unwrap_err().violations()[0].code, "min_amount");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "taiwan/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole yuan (TWD), at least 100.
    #[vexora(required, min_amount = "100")]
    pub amount: Amount,
    /// The beneficiary's 3-digit bank code (`004`).
    #[vexora(required, pattern = "^\\d{3}$")]
    pub bank_code: String,
    /// The beneficiary's account number.
    #[vexora(required)]
    pub bank_number: String,
    /// The beneficiary's real mobile number: 10 digits starting with 0.
    #[vexora(required, pattern = "^0\\d{9}$")]
    pub mobile: String,
    /// The beneficiary's email address.
    #[vexora(required)]
    pub email: Email,
    /// The beneficiary's actual, legal name.
    #[vexora(required)]
    pub name: String,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text the gateway returns as is.
    #[vexora(optional)]
    pub remark: Option<String>,
}
