//! `POST /v1/vexora/queryPayOutResult`: how a South Korea payout stands
//! (`spec/southkorea/payout-query.toml`).

use serde::Deserialize;

use crate::data::PayoutResult;
use crate::types::TradeNo;

/// Asks for the result of one South Korea payout.
///
/// The page's response table names the amounts `orderAmount` and
/// `payAmount`, its example `amount`; [`PayoutResult`] reads either shape:
///
/// ```
/// use vexora::data::PayoutResult;
///
/// let example: PayoutResult = serde_json::from_str(
///     r#"{"platFormTradeNo":"cch55ta98fee3huy","tradeNo":"133323392","amount":"50000.00","status":"00029","message":"Processing"}"#,
/// )?;
/// assert_eq!(example.amount.as_ref().map(|amount| amount.as_str()), Some("50000.00"));
/// let table: PayoutResult = serde_json::from_str(
///     r#"{"platFormTradeNo":"cch55ta98fee3huy","tradeNo":"133323392","orderAmount":50000.00,"payAmount":50000.00,"status":"0000","message":"success"}"#,
/// )?;
/// assert_eq!(table.amount, None);
/// assert_eq!(table.order_amount.as_ref().map(|amount| amount.as_str()), Some("50000.00"));
/// assert!(table.other.is_empty());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "southkorea/payout-query", response = PayoutResult)]
#[non_exhaustive]
pub struct PayoutQueryRequest {
    /// The merchant's payout number.
    #[vexora(required)]
    pub trade_no: TradeNo,
}
