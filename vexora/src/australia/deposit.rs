//! `POST /v1/vexora/deposits`: a direct PayID or BSB deposit
//! (`spec/australia/deposit.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// An Australia direct deposit. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "australia/deposit", response = CheckoutData)]
#[non_exhaustive]
pub struct DepositRequest {
    /// The merchant's identifier for the payer.
    #[vexora(required)]
    pub user_id: String,
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole dollars, more than zero (no decimals).
    #[vexora(required, min_amount = "1")]
    pub amount: Amount,
    /// The payer's name.
    #[vexora(required)]
    pub username: String,
    /// The payer's mobile number (no format documented).
    #[vexora(required)]
    pub mobile: String,
    /// The payer's email address.
    #[vexora(required)]
    pub email: Email,
    /// `PAYID` or `BSB`.
    #[vexora(required, one_of("PAYID", "BSB"))]
    pub way_code: String,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text (required by this page).
    #[vexora(required)]
    pub remark: String,
}
