//! `POST /v1/vexora/checkout`: create a hosted cashier order in JPY
//! (`spec/japan/checkout.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// A Japan checkout: who pays, how much, by which channel, and where the
/// gateway reports back. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "japan/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// Unique order number, at most 32 of `0-9 A-Z a-z _ -`.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Your own id of the payer (a virtual account, when used, is tied to it).
    #[vexora(required)]
    pub user_id: String,
    /// Whole yen, more than zero.
    #[vexora(required, min_amount = "1")]
    pub amount: Amount,
    /// The payer's real mobile number: 11 digits starting with 0, no
    /// country code (`09012345678`).
    #[vexora(required, pattern = "^0\\d{10}$")]
    pub mobile: String,
    /// The payer's legal first name, in Katakana.
    #[vexora(required)]
    pub firstname: String,
    /// The payer's legal last name, in Katakana.
    #[vexora(required)]
    pub lastname: String,
    /// The payer's email address.
    #[vexora(required)]
    pub email: Email,
    /// `EWALLET` for wallet cashier payments, or another enabled channel.
    #[vexora(required)]
    pub channel_code: String,
    /// The payment channel (the provider's WayCode appendix).
    #[vexora(required)]
    pub way_code: String,
    /// The payer's real IP address (10 orders a day per IP, 3 successful).
    #[vexora(required, ip)]
    pub ip_address: String,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer's browser goes after paying.
    #[vexora(required)]
    pub return_url: HttpUrl,
}
