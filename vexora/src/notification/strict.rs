//! Checks that run after the signature, because the signature cannot make
//! them: the string-to-sign joins `key=value` pairs without separators, so
//! `{"a":"1b=2"}` and `{"a":"1","b":"2"}` sign the same (see
//! [`crate::signing`]). A valid signature therefore only proves the
//! concatenation. Keys cannot hold `=` (refused when the body is parsed);
//! these checks make sure no value could have been re-partitioned either.

use std::time::Duration;

use super::error::NotificationError;
use super::typed::{ExtraValue, Notification};
use crate::clock::Clock;
use crate::types::TradeStatus;

/// The field names a re-partitioned value would smuggle in.
const KNOWN_FIELDS: [&str; 9] =
    ["amount", "message", "platFormTradeNo", "remark", "sign", "status", "successTime", "timestamp", "tradeNo"];

/// The longest id of Vexora's (`platFormTradeNo`) accepted.
const MAX_ID_LEN: usize = 64;

/// Every strict check on a notification whose signature matched.
pub(super) fn check(notification: &Notification) -> Result<(), NotificationError> {
    let invalid = |field, reason| Err(NotificationError::InvalidField { field, reason });
    if !is_status_code(&notification.status) {
        return invalid("status", "is not a status code (four or five digits)");
    }
    // Any tradeNo a query accepts, so the notification of an order made
    // outside the SDK still verifies; like free text, it must not hide a
    // re-partitioned field.
    if let Some(name) = smuggled_field(notification.trade_no.as_str()) {
        return Err(NotificationError::AmbiguousValue { field: "tradeNo".to_owned(), name });
    }
    if notification.plat_form_trade_no.as_deref().is_some_and(|id| !is_identifier(id)) {
        return invalid("platFormTradeNo", "is not an order number (at most 64 of 0-9 A-Z a-z _ -)");
    }
    // `amount` was already read as a plain decimal; `status` and
    // `platFormTradeNo` cannot hold `=`. The free-text fields can.
    let free_text = [
        ("message", notification.message.as_deref()),
        ("remark", notification.remark.as_deref()),
        ("successTime", notification.success_time.as_deref()),
        ("timestamp", notification.timestamp.as_deref()),
    ];
    for (field, value) in free_text {
        if let Some(name) = value.and_then(smuggled_field) {
            return Err(NotificationError::AmbiguousValue { field: field.to_owned(), name });
        }
    }
    for (field, value) in &notification.extra {
        if let ExtraValue::String(text) = value {
            if let Some(name) = smuggled_field(text) {
                return Err(NotificationError::AmbiguousValue { field: field.clone(), name });
            }
        }
    }
    Ok(())
}

fn is_status_code(status: &TradeStatus) -> bool {
    match status {
        TradeStatus::Other(code) => (4..=5).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()),
        _ => true,
    }
}

fn is_identifier(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The known field name that appears followed by `=` in `value`, if any.
fn smuggled_field(value: &str) -> Option<&'static str> {
    if !value.bytes().fold(false, |found, b| found | (b == b'=')) {
        return None;
    }
    KNOWN_FIELDS
        .into_iter()
        .find(|name| value.match_indices(name).any(|(at, _)| value.as_bytes().get(at + name.len()) == Some(&b'=')))
}

/// How [`verify_with`](super::verify_with) treats a notification's age.
///
/// The freshness window is off by default: the gateway retries for 24 hours
/// and it is not documented whether a retry carries a new `timestamp`, so a
/// window could refuse genuine retries. Turn it on only once you know.
#[derive(Clone)]
pub struct VerifyOptions {
    /// Refuse a notification whose `timestamp` (milliseconds) is further
    /// than this from now, either way. `None`: no window.
    pub max_age: Option<Duration>,
    /// Where "now" comes from.
    pub clock: std::sync::Arc<dyn Clock>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self { max_age: None, clock: std::sync::Arc::new(crate::clock::SystemClock) }
    }
}

impl std::fmt::Debug for VerifyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyOptions").field("max_age", &self.max_age).finish_non_exhaustive()
    }
}

impl VerifyOptions {
    /// Options with a freshness window of `max_age`.
    pub fn max_age(max_age: Duration) -> Self {
        Self { max_age: Some(max_age), ..Self::default() }
    }

    /// Replaces the clock (tests use a fixed one).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = std::sync::Arc::new(clock);
        self
    }

    pub(super) fn check_freshness(&self, notification: &Notification) -> Result<(), NotificationError> {
        let Some(max_age) = self.max_age else {
            return Ok(());
        };
        let stale = |reason: String| Err(NotificationError::Stale { reason });
        let Some(sent) = notification.timestamp.as_deref() else {
            return stale("it has no timestamp".to_owned());
        };
        let Ok(sent) = sent.parse::<u64>() else {
            return stale("its timestamp is not milliseconds since the epoch".to_owned());
        };
        let age = Duration::from_millis(self.clock.now_millis().abs_diff(sent));
        if age > max_age {
            return stale(format!("its timestamp is {age:?} from now, more than {max_age:?}"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_known_field_followed_by_equals() {
        assert_eq!(smuggled_field("okstatus=0000"), Some("status"));
        assert_eq!(smuggled_field("300.00tradeNo=X"), Some("tradeNo"));
        assert_eq!(smuggled_field("a=b"), None);
        assert_eq!(smuggled_field("status"), None);
        assert_eq!(smuggled_field("https://m.example/n?amount=1"), Some("amount"));
        assert_eq!(smuggled_field("plain text"), None);
    }

    #[test]
    fn identifiers_are_1_to_64_of_alphanumerics_underscore_and_hyphen() {
        // Every character in every position of an otherwise valid id.
        let chars = (0..=0x7f).filter_map(char::from_u32).chain(['é', '中', '\u{ff10}']);
        for c in chars {
            let allowed = c.is_ascii_alphanumeric() || c == '_' || c == '-';
            for id in [format!("{c}"), format!("{c}T20261126"), format!("T2026{c}1126"), format!("T20261126{c}")] {
                assert_eq!(is_identifier(&id), allowed, "{id:?}");
            }
        }
        assert!(is_identifier(&"A".repeat(MAX_ID_LEN)));
        assert!(!is_identifier(&"A".repeat(MAX_ID_LEN + 1)));
        assert!(!is_identifier(""));
    }

    #[test]
    fn a_trade_no_is_any_text_that_hides_no_field() {
        let verdict = |trade_no: &str| {
            let body = serde_json::json!({ "tradeNo": trade_no, "status": "0000" }).to_string();
            let secret = crate::AppSecret::new("k");
            let sign = crate::notification::signature(body.as_bytes(), &secret).map_err(|error| error.to_string())?;
            let signed = format!(r#"{{"sign":"{sign}",{}"#, &body[1..]);
            crate::notification::verify(signed.as_bytes(), &secret).map(drop).map_err(|error| error.to_string())
        };
        for good in ["T.1", &"A".repeat(40), "ORDER 7/2026", "交易1", "a=b"] {
            assert_eq!(verdict(good), Ok(()), "{good:?}");
        }
        assert!(verdict("T1amount=300").is_err());
        assert!(verdict("T1status=0000").is_err());
    }

    #[test]
    fn status_codes_are_four_or_five_digits() {
        for good in ["0000", "0001", "0015", "00029", "0042", "12345"] {
            assert!(is_status_code(&TradeStatus::from_code(good)), "{good}");
        }
        for bad in ["000", "000000", "00a0", "0000status=0000", " 0000"] {
            assert!(!is_status_code(&TradeStatus::from_code(bad)), "{bad}");
        }
    }
}
