//! `POST /v1/vexora/checkout`: a payment link for a hosted cashier order
//! (`spec/southkorea/checkout.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// A South Korea checkout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "southkorea/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// Unique order number, at most 32 characters.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole won, more than zero.
    #[vexora(required)]
    pub amount: Amount,
    /// The payer's mobile number: 11 digits starting with `0`, without the
    /// country code.
    #[vexora(required, pattern = "^0[0-9]{10}$")]
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
    /// The payment method (the page: currently only `EWALLET`).
    #[vexora(required)]
    pub channel_code: String,
    /// The payment channel, from the South Korea WayCode appendix.
    #[vexora(required)]
    pub way_code: String,
    /// The payer's real IP address. The gateway allows 10 orders a day per
    /// IP, at most 3 of them successful.
    #[vexora(required, ip)]
    pub ip_address: String,
    /// The payer's date of birth, `YYYY-MM-DD` (aged 18 to 59); required
    /// for `VA`.
    #[vexora(required_if(way_code = "VA"), pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub date_of_birth: Option<String>,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer's browser goes after paying.
    #[vexora(required)]
    pub return_url: HttpUrl,
    /// Free text.
    #[vexora(optional)]
    pub remark: Option<String>,
}
