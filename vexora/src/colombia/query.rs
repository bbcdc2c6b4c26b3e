//! `POST /v1/vexora/queryPayInResult`: how a Colombia pay-in ended
//! (`spec/colombia/query-pay-in-result.toml`).

use serde::Deserialize;

use crate::data::PayInResult;
use crate::types::TradeNo;

/// Asks for the result of one Colombia pay-in. The page's `orderAmount`
/// and `payAmount` arrive in [`PayInResult::other`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "colombia/query-pay-in-result", response = PayInResult)]
#[non_exhaustive]
pub struct PayInQueryRequest {
    /// The merchant's order number.
    #[vexora(required)]
    pub trade_no: TradeNo,
}
