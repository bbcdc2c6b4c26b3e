//! `POST /v1/vexora/deposits`: a direct deposit from the payer's mobile
//! number (`spec/kenya/deposit.toml`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::types::{Amount, HttpUrl, TradeNo, TradeStatus};

/// A Kenya direct deposit. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "kenya/deposit", response = DepositData)]
#[non_exhaustive]
pub struct DepositRequest {
    /// Whole shillings, more than zero (the page recommends more than 50,
    /// which the SDK leaves to the gateway).
    #[vexora(required)]
    pub amount: Amount,
    /// Free text.
    #[vexora(optional)]
    pub remark: Option<String>,
    /// Unique order number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The payer's mobile number (in some countries, the account number).
    #[vexora(required)]
    pub mobile: String,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
}

/// The Kenya deposit response's `data`: Vexora's id for the deposit, under
/// Kenya's name for it, and its status. Only these fields are
/// documented; everything else the gateway sends is kept in `other`.
///
/// ```
/// use vexora::kenya::DepositData;
/// use vexora::types::TradeStatus;
///
/// let data: DepositData =
///     serde_json::from_str(r#"{"serialNumber":"c167o1itir0fypid","status":"0015","tradeNo":"00000001"}"#)?;
/// assert_eq!(data.serial_number, "c167o1itir0fypid");
/// assert_eq!(data.status, TradeStatus::Processing);
/// assert_eq!(data.other["tradeNo"], "00000001");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DepositData {
    /// Vexora's id for this deposit, unique (`platFormTradeNo` in other
    /// regions).
    pub serial_number: String,
    /// The deposit's status; the final one arrives by notification or query.
    pub status: TradeStatus,
    /// Fields the documents do not list, kept as received.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}
