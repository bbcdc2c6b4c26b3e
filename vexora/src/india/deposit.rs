//! `POST /v1/vexora/deposits`: a direct (host-to-host) deposit
//! (`spec/india/deposit.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};

/// An India direct deposit. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "india/deposit", response = CheckoutData)]
#[non_exhaustive]
pub struct DepositRequest {
    /// The amount in rupees; decimals are discouraged by the gateway.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The payer's name.
    #[vexora(required)]
    pub name: String,
    /// The payer's mobile number: 10 digits starting with 6 to 9, without
    /// the `91` country code.
    #[vexora(required, pattern = "^[6-9][0-9]{9}$")]
    pub mobile: String,
    /// The payer's email address (the gateway asks for a gmail.com one).
    #[vexora(required)]
    pub email: Email,
    /// The payer's IP address.
    #[vexora(required, ip)]
    pub ip_address: String,
    /// Free text.
    #[vexora(optional)]
    pub remark: Option<String>,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer's browser goes after paying.
    #[vexora(required)]
    pub return_url: HttpUrl,
}
