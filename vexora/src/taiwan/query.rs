//! `POST /v1/vexora/queryPayInResult`: how a pay-in ended, asked by the
//! merchant's `tradeNo` (`spec/taiwan/query-pay-in-result.toml`).
//!
//! The gateway also notifies `notifyUrl`, but a notification can be late or
//! never come (8 tries in 24 hours); this query is the backstop.

use serde::Deserialize;

use crate::data::PayInResult;
use crate::types::TradeNo;

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
#[non_exhaustive]
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
