//! `POST /v1/vexora/checkout`: a payment link for a GCash, GrabPay, Maya or
//! QR Ph payment (`spec/philippines/checkout.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{DecimalAmount, HttpUrl, TradeNo};

/// A Philippines checkout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "philippines/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// The amount in pesos (whole amounts are recommended).
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// `GCash`, `GrabPay` or `Maya` (e-wallets), `GCash2` or `QRPH` (QR).
    #[vexora(required, one_of("GCash", "GrabPay", "Maya", "GCash2", "QRPH"))]
    pub pay_type: String,
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
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
