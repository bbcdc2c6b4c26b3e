//! `POST /v1/vexora/checkout`: a Chile payment link, by bank transfer to a
//! CVU or by QR (`spec/chile/checkout.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// A Chile checkout: `BANK_TRANSFER` with way code `CVU`, or `QR` with `QR`.
/// The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "chile/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole units.
    #[vexora(required, min_amount = "1")]
    pub amount: Amount,
    /// The payer's mobile number.
    #[vexora(required)]
    pub mobile: String,
    /// The payer's first name.
    #[vexora(required)]
    pub firstname: String,
    /// The payer's last name.
    #[vexora(required)]
    pub lastname: String,
    /// The payer's email address.
    #[vexora(required)]
    pub email: Email,
    /// The payer's ID type: `DNI`, `CUIL`, `CUIT` or `PA`.
    #[vexora(required, one_of("DNI", "CUIL", "CUIT", "PA"))]
    pub id_type: String,
    /// The payer's ID number, matching `id_type`.
    #[vexora(required)]
    pub id_card_number: String,
    /// `BANK_TRANSFER` or `QR`.
    #[vexora(required, one_of("BANK_TRANSFER", "QR"))]
    pub channel_code: String,
    /// `CVU` (with `BANK_TRANSFER`) or `QR` (with `QR`).
    #[vexora(required, one_of("CVU", "QR"))]
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
