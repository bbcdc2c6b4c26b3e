//! `POST /v1/vexora/checkout`: a hosted cashier order and its payment link
//! (`spec/cambodia/checkout.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};

/// A Cambodia checkout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "cambodia/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole riel for KHR, up to two decimals for USD.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// The payer's legal first name.
    #[vexora(required)]
    pub firstname: String,
    /// The payer's legal last name.
    #[vexora(required)]
    pub lastname: String,
    /// The payer's mobile number: 8 to 9 digits, no country code.
    #[vexora(required, pattern = "^\\d{8,9}$")]
    pub mobile: String,
    /// The payer's email address.
    #[vexora(required)]
    pub email: Email,
    /// Payment method, from the Cambodia deposit WayCode appendix.
    #[vexora(required)]
    pub channel_code: String,
    /// Payment channel, from the same appendix.
    #[vexora(required)]
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
