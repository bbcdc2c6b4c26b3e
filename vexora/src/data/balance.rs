//! The balance response's `data`.

use serde::{Deserialize, Serialize};

use crate::types::DecimalText;

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
