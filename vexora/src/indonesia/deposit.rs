//! `POST /v1/vexora/deposits`: a direct QRIS, e-wallet or virtual account
//! deposit (`spec/indonesia/deposit.toml`).

use serde::Deserialize;

use super::mobile_number;
use crate::data::CheckoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};

/// An Indonesia deposit. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "indonesia/deposit", response = CheckoutData)]
#[non_exhaustive]
pub struct DepositRequest {
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount in rupiah, at least 10,000.
    #[vexora(required, min_amount = "10000")]
    pub amount: DecimalAmount,
    /// The customer's name.
    #[vexora(required)]
    pub username: String,
    /// The customer's mobile number: 10 to 13 digits starting with `08` or
    /// `628`.
    #[vexora(required, custom = mobile_number)]
    pub mobile: String,
    /// The customer's email address.
    #[vexora(required)]
    pub email: Email,
    /// The payment method (`EWALLET` in the provider's example).
    #[vexora(required)]
    pub channel_code: String,
    /// The payment channel (`DANA` in the provider's example).
    #[vexora(optional)]
    pub way_code: Option<String>,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text the gateway returns as is.
    #[vexora(optional)]
    pub remark: Option<String>,
}
