//! The retry decision: whether a failed attempt is sent again, returned, or
//! turned into an unknown outcome.

use super::SYSTEM_EXCEPTION;
use crate::endpoint::CallKind;
use crate::error::Error;
use crate::transport::TransportErrorKind;

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
        // Another record's answer: the next attempt may reach a gateway (or
        // a proxy) that answers about the right one.
        Error::AnswerForAnotherRecord { .. } => true,
        // Nothing was sent, or the call is already over.
        Error::Invalid(_)
        | Error::Config(_)
        | Error::WrongRegion { .. }
        | Error::OutcomeUnknown { .. }
        | Error::TimedOutAfterRetries { .. } => return Decision::Fail,
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
            (
                "another order's answer",
                Error::AnswerForAnotherRecord { key: "tradeNo", sent: "T1".into(), answered: "T2".into() },
                Retry,
                OutcomeUnknown,
            ),
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
}
