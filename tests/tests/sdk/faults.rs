//! A network that stalls, drops or answers garbage never makes the SDK
//! report a false outcome or create a payment twice.
//!
//! Each case names the exact error kind, how long it took against the
//! deadline, and what the gateway ended up with.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use vexora::client::{CallOptions, Reconciliation};
use vexora::clock::Clock;
use vexora::resolve::{Resolution, ResolvePolicy};
use vexora::retry::RetryPolicy;
use vexora::taiwan::{BalanceRequest, CheckoutRequest, PayInQueryRequest};
use vexora::transport::{RecordingTransport, TransportErrorKind};
use vexora::types::{TradeNo, TradeStatus};
use vexora::{Client, Config, Error};
use vexora_sandbox::RunningSandbox;
use vexora_tests::{ewallet_order, generic_canonical, md5_hex, sandbox_config};

use crate::backends::Backend;
use crate::sandbox_support::{SECRET, get, post_json, sandbox};

const DEADLINE: Duration = Duration::from_millis(800);
/// What a deadline may overshoot by on a busy 2-core machine.
const SLACK: Duration = Duration::from_millis(700);

fn config(base_url: &str) -> Config {
    sandbox_config(base_url)
        .timeout(DEADLINE)
        .retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(50),
        })
        .order_not_found_code("9008")
        .duplicate_trade_no_code("9005")
        .build()
        .expect("valid configuration")
}

fn client<B: Backend>(sandbox: &RunningSandbox) -> Client<B::Transport> {
    client_at::<B>(&sandbox.base_url("taiwan"))
}

fn client_at<B: Backend>(base_url: &str) -> Client<B::Transport> {
    Client::with_transport(config(base_url), B::transport())
}

fn order() -> CheckoutRequest {
    ewallet_order(&format!("10.9.{}.{}", rand_octet(), rand_octet()), "http://127.0.0.1:9/notify")
}

fn rand_octet() -> u8 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    u8::try_from(NEXT.fetch_add(1, Ordering::Relaxed) % 250).unwrap_or(1)
}

async fn fault(sandbox: &RunningSandbox, fault: &str) {
    let reply = post_json(sandbox.addr(), "/sandbox/faults", None, fault).await;
    assert!(reply.status < 300, "{}", reply.body);
}

async fn orders_for(sandbox: &RunningSandbox, trade_no: &TradeNo) -> usize {
    let orders: Value = get(sandbox.addr(), "/sandbox/orders").await.json();
    let list = orders.as_array().or_else(|| orders["orders"].as_array()).cloned().unwrap_or_default();
    list.iter().filter(|order| order["tradeNo"] == trade_no.as_str()).count()
}

/// Requests the sandbox received (control calls such as posting a fault included).
fn requests(sandbox: &RunningSandbox) -> u64 {
    sandbox.stats().requests
}

/// Unwraps an outcome-unknown error carrying the request's tradeNo.
fn outcome_unknown(result: Result<impl std::fmt::Debug, Error>, trade_no: &TradeNo) -> Error {
    match result {
        Err(Error::OutcomeUnknown { keys, cause }) => {
            assert_eq!(keys.iter().collect::<Vec<_>>(), [("tradeNo", trade_no.as_str())]);
            *cause
        }
        other => panic!("expected an outcome-unknown error, got {other:?}"),
    }
}

fn assert_within_deadline(started: Instant) {
    let elapsed = started.elapsed();
    assert!(elapsed <= DEADLINE + SLACK, "took {elapsed:?} for a {DEADLINE:?} deadline");
}

// ---- purpose-built servers -------------------------------------------------

