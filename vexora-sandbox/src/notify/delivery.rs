//! The log of notification attempts: what the notifier writes, and where
//! each notification stands.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

/// The log keeps this many records, dropping the oldest.
const LOG_LIMIT: usize = 10_000;

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

/// What a notification is about: `order`, `payout`, or the name of a kind
/// the sandbox serves from its spec alone (e.g. `refund`), as
/// `GET /sandbox/deliveries` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NotifiedKind {
    /// A pay-in order (checkout or deposit).
    Order,
    /// A payout.
    Payout,
    /// A record of a kind served from its spec, by the kind's name.
    Other(String),
}

impl NotifiedKind {
    /// `order`, `payout`, or the kind's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Order => "order",
            Self::Payout => "payout",
            Self::Other(name) => name,
        }
    }

    /// The kind `name` names.
    pub fn from_name(name: &str) -> Self {
        match name {
            "order" => Self::Order,
            "payout" => Self::Payout,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl Serialize for NotifiedKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for NotifiedKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|name| Self::from_name(&name))
    }
}

/// Why an attempt was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryTrigger {
    /// The first attempt or a retry on the ladder, each stamped and signed anew.
    Ladder,
    /// Sent again on request (`POST /sandbox/{orders|payouts}/{tradeNo}/resend`,
    /// `POST /sandbox/records/{platformId}/resend`, or the dashboard's
    /// button): the last attempt's body, byte for byte.
    Resend,
}

/// One attempt to deliver a notification, as `GET /sandbox/deliveries` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryRecord {
    /// Whether it is about an order, a payout or a record of another kind.
    pub kind: NotifiedKind,
    /// The order's merchant.
    pub merchant_no: String,
    /// The merchant's order number (for a record of another kind, its
    /// `tradeNo` key, else its keys' values joined with `/`).
    pub trade_no: String,
    /// The sandbox's order number (for a record, its platform id, whatever
    /// its answers call it).
    pub plat_form_trade_no: String,
    /// The notified `status` code.
    pub status: String,
    /// 1 for the first attempt; resends count too.
    pub attempt: u32,
    /// A ladder attempt or a resend.
    pub trigger: DeliveryTrigger,
    /// The `notifyUrl` called.
    pub url: String,
    /// The signed JSON body sent, exactly.
    pub body: String,
    /// The merchant's HTTP status, if it answered.
    pub response_status: Option<u16>,
    /// The start of the merchant's answer (lossy UTF-8), if it answered.
    pub response_body: Option<String>,
    /// How the attempt ended.
    pub outcome: DeliveryOutcome,
    /// Why it failed, for [`DeliveryOutcome::Failed`].
    pub error: Option<String>,
    /// How long the attempt took, from connecting to the end of the answer
    /// (real time; on a simulated clock, that clock's time, usually 0).
    pub duration_ms: u64,
    /// When the attempt ended, in the gateway's local time.
    pub time: String,
    /// The same instant on the sandbox clock, in milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    /// The (scaled) ladder interval before the next attempt; `None` when no
    /// retry follows (acknowledged, the ladder's end, an unusable URL, or a
    /// resend, which leaves the ladder's schedule alone).
    pub next_attempt_in_ms: Option<u64>,
    /// When the next retry is due on the sandbox clock, in milliseconds since
    /// the Unix epoch; `None` as for `next_attempt_in_ms`.
    pub next_attempt_at_ms: Option<i64>,
}

/// Where one notification stands: what the dashboard shows next to its
/// order or payout, and what a resend sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NoticeState {
    pub(crate) kind: NotifiedKind,
    pub(crate) merchant_no: String,
    pub(crate) trade_no: String,
    pub(crate) status: String,
    pub(crate) url: String,
    /// The last attempt's signed body.
    pub(crate) last_body: String,
    pub(crate) attempts: u32,
    /// Some attempt, on the ladder or a resend, was answered `200 OK`.
    pub(crate) acknowledged: bool,
    /// When the ladder's next retry is due, on the sandbox clock.
    pub(crate) next_attempt_at_ms: Option<i64>,
}

/// Every attempt, and where each notification stands. Plain data behind
/// the notifier's lock; nothing here awaits.
#[derive(Debug, Default)]
pub(crate) struct AttemptLog {
    /// Oldest first; a ring, so trimming the oldest is O(1) under the lock.
    deliveries: VecDeque<DeliveryRecord>,
    /// By `platFormTradeNo` (unique across orders and payouts): each
    /// notification sent so far.
    notices: BTreeMap<String, NoticeState>,
}

impl AttemptLog {
    /// Logs an attempt and updates its notification's state; numbers the
    /// attempt (1 for a notification's first) and returns it as logged.
    pub(crate) fn record_attempt(&mut self, mut record: DeliveryRecord) -> DeliveryRecord {
        let notice = self.notices.entry(record.plat_form_trade_no.clone()).or_insert_with(|| NoticeState {
            kind: record.kind.clone(),
            merchant_no: record.merchant_no.clone(),
            trade_no: record.trade_no.clone(),
            status: record.status.clone(),
            url: record.url.clone(),
            last_body: String::new(),
            attempts: 0,
            acknowledged: false,
            next_attempt_at_ms: None,
        });
        notice.attempts = notice.attempts.saturating_add(1);
        record.attempt = notice.attempts;
        notice.last_body.clone_from(&record.body);
        if record.outcome == DeliveryOutcome::Acknowledged {
            notice.acknowledged = true;
            notice.next_attempt_at_ms = None;
        } else if record.trigger == DeliveryTrigger::Ladder {
            notice.next_attempt_at_ms = record.next_attempt_at_ms;
        }
        if self.deliveries.len() >= LOG_LIMIT {
            self.deliveries.pop_front();
        }
        self.deliveries.push_back(record.clone());
        record
    }

    /// Every attempt, oldest first.
    pub(crate) fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.deliveries.iter().cloned().collect()
    }

    /// Every attempt, oldest first, borrowed.
    pub(crate) fn attempts(&self) -> impl DoubleEndedIterator<Item = &DeliveryRecord> {
        self.deliveries.iter()
    }

    /// The notification of the order or payout `plat_form_trade_no`, once
    /// one was attempted.
    pub(crate) fn notice(&self, plat_form_trade_no: &str) -> Option<&NoticeState> {
        self.notices.get(plat_form_trade_no)
    }
}
