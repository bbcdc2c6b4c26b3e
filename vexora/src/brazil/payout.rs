//! `POST /v1/vexora/disbursements`: a payout to a PIX key
//! (`spec/brazil/payout.toml`).

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};

/// A Brazil PIX payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "brazil/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount in reais.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// The recipient's name.
    #[vexora(required)]
    pub name: String,
    /// The recipient's email address.
    #[vexora(required)]
    pub email: Email,
    /// The recipient's mobile number.
    #[vexora(required)]
    pub mobile: String,
    /// The PIX key type: `CPF`, `CNPJ`, `EMAIL`, `PHONE` or `EVP`.
    #[vexora(required, one_of("CPF", "CNPJ", "EMAIL", "PHONE", "EVP"))]
    pub bank_type: String,
    /// The recipient's PIX key, of the type `bank_type` names.
    #[vexora(required)]
    pub bank_number: String,
    /// The recipient's identity document type: `CPF` or `CNPJ`.
    #[vexora(required, one_of("CPF", "CNPJ"))]
    pub identity_type: String,
    /// The recipient's CPF or CNPJ number.
    #[vexora(required)]
    pub user_identity: String,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text (required by this page).
    #[vexora(required)]
    pub remark: String,
}
