//! How a command ends badly: an exit code and what to print on stderr.

use vexora::notification::NotificationError;
use vexora::Error;

/// Exit code 1: refused by the gateway, a transport or decode failure, or a
/// notification that failed verification.
pub const FAILED: u8 = 1;
/// Exit code 2: invalid input; nothing was sent.
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
