//! `POST /v1/vexora/disbursements`: a payout to a bank account
//! (`spec/thailand/payout.toml`).

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};

/// A Thailand payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "thailand/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount in baht, at most two decimals.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// The beneficiary's bank code, from the Thailand bank codes.
    #[vexora(required)]
    pub bank_code: String,
    /// The beneficiary's account number.
    #[vexora(required)]
    pub bank_number: String,
    /// The beneficiary's full name.
    #[vexora(required)]
    pub name: String,
    /// The beneficiary's email address.
    #[vexora(required)]
    pub email: Email,
    /// The beneficiary's mobile number: 9 digits starting with `9`.
    #[vexora(required, pattern = "^9\\d{8}$")]
    pub mobile: String,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text returned in the notification.
    #[vexora(optional)]
    pub remark: Option<String>,
}
