//! `POST /v1/vexora/queryPayInResult`: how a Kenya pay-in ended
//! (`spec/kenya/query-pay-in-result.toml`: the request and response are the
//! other regions' template).

use serde::Deserialize;

use crate::data::PayInResult;
use crate::types::TradeNo;

/// Asks for the result of one Kenya pay-in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "kenya/query-pay-in-result", response = PayInResult)]
#[non_exhaustive]
pub struct PayInQueryRequest {
    /// The merchant's order number, as sent in the deposit.
    #[vexora(required)]
    pub trade_no: TradeNo,
}
