//! What a payout create returns and what the payout query reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::types::{DecimalText, TradeNo, TradeStatus};

/// The payout response's `data`: the payout as accepted, usually still
/// processing (`0015`); its outcome arrives by notification or query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PayoutData {
    /// The merchant's payout number.
    pub trade_no: TradeNo,
    /// Vexora's payout number.
    pub plat_form_trade_no: String,
    /// The payout's status.
    pub status: TradeStatus,
    /// Fields the documents do not list, kept as received.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// The payout query's `data`, read tolerantly: only `tradeNo`,
/// `platFormTradeNo` and `status` are needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PayoutResult {
    /// The merchant's payout number.
    pub trade_no: TradeNo,
    /// Vexora's payout number. Also read as `serialNumber`, Kenya's name for
    /// it in its creates' answers, which its queries (no page found) may
    /// use too.
    #[serde(alias = "serialNumber")]
    pub plat_form_trade_no: String,
    /// `0000` paid out, `0015` processing, anything else failed (the
    /// money is back in the balance).
    pub status: TradeStatus,
    /// The amount, exactly as the gateway wrote it (regions with
    /// `orderAmount` and `payAmount` may send those instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<DecimalText>,
    /// The amount asked for, where the region reports it apart from what is
    /// paid out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_amount: Option<DecimalText>,
    /// The amount paid out, where the region reports it apart from what was
    /// asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_amount: Option<DecimalText>,
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
