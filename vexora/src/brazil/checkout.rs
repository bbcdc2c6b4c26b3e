//! `POST /v1/vexora/checkout`: a PIX collection (`spec/brazil/checkout.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{DecimalAmount, HttpUrl, TradeNo};

/// A Brazil PIX checkout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "brazil/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount in reais.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// The payer's name.
    #[vexora(required)]
    pub name: String,
    /// The payer's identity document type: `CPF`.
    #[vexora(required, one_of("CPF"))]
    pub identity_type: String,
    /// The payer's CPF: 11 digits.
    #[vexora(required, pattern = "^[0-9]{11}$")]
    pub user_identity: String,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer's browser goes after paying.
    #[vexora(optional)]
    pub return_url: Option<HttpUrl>,
    /// Free text (required by this page).
    #[vexora(required)]
    pub remark: String,
}
