//! What the SDK tells `tracing` (the `tracing` feature): one `vexora.call`
//! span per [`Client::send`](crate::Client::send), an event for each retry
//! and each unknown outcome, and one for each refused notification.
//!
//! Only labels, codes, order numbers and timings are recorded: never the app
//! secret, a `sign`, a request body or a gateway message (which can echo the
//! payer's data). Without the feature every function here is empty.

use std::time::Duration;

use crate::error::Error;
#[cfg(feature = "tracing")]
use crate::transport::TransportErrorKind;
use crate::types::TradeNo;

/// The span of one call, with `attempt`, `elapsed_ms` and `outcome`
/// recorded as the call goes.
pub(crate) struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl CallSpan {
    /// Opens the span of a call to `endpoint` (`taiwan/checkout`) about
    /// the `tradeNo` that `trade_no` finds, if the request has one (only
    /// looked for when the span is recorded).
    pub(crate) fn start(endpoint: &'static str, trade_no: impl FnOnce() -> Option<TradeNo>) -> Self {
        #[cfg(feature = "tracing")]
        {
            let span = tracing::info_span!(
                "vexora.call",
                endpoint,
                trade_no = tracing::field::Empty,
                attempt = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
                outcome = tracing::field::Empty,
            );
            // Found (and allocated) only for a subscriber that wants the span.
            if !span.is_disabled() {
                if let Some(trade_no) = trade_no() {
                    span.record("trade_no", trade_no.as_str());
                }
            }
            Self { span }
        }
        #[cfg(not(feature = "tracing"))]
        {
            let _ = (endpoint, trade_no);
            Self {}
        }
    }

    /// The span to run the call in.
    #[cfg(feature = "tracing")]
    pub(crate) fn span(&self) -> &tracing::Span {
        &self.span
    }

    /// Attempt `attempt` failed with `error` and the next starts after `wait`.
    pub(crate) fn retrying(&self, attempt: u32, wait: Duration, error: &Error) {
        #[cfg(feature = "tracing")]
        self.span.in_scope(|| {
            tracing::warn!(attempt, wait_ms = millis(wait), error = error_label(error), "vexora: retrying a read");
        });
        #[cfg(not(feature = "tracing"))]
        let _ = (attempt, wait, error);
    }

    /// The call ended after `attempts` attempts and `elapsed`.
    pub(crate) fn finish<R>(&self, result: &Result<R, Error>, attempts: u32, elapsed: Duration) {
        #[cfg(feature = "tracing")]
        {
            let outcome = result.as_ref().err().map_or("ok", error_label);
            self.span.record("attempt", attempts);
            self.span.record("elapsed_ms", millis(elapsed));
            self.span.record("outcome", outcome);
            self.span.in_scope(|| match result {
                Err(Error::OutcomeUnknown { keys, .. }) => tracing::error!(
                    trade_no = keys.trade_no(),
                    keys = %keys,
                    "vexora: sent, outcome unknown: reconcile before sending again"
                ),
                Err(Error::Refused { code, .. }) => tracing::info!(code = code.as_str(), "vexora: refused"),
                _ => tracing::debug!(outcome, "vexora: call ended"),
            });
        }
        #[cfg(not(feature = "tracing"))]
        let _ = (result, attempts, elapsed);
    }
}

/// A resolving create for `trade_no` took a step (`what`).
pub(crate) fn resolving(keys: &crate::RecordKeys, what: &'static str) {
    #[cfg(feature = "tracing")]
    tracing::info!(trade_no = keys.trade_no(), keys = %keys, "vexora: resolving a create: {what}");
    #[cfg(not(feature = "tracing"))]
    let _ = (keys, what);
}

/// A notification was verified with the `current` or the `previous` secret
/// (a rotation under way shows as `previous`).
pub(crate) fn notification_verified(secret: &'static str) {
    #[cfg(feature = "tracing")]
    if secret == "current" {
        tracing::debug!(secret, "vexora: notification verified");
    } else {
        tracing::info!(secret, "vexora: notification verified with the previous secret");
    }
    #[cfg(not(feature = "tracing"))]
    let _ = secret;
}

/// A notification failed verification; `error` is the failure's fixed
/// label, never its text.
pub(crate) fn notification_refused(error: &'static str) {
    #[cfg(feature = "tracing")]
    tracing::warn!(error, "vexora: notification refused");
    #[cfg(not(feature = "tracing"))]
    let _ = error;
}

#[cfg(feature = "tracing")]
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// A fixed label for each error: what went wrong, with none of its text.
#[cfg(feature = "tracing")]
fn error_label(error: &Error) -> &'static str {
    match error {
        Error::Invalid(_) => "invalid",
        Error::Config(_) => "config",
        Error::WrongRegion { .. } => "wrong_region",
        Error::Refused { .. } => "refused",
        Error::Transport(transport) => match transport.kind() {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Exchange => "exchange",
            TransportErrorKind::Body => "body",
        },
        Error::BadResponse { .. } => "bad_response",
        Error::AnswerForAnotherRecord { .. } => "answer_for_another_record",
        Error::TimedOutAfterRetries { .. } => "timed_out_after_retries",
        Error::OutcomeUnknown { .. } => "outcome_unknown",
    }
}
