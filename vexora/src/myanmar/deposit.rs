//! `POST /v1/vexora/deposits`: a KBZPay or WavePay deposit
//! (`spec/myanmar/deposit.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{Amount, HttpUrl, TradeNo};

/// A Myanmar deposit. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "myanmar/deposit", response = CheckoutData)]
#[non_exhaustive]
pub struct DepositRequest {
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole units, more than zero.
    #[vexora(required)]
    pub amount: Amount,
    /// The payer's name.
    #[vexora(required)]
    pub name: String,
    /// `EWALLET`.
    #[vexora(required, one_of("EWALLET"))]
    pub channel_code: String,
    /// `KBZPAY` or `WAVEPAY`.
    #[vexora(required, one_of("KBZPAY", "WAVEPAY"))]
    pub way_code: String,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer's browser goes after paying.
    #[vexora(required)]
    pub return_url: HttpUrl,
    /// Free text the gateway returns as is.
    #[vexora(optional)]
    pub remark: Option<String>,
}
