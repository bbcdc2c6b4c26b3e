//! `POST /v1/vexora/disbursements`: a payout to a bank account or wallet
//! (`spec/pakistan/payout.toml`).

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// A Pakistan payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "pakistan/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole rupees, more than zero.
    #[vexora(required)]
    pub amount: Amount,
    /// The recipient's name.
    #[vexora(required)]
    pub name: String,
    /// The recipient's CNIC: 13 digits, no dashes.
    #[vexora(required, pattern = "^[0-9]{13}$")]
    pub customer_cert: String,
    /// The recipient's email address.
    #[vexora(required)]
    pub email: Email,
    /// The recipient's mobile number: 10 digits starting with `3`.
    #[vexora(required, pattern = "^3[0-9]{9}$")]
    pub mobile: String,
    /// `BANK` or `WALLET`.
    #[vexora(required, one_of("BANK", "WALLET"))]
    pub account_type: String,
    /// The bank name code from the bank support list (`ALLIED_BANK_LIMITED`).
    #[vexora(required)]
    pub bank_name: String,
    /// The recipient's account number.
    #[vexora(required)]
    pub bank_number: String,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text (required by this page).
    #[vexora(required)]
    pub remark: String,
}
