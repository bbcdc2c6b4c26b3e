//! Every API request judged the same way, whatever its endpoint: a known
//! `merchantNo` header, a JSON body of scalar values, its signature, its
//! `timestamp` and every rule of the endpoint's spec; then handed to the
//! handler of the endpoint's kind, and answered with the gateway's envelope.
//! And the router that serves each endpoint's route so.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::value::RawValue;

use crate::book::Book;
use crate::gateway::body::Fields;
use crate::gateway::call::{Call, HiddenFor};
use crate::gateway::envelope::{self, Refusal, SandboxCode, shorten};
use crate::gateway::routing::{Endpoint, Gateway};
use crate::gateway::signature;

/// The API's routes, each answering `POST` with [`handle`]. A request's
/// `visible_after_ms` fault arrives as a [`HiddenFor`] extension.
pub(crate) fn router(gateway: &Arc<Gateway>) -> Router {
    let mut router = Router::new();
    for (index, endpoint) in gateway.endpoints.iter().enumerate() {
        let handler = move |State(gateway): State<Arc<Gateway>>,
                            hidden: Option<Extension<HiddenFor>>,
                            headers: HeaderMap,
                            body: Bytes| async move {
            let hidden_for_ms = hidden.map_or(0, |Extension(HiddenFor(ms))| ms);
            match gateway.endpoints.get(index) {
                Some(endpoint) => handle(&gateway, endpoint, &headers, &body, hidden_for_ms),
                None => StatusCode::NOT_FOUND.into_response(),
            }
        };
        router = router.route(&endpoint.route, post(handler));
    }
    router.with_state(Arc::clone(gateway))
}

/// Judges and answers one API request, always with an envelope.
pub(crate) fn handle(
    gateway: &Gateway,
    endpoint: &Endpoint,
    headers: &HeaderMap,
    body: &[u8],
    hidden_for_ms: i64,
) -> Response {
    let result = judge(gateway, endpoint, headers, body, hidden_for_ms);
    let now = gateway.book.clock.now_ms();
    match result {
        Ok(data) => envelope::accepted(&data, now),
        Err(refusal) => envelope::refused(&refusal, now),
    }
}

fn judge(
    gateway: &Gateway,
    endpoint: &Endpoint,
    headers: &HeaderMap,
    body: &[u8],
    hidden_for_ms: i64,
) -> Result<Box<RawValue>, Refusal> {
    let (merchant_no, secret) = merchant(&gateway.book, headers)?;
    check_content_type(headers)?;
    let fields = Fields::parse(body).map_err(|message| Refusal::new(SandboxCode::MalformedBody, message))?;
    signature::verify(&fields, secret).map_err(|message| Refusal::new(SandboxCode::BadSignature, message))?;
    check_timestamp(&fields, gateway.book.clock.now_ms(), gateway.timestamp_tolerance_ms)?;
    let violations = endpoint.rules.check(&fields);
    if !violations.is_empty() {
        return Err(Refusal::new(SandboxCode::InvalidField, violations.join("; ")));
    }
    let call = Call {
        merchant_no,
        region: &endpoint.region,
        fields: &fields,
        platform_id: endpoint.platform_id,
        public_url: &gateway.public_url,
        visibility_delay: gateway.visibility_delay.as_ref(),
        hidden_for_ms,
    };
    endpoint.handler.handle(&gateway.book, &call)
}

fn merchant<'a>(book: &'a Book, headers: &'a HeaderMap) -> Result<(&'a str, &'a str), Refusal> {
    let refuse = |message: String| Refusal::new(SandboxCode::UnknownMerchant, message);
    let value = headers.get("merchantNo").ok_or_else(|| refuse("merchantNo: header missing".to_owned()))?;
    let merchant_no = value.to_str().map_err(|_| refuse("merchantNo: header is not text".to_owned()))?;
    book.merchant(merchant_no)
        .ok_or_else(|| refuse(format!("merchantNo: {} is not a merchant of this sandbox", shorten(merchant_no))))
}

fn check_content_type(headers: &HeaderMap) -> Result<(), Refusal> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::trim);
    match media_type {
        Some(media_type) if media_type.eq_ignore_ascii_case("application/json") => Ok(()),
        Some(other) => Err(Refusal::new(
            SandboxCode::MalformedBody,
            format!("Content-Type: must be application/json, not {}", shorten(other)),
        )),
        None => Err(Refusal::new(SandboxCode::MalformedBody, "Content-Type: must be application/json")),
    }
}

fn check_timestamp(fields: &Fields, now_ms: i64, tolerance_ms: i64) -> Result<(), Refusal> {
    let refuse = |message: String| Refusal::new(SandboxCode::StaleTimestamp, message);
    let text = fields.text("timestamp").ok_or_else(|| refuse("timestamp: missing".to_owned()))?;
    let sent: i64 = text.parse().ok().filter(|_| text.bytes().all(|b| b.is_ascii_digit())).ok_or_else(|| {
        refuse(format!("timestamp: must be milliseconds since the Unix epoch, not {}", shorten(text)))
    })?;
    let distance = now_ms.abs_diff(sent);
    if distance <= tolerance_ms.unsigned_abs() {
        return Ok(());
    }
    let hint = if now_ms.abs_diff(sent.saturating_mul(1000)) <= tolerance_ms.unsigned_abs() {
        " (it looks like seconds: send milliseconds)"
    } else {
        ""
    };
    Err(refuse(format!(
        "timestamp: {sent} is {distance} ms away from the sandbox clock ({now_ms}); at most {} ms allowed{hint}",
        tolerance_ms.unsigned_abs()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(timestamp: &str) -> Fields {
        Fields::parse(format!(r#"{{"timestamp":"{timestamp}"}}"#).as_bytes()).expect("a valid body")
    }

    #[test]
    fn timestamps_within_the_tolerance_pass() {
        let now = 1_795_676_645_000;
        assert_eq!(check_timestamp(&fields(&now.to_string()), now, 300_000), Ok(()));
        assert_eq!(check_timestamp(&fields(&(now - 300_000).to_string()), now, 300_000), Ok(()));
        assert_eq!(check_timestamp(&fields(&(now + 300_000).to_string()), now, 300_000), Ok(()));
    }

    #[test]
    fn stale_or_odd_timestamps_are_named() {
        let now = 1_795_676_645_000;
        let message = |timestamp: &str| {
            check_timestamp(&fields(timestamp), now, 300_000).map_err(|refusal| (refusal.code, refusal.message))
        };
        let stale = message(&(now - 300_001).to_string()).expect_err("refused");
        assert_eq!(stale.0, SandboxCode::StaleTimestamp);
        assert!(
            stale.1.starts_with("timestamp: 1795676344999 is 300001 ms away from the sandbox clock"),
            "{}",
            stale.1
        );
        assert!(message("1795676645").expect_err("refused").1.contains("looks like seconds"));
        assert!(message("-5").expect_err("refused").1.contains("must be milliseconds"));
        assert!(message("").expect_err("refused").1.contains("timestamp: missing"));
    }
}
