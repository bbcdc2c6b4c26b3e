//! `POST /v1/vexora/checkout`: a card payment on the hosted page
//! (`spec/card/checkout.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};

/// A card checkout, in USD. The client adds `timestamp` and `sign`.
///
/// ```
/// use vexora::card::CheckoutRequest;
/// use vexora::types::TradeNo;
/// use vexora::Validate;
///
/// let checkout = CheckoutRequest::builder()
///     .trade_no(TradeNo::generate())
///     .amount(vexora::types::DecimalAmount::from_minor_units(30_050))
///     .mobile("918234567890")
///     .email("payer@example.com")
///     .user_id("Test")
///     .currency("USD")
///     .notify_url("https://merchant.example/vexora/notify")
///     .return_url("https://merchant.example/done")
///     .build();
/// assert!(checkout.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "card/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// Unique order number (in the page's example, not in its table).
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount, up to two decimal places.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// The cardholder's mobile number: country code, then the local number.
    #[vexora(required)]
    pub mobile: String,
    /// The cardholder's email address.
    #[vexora(required)]
    pub email: Email,
    /// The merchant's identifier for the payer (it can be a fixed value).
    #[vexora(required)]
    pub user_id: String,
    /// `USD`, the only currency.
    #[vexora(required, one_of("USD"))]
    pub currency: String,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer is sent after paying.
    #[vexora(required)]
    pub return_url: HttpUrl,
    /// Free text the gateway returns as is.
    #[vexora(optional)]
    pub remark: Option<String>,
}
