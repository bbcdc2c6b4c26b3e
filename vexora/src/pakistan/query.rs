//! `POST /v1/vexora/queryPayInResult`: how a Pakistan pay-in ended
//! (`spec/pakistan/query-pay-in-result.toml`).

use serde::Deserialize;

use crate::data::PayInResult;
use crate::types::TradeNo;

/// Asks for the result of one Pakistan pay-in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "pakistan/query-pay-in-result", response = PayInResult)]
#[non_exhaustive]
pub struct PayInQueryRequest {
    /// The merchant's order number, as sent in the checkout.
    #[vexora(required)]
    pub trade_no: TradeNo,
}
