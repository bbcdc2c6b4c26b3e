//! `POST /v1/vexora/disbursements`: a payout to a wallet virtual account
//! (CVU) or a bank account (CBU) (`spec/chile/payout.toml`).

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// A Chile payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "chile/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole units, at least 100.
    #[vexora(required, min_amount = "100")]
    pub amount: Amount,
    /// The beneficiary's ID type: `DNI`, `CUIL`, `CUIT` or `PA`.
    #[vexora(required, one_of("DNI", "CUIL", "CUIT", "PA"))]
    pub id_type: String,
    /// The beneficiary's ID number, matching `id_type`.
    #[vexora(required)]
    pub id_card_number: String,
    /// `CVU` (wallet virtual account) or `CBU` (bank account).
    #[vexora(required, one_of("CVU", "CBU"))]
    pub account_type: String,
    /// The beneficiary's CVU or CBU.
    #[vexora(required)]
    pub account_no: String,
    /// The beneficiary's first name.
    #[vexora(required)]
    pub firstname: String,
    /// The beneficiary's last name.
    #[vexora(required)]
    pub lastname: String,
    /// The beneficiary's email address.
    #[vexora(required)]
    pub email: Email,
    /// The beneficiary's mobile number.
    #[vexora(required)]
    pub mobile: String,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text the gateway returns as is.
    #[vexora(optional)]
    pub remark: Option<String>,
}
