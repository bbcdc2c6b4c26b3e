//! `POST /v1/vexora/deposits`: a direct convenience-store or VA deposit
//! (`spec/mexico/deposit.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// A Mexico direct deposit. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "mexico/deposit", response = CheckoutData)]
#[non_exhaustive]
pub struct DepositRequest {
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole pesos, more than zero (decimals are not supported).
    #[vexora(required)]
    pub amount: Amount,
    /// The payer's mobile number.
    #[vexora(optional)]
    pub mobile: Option<String>,
    /// The payer's email address.
    #[vexora(optional)]
    pub email: Option<Email>,
    /// The payer's name.
    #[vexora(optional)]
    pub payer: Option<String>,
    /// `store` (convenience store) or `va` (VA repayment), lowercase.
    #[vexora(required, one_of("store", "va"))]
    pub way_code: String,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer's browser goes after paying.
    #[vexora(optional)]
    pub return_url: Option<HttpUrl>,
    /// Free text.
    #[vexora(optional)]
    pub remark: Option<String>,
}
