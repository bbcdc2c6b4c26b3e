//! `POST /v1/vexora/queryBalance`: the merchant's balances
//! (`spec/taiwan/balance.toml`).
//!
//! No Taiwan balance page is known; the fields are those of the Cambodia,
//! colombia and thailand pages, which agree with each other. The request carries only `timestamp` and `sign`.

use serde::{Deserialize, Serialize};

use crate::types::DecimalText;

/// Asks for the merchant's balances. It has no fields of its own: the
/// client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(deny_unknown_fields)]
#[vexora(spec = "taiwan/balance", response = Balance)]
pub struct BalanceRequest {}

/// The balance response's `data`, amounts as exact decimal text (sent as
/// strings on some regions' pages and as 4-decimal numbers on others).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Balance {
    /// Available to pay out.
    pub available_amount: DecimalText,
    /// Frozen.
    pub freeze_amount: DecimalText,
    /// Today's collections, available from the next day (T+1).
    pub unsettled_amount: DecimalText,
}
