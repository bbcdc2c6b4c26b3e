//! `POST /v1/vexora/checkout`: a Colombia collection by online banking
//! (PSE), the Nequi wallet, cash (Efecty) or a Bre-B payment key
//! (`spec/colombia/checkout.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// A Colombia collection. `id_type` and `id_card_number` are required for
/// `PSE`, `WALLET` and `BREB`, `bank_code` for `PSE`. The client adds
/// `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "colombia/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole pesos.
    #[vexora(required, min_amount = "1")]
    pub amount: Amount,
    /// The user's full name.
    #[vexora(required)]
    pub name: String,
    /// The user's mobile number.
    #[vexora(optional)]
    pub mobile: Option<String>,
    /// The user's email address.
    #[vexora(optional)]
    pub email: Option<Email>,
    /// `PSE` (online banking), `WALLET` (Nequi), `EFECTY` (cash) or `BREB`
    /// (a Bre-B payment key).
    #[vexora(required, one_of("PSE", "WALLET", "EFECTY", "BREB"))]
    pub way_code: String,
    /// `CC`, `CE`, `NIT` or `PA`.
    #[vexora(required_if(way_code = ["PSE", "WALLET", "BREB"]), one_of("CC", "CE", "NIT", "PA"))]
    pub id_type: Option<String>,
    /// The number of the document `id_type` names.
    #[vexora(required_if(way_code = ["PSE", "WALLET", "BREB"]))]
    pub id_card_number: Option<String>,
    /// The payer's bank, from the provider's bank list.
    #[vexora(required_if(way_code = "PSE"))]
    pub bank_code: Option<String>,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer goes afterwards.
    #[vexora(optional)]
    pub return_url: Option<HttpUrl>,
    /// Free text the gateway returns as is.
    #[vexora(optional)]
    pub remark: Option<String>,
}
