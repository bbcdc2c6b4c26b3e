//! `POST /v1/vexora/disbursements`: a payout to a bank account
//! (`spec/malaysia/payout.toml`).

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};

/// A Malaysia payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "malaysia/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount in ringgit, at most two decimals.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// The beneficiary's bank code (`0001` in the provider's example).
    #[vexora(required)]
    pub bank_code: String,
    /// The beneficiary's bank account number.
    #[vexora(required)]
    pub account_no: String,
    /// The beneficiary's first name.
    #[vexora(required)]
    pub firstname: String,
    /// The beneficiary's last name.
    #[vexora(required)]
    pub lastname: String,
    /// The beneficiary's mobile number.
    #[vexora(required)]
    pub mobile: String,
    /// The beneficiary's email address.
    #[vexora(required)]
    pub email: Email,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text.
    #[vexora(optional)]
    pub remark: Option<String>,
}
