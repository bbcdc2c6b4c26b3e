//! `POST /v1/vexora/checkout`: a payment link for a hosted cashier order
//! (`spec/pakistan/checkout.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// A Pakistan checkout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "pakistan/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole rupees, at least 100.
    #[vexora(required, min_amount = "100")]
    pub amount: Amount,
    /// The payer's name.
    #[vexora(required)]
    pub name: String,
    /// The payer's CNIC: 13 digits, no dashes.
    #[vexora(required, pattern = "^[0-9]{13}$")]
    pub customer_cert: String,
    /// The payer's email address (the gateway asks for a gmail.com one).
    #[vexora(required)]
    pub email: Email,
    /// The payer's mobile number: 10 digits starting with `3`.
    #[vexora(required, pattern = "^3[0-9]{9}$")]
    pub mobile: String,
    /// Free text (required by this page).
    #[vexora(required)]
    pub remark: String,
    /// The payer's identifier; the gateway requires it above 50,000.
    #[vexora(optional)]
    pub cust_id: Option<String>,
    /// `easypaisa` or `jazzcash`.
    #[vexora(optional, one_of("easypaisa", "jazzcash"))]
    pub payment_type: Option<String>,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer's browser goes after paying (a default page if absent).
    #[vexora(optional)]
    pub return_url: Option<HttpUrl>,
}
