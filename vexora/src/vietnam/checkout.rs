//! `POST /v1/vexora/checkout`: a payment link for a QR payment
//! (`spec/vietnam/checkout.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{Amount, HttpUrl, TradeNo};

/// A Vietnam checkout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "vietnam/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole units, more than zero.
    #[vexora(required)]
    pub amount: Amount,
    /// The payer's name.
    #[vexora(required)]
    pub name: String,
    /// `QR`.
    #[vexora(required, one_of("QR"))]
    pub channel_code: String,
    /// `QR`.
    #[vexora(required, one_of("QR"))]
    pub way_code: String,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer's browser goes after paying.
    #[vexora(required)]
    pub return_url: HttpUrl,
    /// Free text the gateway returns as is (required by this page).
    #[vexora(required)]
    pub remark: String,
}
