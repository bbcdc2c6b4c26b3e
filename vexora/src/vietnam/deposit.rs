//! `POST /v1/vexora/deposits`: a direct QR deposit
//! (`spec/vietnam/deposit.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// A Vietnam deposit. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "vietnam/deposit", response = CheckoutData)]
#[non_exhaustive]
pub struct DepositRequest {
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole units, more than zero.
    #[vexora(required)]
    pub amount: Amount,
    /// The payer's name.
    #[vexora(required)]
    pub name: String,
    /// The payer's mobile number.
    #[vexora(required)]
    pub mobile: String,
    /// The payer's email address (the page asks for a gmail.com one).
    #[vexora(required)]
    pub email: Email,
    /// `QR`.
    #[vexora(required, one_of("QR"))]
    pub channel_code: String,
    /// `QR`.
    #[vexora(required, one_of("QR"))]
    pub way_code: String,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text the gateway returns as is.
    #[vexora(optional)]
    pub remark: Option<String>,
}
