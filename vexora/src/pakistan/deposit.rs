//! `POST /v1/vexora/deposits`: a direct easypaisa or jazzcash deposit
//! (`spec/pakistan/deposit.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// A Pakistan direct deposit. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "pakistan/deposit", response = CheckoutData)]
#[non_exhaustive]
pub struct DepositRequest {
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
    #[vexora(optional, pattern = "^[0-9]{13}$")]
    pub customer_cert: Option<String>,
    /// The payer's email address (the gateway asks for a gmail.com one).
    #[vexora(required)]
    pub email: Email,
    /// The payer's mobile number: 10 digits starting with `3`, or 11
    /// starting with `03`.
    #[vexora(required, pattern = "^0?3[0-9]{9}$")]
    pub mobile: String,
    /// Free text.
    #[vexora(optional)]
    pub remark: Option<String>,
    /// The payer's identifier.
    #[vexora(optional)]
    pub cust_id: Option<String>,
    /// `easypaisa` or `jazzcash`.
    #[vexora(required, one_of("easypaisa", "jazzcash"))]
    pub payment_type: String,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
}
