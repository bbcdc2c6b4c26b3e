//! `POST /v1/vexora/disbursements`: pay out of the merchant's balance to a
//! beneficiary's bank account in JPY (`spec/japan/payout.toml`).
//!
//! A payout moves money: after an ambiguous failure it is never resent;
//! [`Client::reconcile`](crate::Client::reconcile) asks
//! `queryPayOutResult` whether it exists.

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// A Japan payout: who receives it, where, and how much. The client adds
/// `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "japan/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole yen, at least 100.
    #[vexora(required, min_amount = "100")]
    pub amount: Amount,
    /// The beneficiary's bank code (the provider's Disbursement Bank Codes
    /// appendix).
    #[vexora(required)]
    pub bank_code: String,
    /// The beneficiary's account number.
    #[vexora(required)]
    pub bank_number: String,
    /// Your own identifier of the beneficiary.
    #[vexora(required)]
    pub user_id: String,
    /// The beneficiary's real mobile number: 11 digits starting with 0, no
    /// country code (`09123456789`).
    #[vexora(required, pattern = "^0\\d{10}$")]
    pub mobile: String,
    /// The beneficiary's email address.
    #[vexora(required)]
    pub email: Email,
    /// The beneficiary's legal first name, in Katakana, as the account holder's.
    #[vexora(required)]
    pub firstname: String,
    /// The beneficiary's legal last name, in Katakana, as the account holder's.
    #[vexora(required)]
    pub lastname: String,
    /// Where the gateway POSTs the signed payout notification (HTTPS, the
    /// page asks).
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text.
    #[vexora(optional)]
    pub remark: Option<String>,
}
