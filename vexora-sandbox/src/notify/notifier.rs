//! Signed notifications to the merchant's `notifyUrl`, retried on the
//! documented ladder until the merchant answers HTTP 200 with body `OK`.
//! Each attempt travels the configured wire (`receiver.rs`): HTTP, or a
//! program's own.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use tokio::sync::watch;

use crate::book::clock::SandboxClock;
use crate::notify::activity::Activity;
use crate::notify::delivery::{
    AttemptLog, DeliveryOutcome, DeliveryRecord, DeliveryTrigger, NoticeState, NotifiedKind,
};
use crate::notify::notice::Notice;
use crate::notify::receiver::{self, DeliveryFailure, NotificationRequest, NotificationTransport};

/// The waits before each retry: the gateway's documented ladder, read as a
/// first attempt plus 8 retries, one after each interval (9 attempts, about
/// 10 h in all). Scaled by `SandboxConfig::time_scale`.
pub const RETRY_LADDER: [Duration; 8] = vexora::notification::GATEWAY_RETRY_DELAYS;

/// The log keeps this much of the merchant's answer.
const EXCERPT_LIMIT: usize = 200;

/// Which notifications a sandbox loses: `percent` of them, chosen by a
/// hash of `seed` and the order's or payout's `tradeNo`, so the same seed
/// loses the same ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotificationLoss {
    /// How many in a hundred are lost (0 to 100).
    pub percent: u8,
    /// What the choice is drawn from.
    pub seed: u64,
}

impl NotificationLoss {
    /// Whether the notifications about `trade_no` (of `kind`: `order`,
    /// `payout`, or another kind's name) are lost.
    pub fn loses(&self, kind: &str, trade_no: &str) -> bool {
        // FNV-1a: stable across builds and platforms, unlike std's hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ self.seed;
        for byte in kind.bytes().chain([0]).chain(trade_no.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash % 100 < u64::from(self.percent)
    }
}

/// Sends notifications in background tasks and logs every attempt.
pub(crate) struct Notifier {
    /// Every attempt, and where each notification stands.
    pub(crate) log: Mutex<AttemptLog>,
    pub(crate) clock: SandboxClock,
    pub(crate) time_scale: f64,
    pub(crate) timeout: Duration,
    pub(crate) shutdown: watch::Receiver<bool>,
    /// Notifications never sent (a gateway that loses them).
    pub(crate) loss: Option<NotificationLoss>,
    /// The wire each attempt travels.
    pub(crate) transport: Arc<dyn NotificationTransport>,
    /// Which ladders are making an attempt or waiting for their next.
    pub(crate) activity: Arc<Activity>,
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifier")
            .field("clock", &self.clock)
            .field("time_scale", &self.time_scale)
            .field("timeout", &self.timeout)
            .field("loss", &self.loss)
            .field("activity", &self.activity)
            .finish_non_exhaustive()
    }
}

/// An attempt about to be made: what its log record says before the answer.
struct Unsent {
    kind: NotifiedKind,
    merchant_no: String,
    trade_no: String,
    plat_form_trade_no: String,
    status: String,
    trigger: DeliveryTrigger,
    url: String,
    body: String,
}

impl Unsent {
    /// A ladder attempt sending `body`.
    fn ladder_of(notice: &Notice, body: String) -> Self {
        Self {
            kind: notice.kind.clone(),
            merchant_no: notice.merchant_no.clone(),
            trade_no: notice.trade_no.clone(),
            plat_form_trade_no: notice.platform_id.clone(),
            status: notice.field("status"),
            trigger: DeliveryTrigger::Ladder,
            url: notice.notify_url.clone(),
            body,
        }
    }

    /// A resend of a notification's last body.
    fn resend_of(notice: &NoticeState, plat_form_trade_no: &str) -> Self {
        Self {
            kind: notice.kind.clone(),
            merchant_no: notice.merchant_no.clone(),
            trade_no: notice.trade_no.clone(),
            plat_form_trade_no: plat_form_trade_no.to_owned(),
            status: notice.status.clone(),
            trigger: DeliveryTrigger::Resend,
            url: notice.url.clone(),
            body: notice.last_body.clone(),
        }
    }
}

/// The next retry on the ladder: its (scaled) interval, and when it is due
/// on the sandbox clock.
#[derive(Debug, Clone, Copy)]
struct NextRetry {
    wait: Duration,
    due_ms: i64,
}

impl Notifier {
    /// The attempt log. An attempt is logged whole under the lock, so a
    /// poisoned lock holds no half-logged attempt.
    pub(crate) fn log(&self) -> MutexGuard<'_, AttemptLog> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts delivering a notification, signed with the merchant's
    /// `secret`. Must be called on the sandbox's runtime.
    pub(crate) fn notify(self: &Arc<Self>, notice: Notice, secret: String) {
        if self.loss.is_some_and(|loss| loss.loses(notice.kind.name(), &notice.trade_no)) {
            return;
        }
        let notifier = Arc::clone(self);
        // Counted before the task runs, so a caller waiting for the
        // notifier to be idle waits for this first attempt too.
        let running = self.activity.start();
        tokio::spawn(async move {
            notifier.deliver(&notice, &secret).await;
            drop(running);
        });
    }

