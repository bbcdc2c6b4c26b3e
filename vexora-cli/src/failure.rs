//! How a command ends badly: an exit code and what to print on stderr.

use std::time::SystemTime;

use vexora::Error;
use vexora::RecordKeys;
use vexora::notification::NotificationError;

/// Exit code 1: refused by the gateway, a transport or decode failure, or a
/// notification that failed verification.
pub const FAILED: u8 = 1;
/// Exit code 2: invalid input, an unusable setting, or a request for
/// another region than the base URL's; nothing was sent.
pub const INVALID_INPUT: u8 = 2;
/// Exit code 3: sent, but the outcome is unknown (`reconcile`: records
/// still unknown after the pass).
pub const OUTCOME_UNKNOWN: u8 = 3;
/// Exit code 4 (`reconcile`): nothing is left unknown, but the pass kept
/// records for a person.
pub const NEEDS_PERSON: u8 = 4;

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

    /// How a call of the endpoint `spec` failed. After an unknown outcome
    /// the advice is the endpoint's own: the command that runs `read`, the
    /// read its spec names to find what it made, or, with no such read,
    /// that a person must check with Vexora before it is sent again.
    pub fn of_call(error: Error, spec: &str, read: Option<&str>) -> Self {
        match error {
            Error::OutcomeUnknown { keys, cause } => {
                let advice = match read {
                    Some(read) => look_up(spec, read, &keys),
                    None => ask_vexora(spec, &keys, SystemTime::now()),
                };
                Self { code: OUTCOME_UNKNOWN, message: format!("{cause}\n{advice}") }
            }
            other => other.into(),
        }
    }
}

/// The command that runs `read` for the keys of a `spec` whose outcome is
/// unknown: a reconciling read's fields are exactly its create's keys.
fn look_up(spec: &str, read: &str, keys: &RecordKeys) -> String {
    let fields: serde_json::Map<String, serde_json::Value> =
        keys.iter().map(|(name, value)| (name.to_owned(), value.into())).collect();
    format!(
        "sent, but the outcome is unknown: the {spec} request may have taken effect. Do not send it again \
         before its own read, {read}, says whether it exists:\n  echo {} | vexora call {read} --json -\nIf that answers \
         that there is no such order, send it again with the same {keys}; if it finds one, it was made.",
        shell_quoted(&serde_json::Value::Object(fields).to_string())
    )
}

/// What to do after an unknown outcome of a `spec` that no read can find.
fn ask_vexora(spec: &str, keys: &RecordKeys, sent_at: SystemTime) -> String {
    let trade_no = if keys.is_empty() { String::new() } else { format!(", {keys}") };
    format!(
        "sent, but the outcome is unknown, and what {spec} makes cannot be looked up afterwards: no read of \
         the gateway finds it. Do not send it again until a person checks with Vexora whether it took effect; \
         give them your merchant number, the endpoint {spec}{trade_no}, the request you sent and the time it \
         was sent, about {} (UTC).",
        humantime::format_rfc3339_seconds(sent_at)
    )
}

/// `text` as one POSIX shell word.
fn shell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
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
                 /{request} (or --region {request}), and this base URL serves {client}"
            )),
            Error::Refused { code, msg } => Failure::failed(format!("refused by the gateway: code {code}: {msg}")),
            // Without the endpoint there is no read to name (see `Failure::of_call`).
            Error::OutcomeUnknown { cause, .. } => Failure {
                code: OUTCOME_UNKNOWN,
                message: format!(
                    "{cause}\nsent, but the outcome is unknown: do not send it again before finding out whether \
                     it took effect"
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
    use vexora::ConfigError;
    use vexora::transport::{TransportError, TransportErrorKind};
    use vexora::validation::{ValidationErrors, Violation};

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
        assert!(region.message.contains("serves taiwan"), "{}", region.message);
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
        let keys = || [("tradeNo", "T1".to_owned())].into_iter().collect();
        let unknown = || Error::OutcomeUnknown { keys: keys(), cause: Box::new(refused()) };
        assert_eq!(Failure::from(unknown()).code, OUTCOME_UNKNOWN);
        let failure = Failure::of_call(unknown(), "taiwan/payout", Some("taiwan/payout-query"));
        assert_eq!(failure.code, OUTCOME_UNKNOWN);
        assert!(
            failure.message.contains("\n  echo '{\"tradeNo\":\"T1\"}' | vexora call taiwan/payout-query --json -\n"),
            "{}",
            failure.message
        );
        let failure = Failure::of_call(unknown(), "australia/kyc-application", None);
        assert_eq!(failure.code, OUTCOME_UNKNOWN);
        assert!(failure.message.contains("cannot be looked up afterwards"), "{}", failure.message);
    }

    #[test]
    fn the_advice_without_a_read_names_what_to_give_vexora() {
        let sent_at = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_796_553_600);
        let keys = [("tradeNo", "T1".to_owned())].into_iter().collect();
        let advice = ask_vexora("bangladesh/payment-submit", &keys, sent_at);
        assert!(advice.contains("the endpoint bangladesh/payment-submit, tradeNo T1,"), "{advice}");
        assert!(advice.contains("about 2026-12-06T10:40:00Z (UTC)"), "{advice}");
        assert!(!ask_vexora("australia/kyc-application", &RecordKeys::default(), sent_at).contains("tradeNo"));
    }

    #[test]
    fn the_json_to_pipe_in_is_one_shell_word() {
        assert_eq!(shell_quoted(r#"{"tradeNo":"it's"}"#), r#"'{"tradeNo":"it'\''s"}'"#);
    }
}
