//! `POST /v1/vexora/queryPayOutResult`: how a Japan payout stands
//! (`spec/japan/payout-query.toml`).

use serde::Deserialize;

use crate::data::PayoutResult;
use crate::types::TradeNo;

/// Asks for the result of one Japan payout.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "japan/payout-query", response = PayoutResult)]
#[non_exhaustive]
pub struct PayoutQueryRequest {
    /// The merchant's payout number.
    #[vexora(required)]
    pub trade_no: TradeNo,
}