    /// The ladder: a first attempt, then a retry after each interval until
    /// one is acknowledged. Retries are due on the sandbox clock, each
    /// interval counted from when the previous attempt was due, so moving
    /// the clock forward fires every retry that time made due.
    async fn deliver(&self, notice: &Notice, secret: &str) {
        let target = receiver::check_url(&notice.notify_url);
        let mut shutdown = self.shutdown.clone();
        let first_due_ms = self.clock.now_ms();
        let mut waited = Duration::ZERO;
        for index in 0..=RETRY_LADDER.len() {
            let body = notice.signed_body(self.clock.now_ms(), secret);
            let next = RETRY_LADDER.get(index).filter(|_| target.is_ok()).map(|wait| {
                let wait = self.scale(*wait);
                waited = waited.saturating_add(wait);
                NextRetry { wait, due_ms: first_due_ms.saturating_add(millis(waited)) }
            });
            let record = self.attempt(Unsent::ladder_of(notice, body), &target, next).await;
            let Some(due_ms) = record.next_attempt_at_ms else { return };
            let waiting = self.activity.wait_for(due_ms);
            tokio::select! {
                () = self.clock.sleep_until(due_ms) => {}
                () = crate::shutdown::stop_requested(&mut shutdown) => return,
            }
            drop(waiting);
            // A resend may have been acknowledged in the meantime.
            if self.acknowledged(&record.plat_form_trade_no) {
                return;
            }
        }
    }

    /// Sends the last body of the notification of `plat_form_trade_no`
    /// again, byte for byte, once, and returns the attempt as logged; `None`
    /// when nothing was ever sent for it. The ladder's schedule is left
    /// alone, but an acknowledged resend ends it.
    pub(crate) async fn resend(&self, plat_form_trade_no: &str) -> Option<DeliveryRecord> {
        let notice = self.log().notice(plat_form_trade_no).cloned()?;
        let target = receiver::check_url(&notice.url);
        let _running = self.activity.start();
        Some(self.attempt(Unsent::resend_of(&notice, plat_form_trade_no), &target, None).await)
    }

    fn acknowledged(&self, plat_form_trade_no: &str) -> bool {
        self.log().notice(plat_form_trade_no).is_some_and(|notice| notice.acknowledged)
    }

    /// One attempt on the wire, timed and logged; `target` says whether
    /// the URL can be called at all; `next` is the ladder's following
    /// retry, dropped when this one is acknowledged.
    async fn attempt(&self, unsent: Unsent, target: &Result<(), String>, next: Option<NextRetry>) -> DeliveryRecord {
        let stopwatch = self.clock.stopwatch();
        let result = match target {
            Ok(()) => {
                let request = NotificationRequest {
                    url: unsent.url.clone(),
                    body: Bytes::from(unsent.body.clone()),
                    kind: unsent.kind.clone(),
                    trade_no: unsent.trade_no.clone(),
                    attempt: self.next_attempt_number(&unsent.plat_form_trade_no),
                    trigger: unsent.trigger,
                };
                match tokio::time::timeout(self.timeout, self.transport.deliver(request)).await {
                    Ok(Ok(answer)) => Ok((answer.status, answer.body)),
                    Ok(Err(DeliveryFailure(reason))) => Err(reason),
                    Err(_) => Err(format!("no answer within {} ms", self.timeout.as_millis())),
                }
            }
            Err(reason) => Err(reason.clone()),
        };
        let duration_ms = stopwatch.elapsed_ms();
        let acknowledged = matches!(&result, Ok((200, answer)) if answer.as_ref() == b"OK");
        let next = next.filter(|_| !acknowledged);
        let (response_status, response_body, error) = match result {
            Ok((status, body)) => (Some(status), Some(excerpt(&body)), None),
            Err(error) => (None, None, Some(error)),
        };
        let outcome = match (acknowledged, response_status) {
            (true, _) => DeliveryOutcome::Acknowledged,
            (false, Some(_)) => DeliveryOutcome::Rejected,
            (false, None) => DeliveryOutcome::Failed,
        };
        let now = self.clock.now_ms();
        let record = DeliveryRecord {
            kind: unsent.kind,
            merchant_no: unsent.merchant_no,
            trade_no: unsent.trade_no,
            plat_form_trade_no: unsent.plat_form_trade_no,
            status: unsent.status,
            // Numbered by the log, which counts resends too.
            attempt: 0,
            trigger: unsent.trigger,
            url: unsent.url,
            body: unsent.body,
            response_status,
            response_body,
            outcome,
            error,
            duration_ms,
            time: self.clock.format_local(now),
            timestamp_ms: now,
            next_attempt_in_ms: next.map(|next| u64::try_from(next.wait.as_millis()).unwrap_or(u64::MAX)),
            next_attempt_at_ms: next.map(|next| next.due_ms),
        };
        self.log().record_attempt(record)
    }

    /// The number the next attempt of `plat_form_trade_no`'s notification
    /// is logged with (see `AttemptLog::record_attempt`).
    fn next_attempt_number(&self, plat_form_trade_no: &str) -> u32 {
        self.log().notice(plat_form_trade_no).map_or(1, |notice| notice.attempts.saturating_add(1))
    }

    fn scale(&self, wait: Duration) -> Duration {
        Duration::try_from_secs_f64(wait.as_secs_f64() * self.time_scale).unwrap_or(Duration::MAX)
    }
}

/// Whole milliseconds of `duration`, saturating.
fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_LIMIT)]).into_owned();
    if body.len() > EXCERPT_LIMIT { text + "…" } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_is_the_documented_one() {
        let seconds: Vec<_> = RETRY_LADDER.iter().map(Duration::as_secs).collect();
        assert_eq!(seconds, [2, 5, 10, 30, 3600, 10_800, 10_800, 10_800]);
        // Within the documented 24 h.
        assert!(seconds.iter().sum::<u64>() < 24 * 3600);
    }

    #[test]
    fn excerpts_are_bounded() {
        assert_eq!(excerpt(b"OK"), "OK");
        assert_eq!(excerpt(&[b'x'; 500]).chars().count(), EXCERPT_LIMIT + 1);
    }
}
