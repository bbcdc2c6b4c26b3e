//! `POST /v1/vexora/checkout`: a hosted cashier order and its payment link
//! (`spec/indonesia/checkout.toml`), and the Indonesian mobile number check
//! the region's requests share.

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};
use crate::validation::Invalid;

/// An Indonesia checkout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "indonesia/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
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
    /// Limits the cashier to `QRIS`, `EWALLET` or `VA`; absent, it shows all.
    #[vexora(optional, one_of("QRIS", "EWALLET", "VA"))]
    pub channel_code: Option<String>,
    /// The payment channel; only taken together with `channel_code`.
    #[vexora(optional)]
    pub way_code: Option<String>,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer's browser goes after paying.
    #[vexora(optional)]
    pub return_url: Option<HttpUrl>,
    /// Free text the gateway returns as is.
    #[vexora(optional)]
    pub remark: Option<String>,
}

/// Checks `mobile`: 10 to 13 digits starting with `08` or `628`.
pub fn mobile_number(text: &str) -> Result<(), Invalid> {
    let digits = (10..=13).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    if digits && (text.starts_with("08") || text.starts_with("628")) {
        return Ok(());
    }
    Err(Invalid::new("mobile", "must be 10 to 13 digits starting with 08 or 628, e.g. 6281245907765"))
}
