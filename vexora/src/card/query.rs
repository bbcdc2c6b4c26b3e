//! `POST /v1/vexora/queryPayInResult`: how a card payment ended
//! (`spec/card/query-pay-in-result.toml`).

use serde::Deserialize;

use crate::data::PayInResult;
use crate::types::TradeNo;

/// Asks for the result of one card pay-in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "card/query-pay-in-result", response = PayInResult)]
#[non_exhaustive]
pub struct PayInQueryRequest {
    /// The merchant's order number, as sent in the checkout or deposit.
    #[vexora(required)]
    pub trade_no: TradeNo,
}
