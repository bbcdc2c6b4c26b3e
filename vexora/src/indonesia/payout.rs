//! `POST /v1/vexora/disbursements`: a payout to a bank account
//! (`spec/indonesia/payout.toml`).

use serde::Deserialize;

use super::mobile_number;
use crate::data::PayoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};

/// An Indonesia payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "indonesia/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount in rupiah, at least 10,000.
    #[vexora(required, min_amount = "10000")]
    pub amount: DecimalAmount,
    /// The beneficiary's name.
    #[vexora(required)]
    pub customer_name: String,
    /// The beneficiary's mobile number: 10 to 13 digits starting with `08`
    /// or `628`.
    #[vexora(required, custom = mobile_number)]
    pub mobile: String,
    /// The beneficiary's email address.
    #[vexora(required)]
    pub email: Email,
    /// The beneficiary's bank account number, digits only.
    #[vexora(required, digits)]
    pub bank_account_no: String,
    /// The beneficiary's bank code (`0002` in the provider's example).
    #[vexora(required)]
    pub bank_code: String,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text returned in the notification.
    #[vexora(optional)]
    pub remark: Option<String>,
}
