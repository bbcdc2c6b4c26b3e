//! When a failed call may be sent again, and how long to wait first.
//!
//! The decision depends on what the call does ([`CallKind`]) and on where it
//! failed. A read is safe to repeat. A create (a checkout, later a payout) is
//! repeated only when the request provably never left the machine: the
//! gateway documents no idempotency key, so a resent checkout could be a
//! second order. Every other failure of a create is
//! [`Error::OutcomeUnknown`], to be settled with
//! [`Client::reconcile`](crate::Client::reconcile).

use std::time::Duration;

use crate::endpoint::CallKind;
use crate::error::Error;
use crate::transport::TransportErrorKind;

/// The gateway's "system exception" code: the call failed inside the
/// gateway and may be tried again later (integrations retry it).
pub const SYSTEM_EXCEPTION: &str = "5000";

/// How many times a call is tried and how long the waits between tries are.
///
/// Waits grow exponentially from `initial_backoff` up to `max_backoff`, each
/// drawn at random between zero and that bound ("full jitter"), so clients
/// that failed together do not retry together. All attempts and waits stay
/// within the call's one deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: never retry).
    pub max_attempts: u32,
    /// The bound of the first wait.
    pub initial_backoff: Duration,
    /// The largest bound of any wait.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, waits bounded by 200 ms, 400 ms (at most 2 s).
    fn default() -> Self {
        Self { max_attempts: 3, initial_backoff: Duration::from_millis(200), max_backoff: Duration::from_secs(2) }
    }
}

impl RetryPolicy {
    /// One attempt, no retry.
    pub const fn never() -> Self {
        Self { max_attempts: 1, initial_backoff: Duration::ZERO, max_backoff: Duration::ZERO }
    }

    /// The wait after failed attempt number `attempt` (1-based), given a
    /// random number.
    pub(crate) fn backoff(&self, attempt: u32, random: u64) -> Duration {
        let doublings = attempt.saturating_sub(1).min(20);
        let bound = self.initial_backoff.saturating_mul(1 << doublings).min(self.max_backoff);
        let bound_nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(random % bound_nanos.saturating_add(1))
    }
}

/// What to do with a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send it again (stamped and signed anew), if attempts and time remain.
    Retry,
    /// Return the error as it is.
    Fail,
    /// A create that may have taken effect: return
    /// [`Error::OutcomeUnknown`] and never resend on our own.
    OutcomeUnknown,
}

/// The retry decision for a call of `kind` that failed with `error`.
pub fn decide(kind: CallKind, error: &Error) -> Decision {
    // Whether the failure says the gateway was reached (or may have been)
    // and may have done something; `None` for failures that prove nothing
    // happened.
    let retryable_read = match error {
        Error::Transport(transport) if transport.kind() == TransportErrorKind::Connect => {
            // Never left the machine: safe to resend, whatever the call.
            return Decision::Retry;
        }
        Error::Transport(_) => true,
        Error::Refused { code, .. } if code == SYSTEM_EXCEPTION => true,
        // A definite answer: the gateway refused and created nothing.
        Error::Refused { .. } => return Decision::Fail,
        // A non-2xx is not the gateway's verdict, whatever its body says: a
        // proxy or load balancer may have answered, the gateway may or may
        // not have seen the request. A redirect is the exception for reads:
        // the same request would be redirected again. A 2xx that is not a
        // readable envelope would be read the same way again.
        Error::BadResponse { status, .. } => !(200..400).contains(status),
        // Nothing was sent, or the call is already over.
        Error::Invalid(_) | Error::Config(_) | Error::OutcomeUnknown { .. } | Error::TimedOutAfterRetries { .. } => {
            return Decision::Fail
        }
    };
    match kind {
        CallKind::Read if retryable_read => Decision::Retry,
        CallKind::Read => Decision::Fail,
        CallKind::Create => Decision::OutcomeUnknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::TransportError;
    use crate::validation::ValidationErrors;

    fn transport(kind: TransportErrorKind) -> Error {
        Error::Transport(TransportError::new(kind, "test"))
    }

    fn refused(code: &str) -> Error {
        Error::Refused { code: code.into(), msg: "m".into() }
    }

    fn bad(status: u16) -> Error {
        Error::BadResponse { status, reason: "r".into(), excerpt: String::new() }
    }

    #[test]
    fn the_decision_table() {
        use Decision::{Fail, OutcomeUnknown, Retry};
        let table: Vec<(&str, Error, Decision, Decision)> = vec![
            // (failure, error, read, create)
            ("connection refused", transport(TransportErrorKind::Connect), Retry, Retry),
            ("timeout", transport(TransportErrorKind::Timeout), Retry, OutcomeUnknown),
            ("reset after sending", transport(TransportErrorKind::Exchange), Retry, OutcomeUnknown),
            ("body cut off", transport(TransportErrorKind::Body), Retry, OutcomeUnknown),
            ("HTTP 500", bad(500), Retry, OutcomeUnknown),
            ("HTTP 502", bad(502), Retry, OutcomeUnknown),
            ("HTTP 503", bad(503), Retry, OutcomeUnknown),
            ("HTTP 429", bad(429), Retry, OutcomeUnknown),
            ("HTTP 504", bad(504), Retry, OutcomeUnknown),
            ("HTTP 599", bad(599), Retry, OutcomeUnknown),
            ("HTTP 200, truncated JSON", bad(200), Fail, OutcomeUnknown),
            ("HTTP 200, code not a string", bad(200), Fail, OutcomeUnknown),
            ("HTTP 400", bad(400), Retry, OutcomeUnknown),
            ("HTTP 404", bad(404), Retry, OutcomeUnknown),
            ("HTTP 301", bad(301), Fail, OutcomeUnknown),
            ("HTTP 302", bad(302), Fail, OutcomeUnknown),
            ("HTTP 307", bad(307), Fail, OutcomeUnknown),
            ("HTTP 308", bad(308), Fail, OutcomeUnknown),
            ("HTTP 101", bad(101), Retry, OutcomeUnknown),
            ("code 5000", refused("5000"), Retry, OutcomeUnknown),
            ("code 8000", refused("8000"), Fail, Fail),
            ("duplicate tradeNo", refused("9005"), Fail, Fail),
            ("invalid input", Error::Invalid(ValidationErrors::from_violations(Vec::new())), Fail, Fail),
            (
                "unusable deadline",
                Error::Config(crate::ConfigError::Invalid { field: "timeout", reason: "r" }),
                Fail,
                Fail,
            ),
        ];
        for (failure, error, read, create) in table {
            assert_eq!(decide(CallKind::Read, &error), read, "read, {failure}");
            assert_eq!(decide(CallKind::Create, &error), create, "create, {failure}");
        }
    }

    #[test]
    fn backoff_grows_within_its_bounds() {
        let policy = RetryPolicy::default();
        for attempt in 1..10 {
            let bound = policy.initial_backoff.saturating_mul(1 << (attempt - 1)).min(policy.max_backoff);
            for random in [0, 1, 12_345, u64::MAX] {
                assert!(policy.backoff(attempt, random) <= bound, "attempt {attempt}");
            }
        }
        assert_eq!(policy.backoff(1, 0), Duration::ZERO);
        assert_eq!(RetryPolicy::never().backoff(1, 99), Duration::ZERO);
    }
}
