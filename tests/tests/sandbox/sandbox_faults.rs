//! The sandbox's fault switches, its counters, and starting and stopping it.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use vexora_sandbox::{Sandbox, SandboxConfig};

use crate::sandbox_support::*;

async fn add_fault(sandbox: &vexora_sandbox::RunningSandbox, fault: Value) {
    let reply = http(
        sandbox.addr(),
        "POST",
        "/sandbox/faults",
        &[("Content-Type", "application/json")],
        fault.to_string().as_bytes(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

/// The raw bytes of a signed checkout request.
fn checkout_request(addr: std::net::SocketAddr, trade_no: &str) -> Vec<u8> {
    let fields = checkout_fields(trade_no, "203.0.113.40", "http://127.0.0.1:9/n");
    let body = Value::Object(signed(fields.as_object().expect("an object").clone(), SECRET)).to_string();
    format!(
        "POST {CHECKOUT} HTTP/1.1\r\nHost: {addr}\r\nmerchantNo: {MERCHANT}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Sends raw bytes and reads until the server closes; a reset counts as closed.
async fn raw_exchange(addr: std::net::SocketAddr, request: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    stream.write_all(request).await.expect("sends");
    let mut received = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut received)).await;
    match read.expect("the server closes in time") {
        Ok(_) => {}
        Err(error) => assert_eq!(error.kind(), std::io::ErrorKind::ConnectionReset, "{error}"),
    }
    received
}

async fn order_status(sandbox: &vexora_sandbox::RunningSandbox, trade_no: &str) -> Value {
    let envelope = call(sandbox.addr(), QUERY, json!({ "tradeNo": trade_no })).await;
    if envelope["code"] == "0000" { envelope["data"]["status"].clone() } else { envelope["code"].clone() }
}

#[tokio::test]
async fn drop_connection_closes_without_any_response_after_processing() {
    let sandbox = sandbox().await;
    add_fault(&sandbox, json!({ "drop_connection": true, "path": CHECKOUT })).await;
    let received = raw_exchange(sandbox.addr(), &checkout_request(sandbox.addr(), "DROP-1")).await;
    assert!(received.is_empty(), "got {:?}", String::from_utf8_lossy(&received));
    // The order was created: reconciliation finds it.
    assert_eq!(order_status(&sandbox, "DROP-1").await, "0015");
    // Used up: the next checkout is answered.
    let received = raw_exchange(sandbox.addr(), &checkout_request(sandbox.addr(), "DROP-2")).await;
    assert!(received.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&received));
}

#[tokio::test]
async fn drop_connection_before_processing_creates_nothing() {
    let sandbox = sandbox().await;
    add_fault(&sandbox, json!({ "drop_connection": true, "before_processing": true })).await;
    let received = raw_exchange(sandbox.addr(), &checkout_request(sandbox.addr(), "DROP-3")).await;
    assert!(received.is_empty(), "got {:?}", String::from_utf8_lossy(&received));
    assert_eq!(order_status(&sandbox, "DROP-3").await, "9008");
}

#[tokio::test]
async fn delay_holds_the_answer() {
    let sandbox = sandbox().await;
    add_fault(&sandbox, json!({ "delay_ms": 300, "path": CHECKOUT })).await;
    let started = Instant::now();
    let data = checkout(sandbox.addr(), checkout_fields("SLOW-1", "203.0.113.41", "http://127.0.0.1:9/n")).await;
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
    assert_eq!(data["tradeNo"], "SLOW-1");
    // Used up.
    assert_eq!(get(sandbox.addr(), "/sandbox/faults").await.json(), json!({ "active": [] }));
}

#[tokio::test]
async fn http_status_answers_an_html_error_page() {
    let sandbox = sandbox().await;
    add_fault(&sandbox, json!({ "http_status": 502 })).await;
    let fields = checkout_fields("HTML-1", "203.0.113.42", "http://127.0.0.1:9/n");
    let body = Value::Object(signed(fields.as_object().unwrap().clone(), SECRET)).to_string();
    let reply = post_json(sandbox.addr(), CHECKOUT, Some(MERCHANT), &body).await;
    assert_eq!(reply.status, 502);
    assert_eq!(reply.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(reply.body.contains("502 Bad Gateway"), "{}", reply.body);
    assert_eq!(reply.header("x-vexora-sandbox-version"), Some(env!("CARGO_PKG_VERSION")));
    assert_eq!(order_status(&sandbox, "HTML-1").await, "0015");
}

#[tokio::test]
async fn malformed_json_answers_a_truncated_body() {
    let sandbox = sandbox().await;
    add_fault(&sandbox, json!({ "malformed_json": true, "path": CHECKOUT })).await;
    let fields = checkout_fields("TRUNC-1", "203.0.113.43", "http://127.0.0.1:9/n");
    let body = Value::Object(signed(fields.as_object().unwrap().clone(), SECRET)).to_string();
    let reply = post_json(sandbox.addr(), CHECKOUT, Some(MERCHANT), &body).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert!(reply.body.starts_with(r#"{"msg":"success""#), "{}", reply.body);
    assert!(serde_json::from_str::<Value>(&reply.body).is_err(), "{}", reply.body);
    assert_eq!(order_status(&sandbox, "TRUNC-1").await, "0015");
}

#[tokio::test]
async fn gateway_code_answers_the_envelope_with_that_code() {
    let sandbox = sandbox().await;
    add_fault(&sandbox, json!({ "gateway_code": "5000", "before_processing": true, "path": CHECKOUT })).await;
    let envelope =
        call(sandbox.addr(), CHECKOUT, checkout_fields("CODE-1", "203.0.113.44", "http://127.0.0.1:9/n")).await;
    assert_refused(&envelope, "5000", "system exception");
    assert_eq!(order_status(&sandbox, "CODE-1").await, "9008");
}

#[tokio::test]
async fn faults_match_their_path_and_count_then_clear() {
    let sandbox = sandbox().await;
    add_fault(&sandbox, json!({ "gateway_code": "8000", "times": 2, "path": QUERY })).await;
    let listed = get(sandbox.addr(), "/sandbox/faults").await.json();
    assert_eq!(listed["active"][0]["times"], 2);

    // Other paths, API or not, are not affected.
    checkout(sandbox.addr(), checkout_fields("PATH-1", "203.0.113.45", "http://127.0.0.1:9/n")).await;
    assert_eq!(get(sandbox.addr(), "/sandbox/stats").await.status, 200);
    for _ in 0..2 {
        assert_eq!(order_status(&sandbox, "PATH-1").await, "8000");
    }
    assert_eq!(order_status(&sandbox, "PATH-1").await, "0015");

    add_fault(&sandbox, json!({ "gateway_code": "5000", "times": 5 })).await;
    assert_eq!(order_status(&sandbox, "PATH-1").await, "5000");
    let cleared = http(sandbox.addr(), "DELETE", "/sandbox/faults", &[], b"").await;
    assert_eq!(cleared.json(), json!({ "active": [] }));
    assert_eq!(order_status(&sandbox, "PATH-1").await, "0015");
}

#[tokio::test]
async fn meaningless_faults_are_refused_with_the_reason() {
    let sandbox = sandbox().await;
    for (fault, needle) in [
        (r#"{"times": 0}"#, "times"),
        (r#"{"http_status": 200}"#, "http_status"),
        (r#"{"drop": true}"#, "unknown field `drop`"),
        ("nope", "not a fault"),
    ] {
        let reply =
            http(sandbox.addr(), "POST", "/sandbox/faults", &[("Content-Type", "application/json")], fault.as_bytes())
                .await;
        assert_eq!(reply.status, 400, "{fault}");
        assert!(reply.json()["error"].as_str().unwrap().contains(needle), "{}", reply.body);
    }
}

#[tokio::test]
async fn stats_count_connections_and_requests() {
    let sandbox = sandbox().await;
    for _ in 0..3 {
        get(sandbox.addr(), "/sandbox/faults").await;
    }
    // Two requests on one kept-alive connection.
    let mut stream = TcpStream::connect(sandbox.addr()).await.unwrap();
    stream
        .write_all(format!("GET /sandbox/faults HTTP/1.1\r\nHost: {}\r\n\r\n", sandbox.addr()).as_bytes())
        .await
        .unwrap();
    let mut first = Vec::new();
    while !first.ends_with(br#"{"active":[]}"#) {
        let mut buffer = [0u8; 1024];
        let read = stream.read(&mut buffer).await.unwrap();
        assert!(read > 0, "the connection was kept alive");
        first.extend_from_slice(&buffer[..read]);
    }
    stream
        .write_all(
            format!("GET /sandbox/stats HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", sandbox.addr()).as_bytes(),
        )
        .await
        .unwrap();
    let mut second = Vec::new();
    stream.read_to_end(&mut second).await.unwrap();
    let second = String::from_utf8(second).unwrap();
    let stats: Value = serde_json::from_str(second.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(stats, json!({ "connections_accepted": 4, "requests": 5 }));
    assert_eq!(sandbox.stats().connections_accepted, 4);
}

#[tokio::test]
async fn shutdown_stops_listening() {
    let sandbox = sandbox().await;
    let addr = sandbox.addr();
    assert_eq!(get(addr, "/sandbox/stats").await.status, 200);
    sandbox.shutdown().await;
    assert!(TcpStream::connect(addr).await.is_err());
}

#[test]
fn spawn_serves_callers_that_are_not_on_tokio() {
    let sandbox = Sandbox::spawn(SandboxConfig::default()).unwrap();
    assert!(sandbox.base_url("taiwan").starts_with("http://127.0.0.1:"));
    assert!(sandbox.base_url("taiwan").ends_with("/taiwan"));
    let addr = sandbox.addr();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream
        .write_all(format!("GET /sandbox/deliveries HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes())
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.ends_with("[]"), "{reply}");
    assert!(sandbox.deliveries().is_empty());
    assert_eq!(sandbox.stats().requests, 1);
    sandbox.shutdown();
    assert!(std::net::TcpStream::connect(addr).is_err());
}

#[tokio::test]
async fn debug_output_hides_the_secrets() {
    let sandbox = sandbox_with(SandboxConfig::default().merchant("0000000002", "second-secret")).await;
    let text = format!("{sandbox:?}");
    assert!(text.contains("0000000002"), "{text}");
    assert!(!text.contains("second-secret") && !text.contains(SECRET), "{text}");
}
