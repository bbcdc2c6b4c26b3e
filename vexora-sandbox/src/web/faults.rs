//! The fault switch: faults waiting for the next API requests, which can
//! be slowed down, cut off, or answered the ways a real gateway misbehaves,
//! so the SDK's handling of each can be tested. The control routes queue,
//! list and clear them; the server applies each to the request it takes it
//! for.

use serde::{Deserialize, Serialize};

/// A fault for the next `times` API requests to `path` (any API path when
/// `None`), as posted to `POST /sandbox/faults`.
///
/// When several effects are set, `delay_ms` comes first, then the first of
/// `drop_connection`, `http_status`, `malformed_json`, `gateway_code`.
/// With `before_processing: false` (the default) the request is processed
/// first, so a checkout's order exists even though its answer is lost;
/// with `true` the fault happens instead of processing.
///
/// ```
/// use vexora_sandbox::Fault;
///
/// let fault: Fault = serde_json::from_str(r#"{"drop_connection": true}"#).unwrap();
/// assert_eq!(fault.times, 1);
/// assert!(!fault.before_processing);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Wait this long (real time) before answering, or before processing.
    #[serde(default)]
    pub delay_ms: u64,
    /// Close the connection without any HTTP response.
    #[serde(default)]
    pub drop_connection: bool,
    /// Answer this HTTP status (400-599) with an HTML body, like a proxy.
    #[serde(default)]
    pub http_status: Option<u16>,
    /// Answer `application/json` that is cut off in the middle.
    #[serde(default)]
    pub malformed_json: bool,
    /// Answer the envelope with this `code` (`"5000"`: system exception).
    #[serde(default)]
    pub gateway_code: Option<String>,
    /// How many matching requests it applies to (at least 1).
    #[serde(default = "one")]
    pub times: u32,
    /// The exact request path, e.g. `/taiwan/v1/vexora/checkout`; `None`: any API path.
    #[serde(default)]
    pub path: Option<String>,
    /// Fault instead of processing the request (no order is created).
    #[serde(default)]
    pub before_processing: bool,
    /// The order, payout or spec-served record the request creates is
    /// hidden from queries for this long (sandbox clock): they answer "no
    /// such order" until then, as a gateway that answered before it
    /// finished creating would.
    #[serde(default)]
    pub visible_after_ms: u64,
}

fn one() -> u32 {
    1
}

impl Default for Fault {
    fn default() -> Self {
        Self {
            delay_ms: 0,
            drop_connection: false,
            http_status: None,
            malformed_json: false,
            gateway_code: None,
            times: 1,
            path: None,
            before_processing: false,
            visible_after_ms: 0,
        }
    }
}

impl Fault {
    /// Whether the answer is replaced (anything but a pure delay).
    pub(crate) fn replaces_answer(&self) -> bool {
        self.drop_connection || self.http_status.is_some() || self.malformed_json || self.gateway_code.is_some()
    }

    /// Checks the values a request could get wrong.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.times == 0 {
            return Err("times: must be at least 1".to_owned());
        }
        if let Some(status) = self.http_status.filter(|status| !(400..=599).contains(status)) {
            return Err(format!("http_status: must be 400-599, not {status}"));
        }
        if self.gateway_code.as_deref().is_some_and(str::is_empty) {
            return Err("gateway_code: must not be empty".to_owned());
        }
        if self.path.as_deref().is_some_and(|path| !path.starts_with('/')) {
            return Err("path: must start with /".to_owned());
        }
        Ok(())
    }
}

/// The faults waiting for requests, first posted first used.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    faults: Vec<Fault>,
}

impl FaultQueue {
    pub(crate) fn push(&mut self, fault: Fault) {
        self.faults.push(fault);
    }

    pub(crate) fn clear(&mut self) {
        self.faults.clear();
    }

    pub(crate) fn active(&self) -> Vec<Fault> {
        self.faults.clone()
    }

    /// Takes one use of the first fault matching `path`.
    pub(crate) fn take(&mut self, path: &str) -> Option<Fault> {
        let index = self.faults.iter().position(|fault| fault.path.as_deref().is_none_or(|p| p == path))?;
        let fault = &mut self.faults[index];
        fault.times = fault.times.saturating_sub(1);
        let taken = Fault { times: 1, ..fault.clone() };
        if fault.times == 0 {
            self.faults.remove(index);
        }
        Some(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_used_up_in_order_and_by_path() {
        let mut queue = FaultQueue::default();
        queue.push(Fault { times: 2, path: Some("/a".into()), delay_ms: 1, ..Fault::default() });
        queue.push(Fault { delay_ms: 2, ..Fault::default() });
        assert_eq!(queue.take("/b").map(|f| f.delay_ms), Some(2));
        assert_eq!(queue.take("/b"), None);
        assert_eq!(queue.take("/a").map(|f| f.delay_ms), Some(1));
        assert_eq!(queue.active().len(), 1);
        assert_eq!(queue.take("/a").map(|f| f.delay_ms), Some(1));
        assert_eq!(queue.take("/a"), None);
    }

    #[test]
    fn refuses_meaningless_faults() {
        for fault in [
            Fault { times: 0, ..Fault::default() },
            Fault { http_status: Some(200), ..Fault::default() },
            Fault { gateway_code: Some(String::new()), ..Fault::default() },
            Fault { path: Some("taiwan".into()), ..Fault::default() },
        ] {
            assert!(fault.validate().is_err(), "{fault:?}");
        }
        assert!(serde_json::from_str::<Fault>(r#"{"drop": true}"#).is_err());
    }
}
