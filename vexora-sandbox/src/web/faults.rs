//! Fault injection: the next API requests can be slowed down, cut off, or
//! answered the ways a real gateway misbehaves, so the SDK's handling of
//! each can be tested.

use std::future::Future;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::gateway::envelope;

/// The most of a real answer read to truncate it for `malformed_json`.
const ANSWER_LIMIT: usize = 1024 * 1024;

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
    /// The order or payout the request creates is hidden from queries for
    /// this long (sandbox clock): they answer "no such order" until then,
    /// as a gateway that answered before it finished creating would.
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
    fn replaces_answer(&self) -> bool {
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

/// The sandbox answered nothing: a `drop_connection` [`Fault`] closed the
/// connection (behind a socket, hyper closes it without writing a byte).
/// An in-process caller gets this instead of a response, and should treat
/// it as a TCP client treats a connection closed before the answer: the
/// request may have been processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("connection dropped on purpose by a sandbox fault")]
pub struct ConnectionDropped;

/// Runs `process` (or not) under `fault` and returns what to answer.
pub(crate) async fn apply<F>(fault: Fault, process: F, now_ms: impl Fn() -> i64) -> Result<Response, ConnectionDropped>
where
    F: Future<Output = Response>,
{
    let delay = Duration::from_millis(fault.delay_ms);
    let answer = if fault.before_processing {
        tokio::time::sleep(delay).await;
        if !fault.replaces_answer() {
            // Only a delay was asked for: process after it.
            return Ok(process.await);
        }
        None
    } else {
        let answer = process.await;
        tokio::time::sleep(delay).await;
        Some(answer)
    };
    if fault.drop_connection {
        return Err(ConnectionDropped);
    }
    if let Some(status) = fault.http_status {
        return Ok(proxy_error_page(status));
    }
    if fault.malformed_json {
        return Ok(truncate(answer).await);
    }
    if let Some(code) = &fault.gateway_code {
        let message = if code == "5000" { "system exception (sandbox fault)" } else { "sandbox fault" };
        return Ok(envelope::with_code(code, message, now_ms()));
    }
    // `replaces_answer` was false, so the request was processed above.
    Ok(answer.unwrap_or_else(|| proxy_error_page(500)))
}

fn proxy_error_page(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let reason = status.canonical_reason().unwrap_or("Error");
    let code = status.as_u16();
    let html = format!(
        "<!DOCTYPE html>\n<html><head><title>{code} {reason}</title></head>\
         <body><h1>{code} {reason}</h1><p>vexora-sandbox fault injection</p></body></html>\n"
    );
    let mut response = (status, html).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

/// The real answer cut in half (or the start of an envelope if there was
/// none), still labelled `application/json`.
async fn truncate(answer: Option<Response>) -> Response {
    let full = match answer {
        Some(answer) => to_bytes(answer.into_body(), ANSWER_LIMIT).await.unwrap_or_default(),
        None => Default::default(),
    };
    let cut = if full.len() > 1 { full.slice(..full.len() / 2) } else { r#"{"msg":"success","code":"00"#.into() };
    let mut response = (StatusCode::OK, Body::from(cut)).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
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
