//! `POST /v1/vexora/checkout`: a payment link for a PromptPay QR payment
//! (`spec/thailand/checkout.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};

/// A Thailand checkout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "thailand/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount in baht, at most two decimals.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// The payer's mobile number: 9 digits starting with `9`.
    #[vexora(required, pattern = "^9\\d{8}$")]
    pub mobile: String,
    /// The payer's full name.
    #[vexora(required)]
    pub name: String,
    /// The payer's email address.
    #[vexora(required)]
    pub email: Email,
    /// `QR`, or `BANK_TRANSFER` (listed, currently not supported).
    #[vexora(required, one_of("QR", "BANK_TRANSFER"))]
    pub channel_code: String,
    /// `QR`, or `BANK_TRANSFER` (listed, currently not supported).
    #[vexora(required, one_of("QR", "BANK_TRANSFER"))]
    pub way_code: String,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer's browser goes after paying.
    #[vexora(required)]
    pub return_url: HttpUrl,
    /// The bank account number used for the payment.
    #[vexora(optional)]
    pub bank_number: Option<String>,
    /// The payer's bank, from the Thailand bank list.
    #[vexora(optional)]
    pub bank_code: Option<String>,
    /// Free text the gateway returns as is.
    #[vexora(optional)]
    pub remark: Option<String>,
}
