//! `POST /v1/vexora/deposits`: a JCB card payment from card data the
//! merchant's server encrypted (`spec/card/deposit.toml`).

use serde::Deserialize;

use crate::data::CheckoutData;
use crate::types::{DecimalAmount, Email, HttpUrl, TradeNo};

/// A card deposit, in JPY (the JCB channel). The client adds `timestamp`
/// and `sign`. The answer may carry a verification page in `paymentInfo`:
/// [`CheckoutData::next_step`] says so.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "card/deposit", response = CheckoutData)]
#[non_exhaustive]
pub struct DepositRequest {
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount, up to two decimal places.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// The cardholder's mobile number: country code, then the local number.
    #[vexora(required)]
    pub mobile: String,
    /// The cardholder's email address.
    #[vexora(required)]
    pub email: Email,
    /// The merchant's identifier for the payer (it can be a fixed value).
    #[vexora(required)]
    pub user_id: String,
    /// `JPY`, the JCB channel's currency.
    #[vexora(required, one_of("JPY"))]
    pub currency: String,
    /// The cardholder's name.
    #[vexora(required)]
    pub name: String,
    /// The card's data, encrypted as agreed with Vexora; sent as given.
    #[vexora(required)]
    pub card_data: String,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text the gateway returns as is.
    #[vexora(optional)]
    pub remark: Option<String>,
}
