//! Fault injection: a fault the control routes queued, applied to the API
//! request the server takes it for: the answer delayed, replaced, cut off,
//! or the connection closed without one.

use std::future::Future;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::gateway::envelope;
use crate::web::faults::Fault;

/// The most of a real answer read to truncate it for `malformed_json`.
const ANSWER_LIMIT: usize = 1024 * 1024;

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
