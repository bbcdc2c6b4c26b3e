//! `POST /v1/vexora/queryPayInResult`: how a Bangladesh pay-in ended
//! (`spec/bangladesh/query-pay-in-result.toml`, inferred from the
//! other regions' template).

use serde::Deserialize;

use crate::data::PayInResult;
use crate::types::TradeNo;

/// Asks for the result of one Bangladesh pay-in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "bangladesh/query-pay-in-result", response = PayInResult)]
#[non_exhaustive]
pub struct PayInQueryRequest {
    /// The merchant's order number, as sent in the checkout.
    #[vexora(required)]
    pub trade_no: TradeNo,
}