/// Accepts connections and runs `serve` on each, on threads; returns the base URL.
fn server(serve: fn(std::net::TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    format!("http://{addr}/taiwan")
}

fn drain_request(stream: &mut std::net::TcpStream) {
    let mut buffer = [0u8; 8192];
    let _ = stream.set_read_timeout(Some(Duration::from_millis(300)));
    let _ = stream.read(&mut buffer);
}

fn respond(mut stream: std::net::TcpStream, content_type: &str, body: &[u8]) {
    drain_request(&mut stream);
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

// ---- the cases ---------------------------------------------------------------

async fn a_black_hole_times_out_within_the_deadline<B: Backend>() {
    let base = server(|mut stream| {
        drain_request(&mut stream);
        std::thread::sleep(Duration::from_secs(5));
    });
    let client = client_at::<B>(&base);
    let request = order();
    let started = Instant::now();
    let cause = outcome_unknown(client.send(&request).await, &request.trade_no);
    assert_within_deadline(started);
    assert!(matches!(&cause, Error::Transport(e) if e.kind() == TransportErrorKind::Timeout), "{cause:?}");

    // A read is retried, but never past the same deadline.
    let started = Instant::now();
    match client.send(&PayInQueryRequest::new(request.trade_no.clone())).await {
        Err(Error::Transport(e)) => assert_eq!(e.kind(), TransportErrorKind::Timeout),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_within_deadline(started);
}

async fn a_stalled_body_times_out_within_the_deadline<B: Backend>() {
    let base = server(|mut stream| {
        drain_request(&mut stream);
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"msg\"");
        std::thread::sleep(Duration::from_secs(5));
    });
    let request = order();
    let started = Instant::now();
    let cause = outcome_unknown(client_at::<B>(&base).send(&request).await, &request.trade_no);
    assert_within_deadline(started);
    assert!(matches!(&cause, Error::Transport(e) if e.kind() == TransportErrorKind::Timeout), "{cause:?}");
}

async fn an_oversized_body_is_a_bad_response<B: Backend>() {
    let base = server(|stream| {
        let body = format!("{{\"code\":\"0000\",\"msg\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
        respond(stream, "application/json", body.as_bytes());
    });
    match client_at::<B>(&base).send(&BalanceRequest::builder().build()).await {
        Err(Error::BadResponse { status: 200, reason, excerpt }) => {
            assert!(reason.contains("larger than 1048576 bytes"), "{reason}");
            assert!(excerpt.len() <= 200);
        }
        other => panic!("expected a bad response, got {other:?}"),
    }
}

async fn wrong_content_type_and_empty_bodies_are_bad_responses<B: Backend>() {
    let text_plain = server(|stream| {
        let body = br#"{"code":"0000","msg":"success","data":{"availableAmount":"1","freezeAmount":"0","unsettledAmount":"0"}}"#;
        respond(stream, "text/plain", body);
    });
    let empty = server(|stream| respond(stream, "application/json", b""));
    for (base, needle) in [(text_plain, "is not JSON"), (empty, "not a gateway envelope")] {
        match client_at::<B>(&base).send(&BalanceRequest::builder().build()).await {
            Err(Error::BadResponse { reason, .. }) => assert!(reason.contains(needle), "{reason}"),
            other => panic!("expected a bad response, got {other:?}"),
        }
    }
}

/// Answers with `status_line` (e.g. `218 This Is Fine`), a header whose value
/// is not ASCII (legal in HTTP as obs-text), and `body` as JSON.
fn respond_unusually(mut stream: std::net::TcpStream, status_line: &str, body: &[u8]) {
    drain_request(&mut stream);
    let mut head = format!("HTTP/1.1 {status_line}\r\nContent-Type: application/json\r\n").into_bytes();
    head.extend_from_slice(b"X-Note: caf\xe9 cr\xe8me\r\n");
    head.extend_from_slice(format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()).as_bytes());
    let _ = stream.write_all(&head);
    let _ = stream.write_all(body);
}

/// A status code outside the usual list, or a header that is not ASCII,
/// comes from outside the process: it is read (or refused), never a panic.
async fn unlisted_statuses_and_non_ascii_headers_are_read_without_panicking<B: Backend>() {
    let unlisted_success = server(|stream| {
        let body = br#"{"code":"0000","msg":"success","data":{"availableAmount":"12.50","freezeAmount":"0","unsettledAmount":"0"}}"#;
        respond_unusually(stream, "218 This Is Fine", body);
    });
    let balance = client_at::<B>(&unlisted_success)
        .send(&BalanceRequest::builder().build())
        .await
        .expect("a 2xx envelope is read");
    assert_eq!(balance.available_amount.as_str(), "12.50");

    // The exact status reaches the caller, even one no registry lists.
    let unlisted_failure = server(|stream| respond_unusually(stream, "599 Network Connect Timeout", b"{}"));
    let request = order();
    match outcome_unknown(client_at::<B>(&unlisted_failure).send(&request).await, &request.trade_no) {
        Error::BadResponse { status: 599, .. } => {}
        other => panic!("expected a 599 bad response cause, got {other:?}"),
    }
}

async fn a_refused_connection_is_retried_even_for_a_create_then_reported<B: Backend>() {
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address");
    let request = order();
    let started = Instant::now();
    match client_at::<B>(&format!("http://{closed}/taiwan")).send(&request).await {
        // Provably never sent: a plain transport error, not "outcome unknown".
        Err(Error::Transport(e)) => assert_eq!(e.kind(), TransportErrorKind::Connect),
        other => panic!("expected a connect error, got {other:?}"),
    }
    assert_within_deadline(started);
}

async fn a_checkout_answer_dropped_after_processing_reconciles_to_the_existing_order<B: Backend>() {
    let sandbox = sandbox().await;
    let client = client::<B>(&sandbox);
    let request = order();
    fault(&sandbox, r#"{"drop_connection": true, "path": "/taiwan/v1/vexora/checkout"}"#).await;
    let before = requests(&sandbox);

    let cause = outcome_unknown(client.send(&request).await, &request.trade_no);
    assert!(matches!(&cause, Error::Transport(e) if e.may_have_reached_gateway()), "{cause:?}");
    assert_eq!(requests(&sandbox) - before, 1, "a create is never resent after an ambiguous failure");

    match client.reconcile(&request).await.expect("the query works") {
        Reconciliation::Found(found) => assert_eq!(found.status, TradeStatus::Processing),
        other => panic!("the order exists, got {other:?}"),
    }
    // The merchant's retry with the same tradeNo cannot make a second order.
    assert!(matches!(client.send(&request).await, Err(Error::Refused { code, .. }) if code == "9005"));
    assert_eq!(orders_for(&sandbox, &request.trade_no).await, 1);
}

async fn a_checkout_dropped_before_processing_reconciles_to_none_and_is_safely_retried<B: Backend>() {
    let sandbox = sandbox().await;
    let client = client::<B>(&sandbox);
    let request = order();
    fault(&sandbox, r#"{"drop_connection": true, "before_processing": true, "path": "/taiwan/v1/vexora/checkout"}"#)
        .await;

    outcome_unknown(client.send(&request).await, &request.trade_no);
    assert_eq!(client.reconcile(&request).await.expect("the query works"), Reconciliation::NotFound);
    let created = client.send(&request).await.expect("the retry with the same tradeNo is accepted");
    assert_eq!(created.trade_no, request.trade_no.as_str());
    assert_eq!(orders_for(&sandbox, &request.trade_no).await, 1);
}

async fn server_errors_make_a_create_unknown_and_a_read_retry<B: Backend>() {
    for status in [500, 502, 503] {
        let sandbox = sandbox().await;
        let client = client::<B>(&sandbox);
        let request = order();
        fault(&sandbox, &format!(r#"{{"http_status": {status}, "path": "/taiwan/v1/vexora/checkout"}}"#)).await;
        let before = requests(&sandbox);
        let cause = outcome_unknown(client.send(&request).await, &request.trade_no);
        match cause {
            Error::BadResponse { status: got, excerpt, .. } => {
                assert_eq!(got, status);
                assert!(excerpt.contains('<'), "an HTML error page: {excerpt}");
            }
            other => panic!("expected a bad response cause, got {other:?}"),
        }
        assert_eq!(requests(&sandbox) - before, 1, "sent once");

        // The same failure once on a read: retried, re-signed, answered.
        fault(&sandbox, &format!(r#"{{"http_status": {status}, "path": "/taiwan/v1/vexora/queryPayInResult"}}"#)).await;
        let before = requests(&sandbox);
        let found = client.send(&PayInQueryRequest::new(request.trade_no.clone())).await.expect("the retry succeeds");
        assert_eq!(found.status, TradeStatus::Processing);
        assert_eq!(requests(&sandbox) - before, 2, "one failed attempt, one good one");
    }
}

async fn a_read_that_keeps_failing_reports_the_last_failure<B: Backend>() {
    let sandbox = sandbox().await;
    fault(&sandbox, r#"{"http_status": 502, "times": 10, "path": "/taiwan/v1/vexora/queryBalance"}"#).await;
    let before = requests(&sandbox);
    match client::<B>(&sandbox).send(&BalanceRequest::builder().build()).await {
        Err(Error::BadResponse { status: 502, .. }) => {}
        other => panic!("expected a 502 bad response, got {other:?}"),
    }
    assert_eq!(requests(&sandbox) - before, 3, "max_attempts");
}

async fn truncated_json_is_a_bad_response_and_not_retried<B: Backend>() {
    let sandbox = sandbox().await;
    fault(&sandbox, r#"{"malformed_json": true, "path": "/taiwan/v1/vexora/queryBalance"}"#).await;
    let before = requests(&sandbox);
    match client::<B>(&sandbox).send(&BalanceRequest::builder().build()).await {
        Err(Error::BadResponse { status: 200, reason, .. }) => assert!(reason.contains("not a gateway envelope")),
        other => panic!("expected a bad response, got {other:?}"),
    }
    assert_eq!(requests(&sandbox) - before, 1);
}

async fn gateway_code_5000_retries_a_read_and_makes_a_create_unknown<B: Backend>() {
    let sandbox = sandbox().await;
    let client = client::<B>(&sandbox);
    fault(&sandbox, r#"{"gateway_code": "5000", "path": "/taiwan/v1/vexora/queryBalance"}"#).await;
    let before = requests(&sandbox);
    client.send(&BalanceRequest::builder().build()).await.expect("retried after 5000");
    assert_eq!(requests(&sandbox) - before, 2);

    let request = order();
    fault(&sandbox, r#"{"gateway_code": "5000", "path": "/taiwan/v1/vexora/checkout"}"#).await;
    let cause = outcome_unknown(client.send(&request).await, &request.trade_no);
    assert!(matches!(cause, Error::Refused { code, .. } if code == "5000"));
}

async fn slow_answers_within_the_deadline_succeed<B: Backend>() {
    let sandbox = sandbox().await;
    fault(&sandbox, r#"{"delay_ms": 300, "path": "/taiwan/v1/vexora/checkout"}"#).await;
    let request = order();
    let started = Instant::now();
    client::<B>(&sandbox).send(&request).await.expect("slow but in time");
    assert!(started.elapsed() >= Duration::from_millis(300));
}

async fn a_per_call_deadline_overrides_the_clients<B: Backend>() {
    let sandbox = sandbox().await;
    fault(&sandbox, r#"{"delay_ms": 600, "path": "/taiwan/v1/vexora/queryBalance"}"#).await;
    let request = vexora::taiwan::BalanceRequest::builder().build();
    let options = CallOptions { timeout: Some(Duration::from_millis(200)), retry: Some(RetryPolicy::never()) };
    let started = Instant::now();
    match client::<B>(&sandbox).send_with(&request, options).await {
        Err(Error::Transport(e)) => assert_eq!(e.kind(), TransportErrorKind::Timeout),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_millis(200) + SLACK);
}

/// A clock that moves on 1 ms at each reading, so every attempt is stamped
/// (and therefore signed) differently.
struct Ticking(AtomicU64);

impl Clock for Ticking {
    fn now_millis(&self) -> u64 {
        self.0.fetch_add(1, Ordering::Relaxed)
    }
}

#[tokio::test]
async fn each_retry_of_a_read_is_restamped_and_resigned_and_a_create_is_sent_once() {
    let transport = RecordingTransport::new();
    transport.reply(503, "<html>busy</html>").reply(503, "<html>busy</html>").reply(
        200,
        r#"{"code":"0000","msg":"success","data":{"availableAmount":"1","freezeAmount":"0","unsettledAmount":"0"}}"#,
    );
    let client = Client::with_transport(config("https://gateway.example/taiwan"), transport.clone())
        .with_clock(Ticking(AtomicU64::new(1_764_115_200_000)));
    client.send(&BalanceRequest::builder().build()).await.expect("third time lucky");
    let sent = transport.requests();
    assert_eq!(sent.len(), 3);
    let mut signs = Vec::new();
    for request in &sent {
        let body: serde_json::Map<String, Value> = serde_json::from_slice(&request.body).expect("JSON");
        assert_eq!(body["sign"], md5_hex(&generic_canonical(&body), SECRET), "each attempt is signed correctly");
        signs.push(body["sign"].clone());
    }
    signs.dedup();
    assert_eq!(signs.len(), 3, "each attempt has its own timestamp and signature");

    let transport = RecordingTransport::new();
    transport.reply(503, "<html>busy</html>");
    let client = Client::with_transport(config("https://gateway.example/taiwan"), transport.clone());
    let request = order();
    outcome_unknown(client.send(&request).await, &request.trade_no);
    assert_eq!(transport.requests().len(), 1, "a create is never resent after an ambiguous failure");
}

/// A policy whose "not found" is trusted `settle` after an ambiguous attempt.
fn settling(settle: Duration) -> ResolvePolicy {
    ResolvePolicy {
        deadline: Duration::from_secs(10),
        settle_delay: settle,
        initial_backoff: Duration::from_millis(25),
        max_backoff: Duration::from_millis(100),
    }
}

/// A sandbox slow to create: the answer is lost after the order was made,
/// and queries do not see it for 400 ms. Trusting "not found" only after
/// the settle delay, the resolving create finds it; trusting it too soon,
/// it resends the same tradeNo, which the gateway refuses with its
/// (configured) duplicate code, so it knows the order exists and looks
/// until it shows. Never two orders.
async fn a_gateway_slow_to_create_is_resolved_without_a_second_order<B: Backend>() {
    let slow = r#"{"drop_connection": true, "visible_after_ms": 400, "path": "/taiwan/v1/vexora/checkout"}"#;
    for settle in [Duration::from_millis(800), Duration::from_millis(50)] {
        let sandbox = sandbox().await;
        let client = client::<B>(&sandbox);
        let request = order();
        fault(&sandbox, slow).await;
        match client.create_with(&request, settling(settle)).await {
            Ok(Resolution::FoundExisting(found)) => assert_eq!(found.trade_no, request.trade_no),
            other => panic!("settle {settle:?}: expected the existing order, got {other:?}"),
        }
        assert_eq!(orders_for(&sandbox, &request.trade_no).await, 1, "settle {settle:?}");
    }
}

/// Lost before the gateway made anything: "not found" after the settle
/// delay, and the same tradeNo is created once.
async fn a_create_lost_before_processing_is_resent_once_and_made<B: Backend>() {
    let sandbox = sandbox().await;
    let client = client::<B>(&sandbox);
    let request = order();
    fault(&sandbox, r#"{"drop_connection": true, "before_processing": true, "path": "/taiwan/v1/vexora/checkout"}"#)
        .await;
    match client.create_with(&request, settling(Duration::from_millis(200))).await {
        Ok(Resolution::Created(created)) => assert_eq!(created.trade_no, request.trade_no.as_str()),
        other => panic!("expected the order made by the resend, got {other:?}"),
    }
    assert_eq!(orders_for(&sandbox, &request.trade_no).await, 1);
}

on_every_backend!(
    a_gateway_slow_to_create_is_resolved_without_a_second_order,
    a_create_lost_before_processing_is_resent_once_and_made,
    a_black_hole_times_out_within_the_deadline,
    a_stalled_body_times_out_within_the_deadline,
    an_oversized_body_is_a_bad_response,
    wrong_content_type_and_empty_bodies_are_bad_responses,
    unlisted_statuses_and_non_ascii_headers_are_read_without_panicking,
    a_refused_connection_is_retried_even_for_a_create_then_reported,
    a_checkout_answer_dropped_after_processing_reconciles_to_the_existing_order,
    a_checkout_dropped_before_processing_reconciles_to_none_and_is_safely_retried,
    server_errors_make_a_create_unknown_and_a_read_retry,
    a_read_that_keeps_failing_reports_the_last_failure,
    truncated_json_is_a_bad_response_and_not_retried,
    gateway_code_5000_retries_a_read_and_makes_a_create_unknown,
    slow_answers_within_the_deadline_succeed,
    a_per_call_deadline_overrides_the_clients,
);
