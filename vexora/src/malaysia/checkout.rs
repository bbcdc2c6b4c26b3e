//! `POST /v1/vexora/checkout`: a payment link for a hosted cashier order
//! (`spec/malaysia/checkout.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};

/// A Malaysia checkout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "malaysia/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// Unique order number, at most 32 characters.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount in ringgit, at most two decimals.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// The payer's mobile number: 10 or 11 digits starting with `01`.
    #[vexora(required, pattern = "^01[0-9]{8,9}$")]
    pub mobile: String,
    /// The payer's actual first name.
    #[vexora(required)]
    pub firstname: String,
    /// The payer's actual last name.
    #[vexora(required)]
    pub lastname: String,
    /// The payer's email address.
    #[vexora(required)]
    pub email: Email,
    /// The payment method, from the Malaysia WayCode appendix.
    #[vexora(required)]
    pub channel_code: String,
    /// The payment channel, from the Malaysia WayCode appendix.
    #[vexora(required)]
    pub way_code: String,
    /// The collection bank code, from the Malaysia WayCode appendix.
    #[vexora(required)]
    pub bank_code: String,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer's browser goes after paying.
    #[vexora(required)]
    pub return_url: HttpUrl,
    /// Free text the gateway returns as submitted.
    #[vexora(optional)]
    pub remark: Option<String>,
}
