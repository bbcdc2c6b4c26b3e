//! The log of notification attempts: what the notifier writes and the
//! sandbox's state keeps.

use serde::{Deserialize, Serialize};

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryOutcome {
    /// HTTP 200 with body exactly `OK`: delivered, no more attempts.
    Acknowledged,
    /// The merchant answered, but not HTTP 200 `OK`.
    Rejected,
    /// No answer: connection refused, timeout, broken exchange, or a URL
    /// the sandbox cannot call (not `http://`).
    Failed,
}

/// One attempt to deliver a notification, as `GET /sandbox/deliveries` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryRecord {
    /// The order's merchant.
    pub merchant_no: String,
    /// The merchant's order number.
    pub trade_no: String,
    /// The sandbox's order number.
    pub plat_form_trade_no: String,
    /// The notified `status` code.
    pub status: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The `notifyUrl` called.
    pub url: String,
    /// The merchant's HTTP status, if it answered.
    pub response_status: Option<u16>,
    /// The start of the merchant's answer (lossy UTF-8), if it answered.
    pub response_body: Option<String>,
    /// How the attempt ended.
    pub outcome: DeliveryOutcome,
    /// Why it failed, for [`DeliveryOutcome::Failed`].
    pub error: Option<String>,
    /// When the attempt ended, in the gateway's local time.
    pub time: String,
    /// The same instant, in milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    /// The (scaled) wait before the next attempt; `None` when this was the last.
    pub next_attempt_in_ms: Option<u64>,
}
