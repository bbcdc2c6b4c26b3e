//! `POST /v1/vexora/queryPayOutResult`: how a payout stands, by the
//! merchant's `tradeNo` (`spec/taiwan/payout-query.toml`: the response is
//! the other regions' common template).

use serde::Deserialize;

use crate::data::PayoutResult;
use crate::types::TradeNo;

/// Asks for the result of one payout.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "taiwan/payout-query", response = PayoutResult)]
#[non_exhaustive]
pub struct PayoutQueryRequest {
    /// The merchant's payout number.
    #[vexora(required)]
    pub trade_no: TradeNo,
}
