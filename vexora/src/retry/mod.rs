//! When a failed call may be sent again, and how long to wait first.
//!
//! The decision depends on what the call does
//! ([`CallKind`](crate::endpoint::CallKind)) and on where it
//! failed. A read is safe to repeat. A create (a checkout, later a payout) is
//! repeated only when the request provably never left the machine: the
//! gateway documents no idempotency key, so a resent checkout could be a
//! second order. Every other failure of a create is
//! [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown), to be settled with
//! [`Client::reconcile`](crate::Client::reconcile).

use std::time::Duration;

pub(crate) mod decision;

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

#[cfg(test)]
mod tests {
    use super::*;

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
