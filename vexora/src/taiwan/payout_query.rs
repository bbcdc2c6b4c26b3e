//! `POST /v1/vexora/queryPayOutResult`: how a payout stands, by the
//! merchant's `tradeNo` (`spec/taiwan/payout-query.toml`; no Taiwan page
//! was found, so the response is the other regions' common template).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::types::{DecimalText, TradeNo, TradeStatus};

/// Asks for the result of one payout.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "taiwan/payout-query", response = PayoutResult)]
pub struct PayoutQueryRequest {
    /// The merchant's payout number.
    #[vexora(required)]
    pub trade_no: TradeNo,
}

/// The payout query's `data`, read tolerantly: only `tradeNo`,
/// `platFormTradeNo` and `status` are needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PayoutResult {
    /// The merchant's payout number.
    pub trade_no: TradeNo,
    /// Vexora's payout number.
    pub plat_form_trade_no: String,
    /// `0000` paid out, `0015` processing, anything else failed (the
    /// money is back in the balance).
    pub status: TradeStatus,
    /// The amount, exactly as the gateway wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<DecimalText>,
    /// The gateway's description of the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// When it was paid out, in local time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_time: Option<String>,
    /// Fields the documents do not list, kept as received.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}
