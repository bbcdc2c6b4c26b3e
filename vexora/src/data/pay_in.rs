//! What the pay-in query reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::types::{DecimalText, TradeNo, TradeStatus};

/// The pay-in query's `data`. Regions report the amounts under different
/// names (`amount`; `orderAmount` and `payAmount`; `amount` and
/// `receivedAmount`): each is typed, and absent where the region does not
/// send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PayInResult {
    /// The merchant's order number.
    pub trade_no: TradeNo,
    /// Vexora's order number. Also read as `serialNumber`, Kenya's name for
    /// it in its creates' answers, which its queries (no page found) may
    /// use too.
    #[serde(alias = "serialNumber")]
    pub plat_form_trade_no: String,
    /// The business outcome. Only [`TradeStatus::Success`] is paid in full.
    pub status: TradeStatus,
    /// The amount, exactly as the gateway wrote it (`"300.00"` or
    /// `50002.0000`): the amount paid on some regions' pages, the amount
    /// ordered on others; absent while nothing is paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<DecimalText>,
    /// The amount ordered, which never changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_amount: Option<DecimalText>,
    /// The amount of the first successful payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_amount: Option<DecimalText>,
    /// The amount of the first successful payment (Mexico's name for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_amount: Option<DecimalText>,
    /// The gateway's description of the status or error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// When it was paid, in the gateway's local time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_time: Option<String>,
    /// The request's `remark`, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// The payment method used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_code: Option<String>,
    /// The payment channel used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub way_code: Option<String>,
    /// The payment network's retrieval reference number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rrn: Option<String>,
    /// One record per payment made or attempted against the order, as
    /// received (the pages that list it are cut before its fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_list: Option<Vec<serde_json::Value>>,
    /// The repeated payments against the order, as received (the page that
    /// lists it is cut before its fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_details: Option<serde_json::Value>,
    /// Fields the documents do not list, kept as received.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vexoras_number_is_read_under_kenyas_name_too() {
        for name in ["platFormTradeNo", "serialNumber"] {
            let text = format!(r#"{{"tradeNo":"T1","{name}":"c167o1itir0fypid","status":"0015"}}"#);
            let result: PayInResult = serde_json::from_str(&text).expect("decodes");
            assert_eq!(result.plat_form_trade_no, "c167o1itir0fypid");
            assert!(result.other.is_empty());
            let payout: crate::data::PayoutResult = serde_json::from_str(&text).expect("decodes");
            assert_eq!(payout.plat_form_trade_no, "c167o1itir0fypid");
        }
    }
}
