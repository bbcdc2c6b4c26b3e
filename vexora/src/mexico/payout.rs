//! `POST /v1/vexora/disbursements`: a payout to a debit card or a CLABE
//! account (`spec/mexico/payout.toml`).

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// A Mexico payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "mexico/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The payout bank code from the bank list (`BANXICO`).
    #[vexora(required)]
    pub way_code: String,
    /// Whole pesos, more than zero (the page supports no decimal point).
    #[vexora(required)]
    pub amount: Amount,
    /// The recipient's name.
    #[vexora(required)]
    pub customer_name: String,
    /// The recipient's mobile number.
    #[vexora(optional)]
    pub customer_mobile: Option<String>,
    /// The recipient's email address.
    #[vexora(optional)]
    pub customer_email: Option<Email>,
    /// `DebitCard` (16-digit card) or `CLABE` (18-digit account).
    #[vexora(required, one_of("DebitCard", "CLABE"))]
    pub customer_account_type: String,
    /// The recipient's card number or CLABE.
    #[vexora(required)]
    pub customer_account: String,
    /// The recipient's identity number.
    #[vexora(optional)]
    pub identity: Option<String>,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text.
    #[vexora(optional)]
    pub remark: Option<String>,
}
