//! `POST /v1/vexora/disbursements`: a payout to a KBZPay or WavePay account
//! (`spec/myanmar/payout.toml`).

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{Amount, HttpUrl, TradeNo};

/// A Myanmar payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "myanmar/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole units, at least 100.
    #[vexora(required, min_amount = "100")]
    pub amount: Amount,
    /// `KBZPAY` or `WAVEPAY`.
    #[vexora(required, one_of("KBZPAY", "WAVEPAY"))]
    pub bank_code: String,
    /// The beneficiary's wallet account number.
    #[vexora(required)]
    pub bank_number: String,
    /// The beneficiary's actual, legal name.
    #[vexora(required)]
    pub name: String,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text returned in the notification.
    #[vexora(optional)]
    pub remark: Option<String>,
}
