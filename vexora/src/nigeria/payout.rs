//! `POST /v1/vexora/disbursements`: a payout to a bank account
//! (`spec/nigeria/payout.toml`).

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};

/// A Nigeria payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "nigeria/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount in naira (decimals are not recommended).
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// The bank code from the bank list (`0001`).
    #[vexora(required)]
    pub bank_code: String,
    /// The recipient's bank account number.
    #[vexora(required)]
    pub bank_account_no: String,
    /// The recipient's name.
    #[vexora(required)]
    pub customer_name: String,
    /// The recipient's mobile number.
    #[vexora(required)]
    pub mobile: String,
    /// The recipient's email address.
    #[vexora(required)]
    pub email: Email,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text.
    #[vexora(optional)]
    pub remark: Option<String>,
}
