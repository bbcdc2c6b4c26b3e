//! How a command ends badly: an exit code and what to print on stderr.

use vexora::notification::NotificationError;
use vexora::Error;

/// Exit code 1: refused by the gateway, a transport or decode failure, or a
/// notification that failed verification.
pub const FAILED: u8 = 1;
/// Exit code 2: invalid input, an unusable setting, or a request for
/// another region than the base URL's; nothing was sent.
pub const INVALID_INPUT: u8 = 2;
/// Exit code 3: sent, but the outcome is unknown.
pub const OUTCOME_UNKNOWN: u8 = 3;

/// A command that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The process exit code.
    pub code: u8,
    /// The text for stderr.
    pub message: String,
}

impl Failure {
    /// Invalid input (exit 2).
    pub fn invalid(message: impl Into<String>) -> Self {
        Self { code: INVALID_INPUT, message: message.into() }
    }

    /// A failure (exit 1).
    pub fn failed(message: impl Into<String>) -> Self {
        Self { code: FAILED, message: message.into() }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        match error {
            Error::Invalid(errors) => {
                let lines: Vec<String> = errors.violations().iter().map(ToString::to_string).collect();
                Failure::invalid(format!("invalid request, nothing was sent:\n  {}", lines.join("\n  ")))
            }
            error @ Error::Config(_) => Failure::invalid(error.to_string()),
            Error::WrongRegion { request, client } => Failure::invalid(format!(
                "nothing was sent: a {request} request goes only to {request}'s gateway, a base URL ending in \
                 /{request}, and this base URL ends in /{client}"
            )),
            Error::Refused { code, msg } => Failure::failed(format!("refused by the gateway: code {code}: {msg}")),
            Error::OutcomeUnknown { trade_no, cause } => Failure {
                code: OUTCOME_UNKNOWN,
                message: format!(
                    "{cause}\nthe request may have reached the gateway: query the order before retrying \
                     (vexora query --trade-no {})",
                    trade_no.as_ref().map_or("<tradeNo>", vexora::types::TradeNo::as_str)
                ),
            },
            other => Failure::failed(other.to_string()),
        }
    }
}

impl From<NotificationError> for Failure {
    fn from(error: NotificationError) -> Self {
        Failure::failed(format!("notification refused: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use vexora::transport::{TransportError, TransportErrorKind};
    use vexora::types::TradeNo;
    use vexora::validation::{ValidationErrors, Violation};
    use vexora::ConfigError;

    use super::*;

    fn refused() -> Error {
        Error::Refused { code: "9005".into(), msg: "duplicate tradeNo".into() }
    }

    #[test]
    fn what_was_not_sent_exits_2_and_says_so() {
        let invalid = Error::Invalid(ValidationErrors::from_violations(vec![Violation::new(
            "mobile",
            "pattern",
            "must match the pattern",
        )]));
        let config = Error::Config(ConfigError::Invalid { field: "timeout", reason: "under the minimum" });
        let region = Error::WrongRegion { request: "japan", client: "taiwan".into() };
        for error in [invalid, config, region] {
            let failure = Failure::from(error);
            assert_eq!(failure.code, INVALID_INPUT, "{}", failure.message);
            assert!(failure.message.contains("nothing was sent"), "{}", failure.message);
        }
        let region = Failure::from(Error::WrongRegion { request: "japan", client: "taiwan".into() });
        assert!(region.message.contains("a base URL ending in /japan"), "{}", region.message);
        assert!(region.message.contains("ends in /taiwan"), "{}", region.message);
    }

    #[test]
    fn what_was_sent_and_refused_or_failed_exits_1() {
        let transport = || Error::Transport(TransportError::new(TransportErrorKind::Exchange, "reset"));
        let bad = Error::BadResponse { status: 502, reason: "not JSON".into(), excerpt: "<html>".into() };
        let timed_out = Error::TimedOutAfterRetries { attempts: 3, cause: Box::new(transport()) };
        for error in [refused(), transport(), bad, timed_out] {
            let failure = Failure::from(error);
            assert_eq!(failure.code, FAILED, "{}", failure.message);
        }
    }

    #[test]
    fn what_may_have_taken_effect_exits_3() {
        let unknown = Error::OutcomeUnknown { trade_no: Some(TradeNo::new("T1")), cause: Box::new(refused()) };
        assert_eq!(Failure::from(unknown).code, OUTCOME_UNKNOWN);
    }
}
