//! `POST /v1/vexora/disbursements`: a payout to a bank account or PayID
//! (`spec/australia/payout.toml`).

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// An Australia payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "australia/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole dollars, at least 100 (the gateway's maximum is 10,000).
    #[vexora(required, min_amount = "100")]
    pub amount: Amount,
    /// `PAYID` or `BSB`.
    #[vexora(required, one_of("PAYID", "BSB"))]
    pub way_code: String,
    /// The beneficiary's BSB number (`081-252` in the provider's example).
    #[vexora(optional)]
    pub bsb: Option<String>,
    /// The beneficiary's account number (or PayID).
    #[vexora(required)]
    pub account_no: String,
    /// The beneficiary's mobile number (no format documented).
    #[vexora(required)]
    pub mobile: String,
    /// The beneficiary's email address.
    #[vexora(required)]
    pub email: Email,
    /// The beneficiary's name.
    #[vexora(required)]
    pub customer_name: String,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text (required by this page).
    #[vexora(required)]
    pub remark: String,
}
