//! `POST /v1/vexora/queryPayInResult`: how a pay-in ended, asked by the
//! merchant's `tradeNo` (`spec/taiwan/query-pay-in-result.toml`).
//!
//! The gateway also notifies `notifyUrl`, but a notification can be late or
//! never come (8 tries in 24 hours); this query is the backstop.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::types::{DecimalText, TradeNo, TradeStatus};

/// Asks for the result of one pay-in.
///
/// ```
/// use vexora::taiwan::PayInQueryRequest;
/// use vexora::Validate;
///
/// assert!(PayInQueryRequest::new("00000007").validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "taiwan/query-pay-in-result", response = PayInResult)]
pub struct PayInQueryRequest {
    /// The merchant's order number, as sent in the checkout.
    #[vexora(required)]
    pub trade_no: TradeNo,
}

impl PayInQueryRequest {
    /// A query for `trade_no`.
    pub fn new(trade_no: impl Into<TradeNo>) -> Self {
        Self { trade_no: trade_no.into() }
    }
}

/// The query response's `data` (Taiwan variant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PayInResult {
    /// The merchant's order number.
    pub trade_no: TradeNo,
    /// Vexora's order number.
    pub plat_form_trade_no: String,
    /// The business outcome. Only [`TradeStatus::Success`] is paid in full.
    pub status: TradeStatus,
    /// The amount paid, exactly as the gateway wrote it (`"300.00"` or
    /// `50002.0000`); absent while nothing is paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<DecimalText>,
    /// The gateway's description of the status or error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Fields the documents do not list, kept as received (some regions'
    /// `orderAmount`, `payAmount`, `successTime`).
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}
