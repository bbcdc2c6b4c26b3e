//! `POST /v1/vexora/disbursements`: a payout to a bank account or an
//! e-wallet (`spec/philippines/payout.toml`).

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{DecimalAmount, HttpUrl, TradeNo};

/// A Philippines payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "philippines/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount in pesos.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// The beneficiary account's name.
    #[vexora(required)]
    pub account_name: String,
    /// The beneficiary's bank or wallet, by its code in the bank code list
    /// (`Maya` in the provider's example).
    #[vexora(required)]
    pub bank_name: String,
    /// The beneficiary's account number or phone number.
    #[vexora(required)]
    pub bank_number: String,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text returned in the notification.
    #[vexora(optional)]
    pub remark: Option<String>,
}
