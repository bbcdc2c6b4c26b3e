//! `POST /v1/vexora/disbursements`: a payout to a bank account
//! (`spec/india/payout.toml`).

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};

/// An India payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "india/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// The IP address the page asks for (described as the payer's).
    #[vexora(required, ip)]
    pub ip_address: String,
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount in rupees; decimals are discouraged by the gateway.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// The beneficiary's name.
    #[vexora(required)]
    pub name: String,
    /// The beneficiary's mobile number: 10 digits starting with 6 to 9,
    /// without the `91` country code.
    #[vexora(required, pattern = "^[6-9][0-9]{9}$")]
    pub mobile: String,
    /// The beneficiary's email address.
    #[vexora(required)]
    pub email: Email,
    /// The beneficiary's bank account number.
    #[vexora(required)]
    pub bank_number: String,
    /// The beneficiary's IFSC code, 11 letters or digits (`bankNCode` in
    /// the page's table, `bankCode` on the wire as in its example).
    #[vexora(required, pattern = "^[0-9A-Za-z]{11}$")]
    pub bank_code: String,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text returned in the notification.
    #[vexora(optional)]
    pub remark: Option<String>,
}
