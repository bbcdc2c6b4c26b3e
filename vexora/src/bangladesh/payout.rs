//! `POST /v1/vexora/disbursements`: a payout to a bKash or Nagad wallet
//! (`spec/bangladesh/payout.toml`).

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{DecimalAmount, HttpUrl, TradeNo};

/// A Bangladesh payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "bangladesh/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The amount in taka (whole amounts are recommended).
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// The beneficiary's wallet: 11 digits starting with `01`.
    #[vexora(required, pattern = "^01\\d{9}$")]
    pub wallet_id: String,
    /// `BKASH` or `NAGAD`.
    #[vexora(required, one_of("BKASH", "NAGAD"))]
    pub way_code: String,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text returned in the notification.
    #[vexora(optional)]
    pub remark: Option<String>,
}
