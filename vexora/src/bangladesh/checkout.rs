//! `POST /v1/vexora/checkout`: a payment link for a bKash or Nagad payment
//! (`spec/bangladesh/checkout.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{DecimalAmount, HttpUrl, TradeNo};

/// A Bangladesh checkout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "bangladesh/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount in taka, at most two decimals.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// `BKASH` or `NAGAD` (person to person), `BKASH_OFFICIAL` or
    /// `NAGAD_OFFICIAL` (to a merchant account).
    #[vexora(required, one_of("BKASH", "NAGAD", "BKASH_OFFICIAL", "NAGAD_OFFICIAL"))]
    pub way_code: String,
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
