//! The sandbox against hostile clients, over raw TCP: oversized bodies,
//! malformed JSON, slow senders and thousands of connections. Whatever
//! arrives it answers or refuses, never stops serving, and its memory stays
//! bounded; every test ends with a valid signed checkout still accepted.
//!
//! Memory is the test process's RSS (`/proc/self/status`), which holds the
//! in-process sandbox; the raw clients keep nothing but their sockets. The
//! tests that measure it run alone (they hold [`crate::PROCESS`] alone).
//! Run one at a time in a fresh process with `--nocapture` to see clean
//! measurements (RELIABILITY.md): in a shared process, heap freed by an
//! earlier test is reused and hides growth.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;
use vexora_sandbox::{RunningSandbox, SandboxConfig};

use crate::PROCESS;
use crate::sandbox_support::*;

/// The sandbox's default `max_body_bytes`.
const BODY_LIMIT: usize = 64 * 1024;
/// What the oversized clients try to send.
const OVERSIZED: usize = 10 * 1024 * 1024;
/// The head of a checkout POST by the test merchant to the sandbox at
/// `addr`, up to its framing header.
fn api_head(addr: SocketAddr) -> String {
    format!(
        "POST /taiwan/v1/vexora/checkout HTTP/1.1\r\nHost: {addr}\r\nmerchantNo: 0000000001\r\n\
         Content-Type: application/json\r\n"
    )
}

/// A field of `/proc/self/status` in KiB (`VmRSS`, `VmHWM`); `None` where
/// there is no procfs, and the memory assertions are skipped.
fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field) && line[field.len()..].starts_with(':'))?;
    line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()
}

fn rss_kib() -> Option<u64> {
    memory_kib("VmRSS")
}

/// Asserts the sandbox still accepts a valid signed checkout: each call a
/// new `tradeNo` and payer IP.
async fn assert_still_serves(sandbox: &RunningSandbox) {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let fields = checkout_fields(&format!("HOSTILE-{n}"), &format!("198.18.0.{n}"), "http://127.0.0.1:9/notify");
    let data = checkout(sandbox.addr(), fields).await;
    assert_eq!(data["status"], "0015", "{data}");
}

/// Reads until the peer closes (EOF or reset) or `within` passes; returns
/// what arrived and whether the peer closed.
async fn read_until_closed(reader: &mut (impl AsyncRead + Unpin), within: Duration) -> (Vec<u8>, bool) {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, reader.read(&mut buffer)).await {
            Ok(Ok(0)) => return (received, true),
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
            // Linux hands out what arrived before a reset, then the reset.
            Ok(Err(error)) => {
                assert_eq!(error.kind(), std::io::ErrorKind::ConnectionReset, "{error}");
                return (received, true);
            }
            Err(_) => return (received, false),
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(300)]).into_owned()
}

/// How an oversized body is framed.
#[derive(Debug, Clone, Copy)]
enum Framing {
    /// `Content-Length` says how big it is.
    Declared,
    /// `Transfer-Encoding: chunked`: the size shows only while reading.
    Chunked,
}

/// Sends a head, then pushes up to `size` body bytes while reading the
/// answer; returns the answer and how many body bytes the socket took
/// before the sandbox closed it.
async fn push_body(addr: SocketAddr, framing: Framing, size: usize) -> (Vec<u8>, usize) {
    let stream = TcpStream::connect(addr).await.expect("connects");
    let (mut reader, mut writer) = stream.into_split();
    let framing_header = match framing {
        Framing::Declared => format!("Content-Length: {size}\r\n\r\n"),
        Framing::Chunked => "Transfer-Encoding: chunked\r\n\r\n".to_owned(),
    };
    writer.write_all(format!("{}{framing_header}", api_head(addr)).as_bytes()).await.expect("sends the head");
    let push = tokio::spawn(async move {
        let piece = vec![b' '; 16 * 1024];
        let mut sent = 0;
        while sent < size {
            let written = match framing {
                Framing::Declared => writer.write_all(&piece).await,
                Framing::Chunked => writer.write_all(format!("{:x}\r\n", piece.len()).as_bytes()).await,
            };
            let written = match (written, framing) {
                (Ok(()), Framing::Chunked) => {
                    async {
                        writer.write_all(&piece).await?;
                        writer.write_all(b"\r\n").await
                    }
                    .await
                }
                (other, _) => other,
            };
            // A broken pipe or a reset: the sandbox closed, as it should.
            if written.is_err() {
                break;
            }
            sent += piece.len();
        }
        sent
    });
    let (answer, closed) = read_until_closed(&mut reader, Duration::from_secs(10)).await;
    assert!(closed, "the sandbox kept the connection open after: {}", text(&answer));
    (answer, push.await.expect("the writer ends"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_megabyte_bodies_are_refused_without_being_buffered() {
    let _alone = PROCESS.write().await;
    let sandbox = sandbox().await;
    let addr = sandbox.addr();
    let before = rss_kib();
    // 16 clients at once, half declaring 10 MB up front, half streaming it
    // chunked: 160 MB offered in all.
    let mut clients = JoinSet::new();
    for n in 0..16 {
        let framing = if n % 2 == 0 { Framing::Declared } else { Framing::Chunked };
        clients.spawn(async move { (framing, push_body(addr, framing, OVERSIZED).await) });
    }
    while let Some(client) = clients.join_next().await {
        let (framing, (answer, sent)) = client.expect("a client panicked");
        assert!(answer.starts_with(b"HTTP/1.1 413"), "{framing:?}: {}", text(&answer));
        assert!(text(&answer).to_ascii_lowercase().contains("connection: close"), "{}", text(&answer));
        // The sandbox closed long before the end: the socket buffers, not
        // the sandbox, took what was sent.
        assert!(sent < OVERSIZED, "{framing:?}: all {sent} bytes were taken");
    }
    if let (Some(before), Some(after)) = (before, rss_kib()) {
        let growth = after.saturating_sub(before);
        eprintln!("RSS {before} KiB -> {after} KiB (+{growth} KiB) after 16 x 10 MB bodies");
        assert!(growth < 32 * 1024, "the sandbox grew by {growth} KiB");
    }
    assert_still_serves(&sandbox).await;
}

/// A body of `size` bytes, with the given framing, sent whole; returns the answer.
async fn send_body(addr: SocketAddr, framing: Framing, body: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    let mut request = format!("{}Connection: close\r\n", api_head(addr)).into_bytes();
    match framing {
        Framing::Declared => {
            request.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            request.extend_from_slice(body);
        }
        Framing::Chunked => {
            request.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
            for chunk in body.chunks(10_000) {
                request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                request.extend_from_slice(chunk);
                request.extend_from_slice(b"\r\n");
            }
            request.extend_from_slice(b"0\r\n\r\n");
        }
    }
    // The sandbox may close before taking it all; the answer tells.
    let _ = stream.write_all(&request).await;
    let (answer, closed) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(closed || !answer.is_empty(), "no answer");
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_body_limit_is_exact_for_both_framings() {
    let _shared = PROCESS.read().await;
    let sandbox = sandbox().await;
    for framing in [Framing::Declared, Framing::Chunked] {
        // At the limit: read whole and judged (an unsigned object: 9002).
        let mut at_limit = br#"{"tradeNo":"LIMIT-1"}"#.to_vec();
        at_limit.resize(BODY_LIMIT, b' ');
        let answer = send_body(sandbox.addr(), framing, &at_limit).await;
        assert!(answer.starts_with(b"HTTP/1.1 200"), "{framing:?}: {}", text(&answer));
        assert!(text(&answer).contains(r#""code":"9002""#), "{framing:?}: {}", text(&answer));
        // One byte more: refused.
        let answer = send_body(sandbox.addr(), framing, &vec![b' '; BODY_LIMIT + 1]).await;
        assert!(answer.starts_with(b"HTTP/1.1 413"), "{framing:?}: {}", text(&answer));
    }
    // The limit is a setting.
    let small = sandbox_with(SandboxConfig::default().max_body_bytes(100)).await;
    let answer = send_body(small.addr(), Framing::Declared, &[b' '; 101]).await;
    assert!(answer.starts_with(b"HTTP/1.1 413"), "{}", text(&answer));
    assert_still_serves(&sandbox).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_is_refused_with_9009() {
    let _shared = PROCESS.read().await;
    let sandbox = sandbox().await;
    let deep_array = "[".repeat(60_000);
    let deep_member = format!(r#"{{"tradeNo":{}"#, "[".repeat(60_000));
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("blank", b"  \r\n ".to_vec()),
        ("cut off", br#"{"tradeNo":"#.to_vec()),
        ("not JSON", b"tradeNo=1&amount=300".to_vec()),
        ("not UTF-8", vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}']),
        ("NUL bytes", vec![0; 1000]),
        ("an array", b"[1,2,3]".to_vec()),
        ("a string", br#""checkout""#.to_vec()),
        ("trailing garbage", br#"{"tradeNo":"1"}{"#.to_vec()),
        ("duplicate key", br#"{"tradeNo":"1","tradeNo":"2"}"#.to_vec()),
        ("nested object", br#"{"tradeNo":{"a":1}}"#.to_vec()),
        ("60,000 nested arrays", deep_array.into_bytes()),
        ("60,000 nested arrays in a member", deep_member.into_bytes()),
        ("bad escape", br#"{"tradeNo":"\u12"}"#.to_vec()),
        ("lone surrogate", br#"{"tradeNo":"\ud800"}"#.to_vec()),
        ("huge number", format!(r#"{{"amount":1{}}}"#, "0".repeat(30_000)).into_bytes()),
    ];
    for (name, body) in &bodies {
        let reply = http(
            sandbox.addr(),
            "POST",
            CHECKOUT,
            &[("Content-Type", "application/json"), ("merchantNo", MERCHANT)],
            body,
        )
        .await;
        assert_eq!(reply.status, 200, "{name}: {}", reply.body);
        let envelope = reply.json();
        // A huge number is valid JSON: it is refused later, by the signature check.
        let expected = if *name == "huge number" { "9002" } else { "9009" };
        assert_eq!(envelope["code"], expected, "{name}: {envelope}");
        assert_eq!(envelope["success"], false, "{name}: {envelope}");
    }
    // The sandbox's own JSON routes refuse it too, with 400.
    let reply =
        http(sandbox.addr(), "POST", "/sandbox/faults", &[("Content-Type", "application/json")], b"{\"delay_ms\":")
            .await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_still_serves(&sandbox).await;
}

/// Writes `first`, then one byte of `trickle` every `every`, until the
/// sandbox closes or `trickle` runs out; then keeps the connection open
/// (dropping the writer would end the request with EOF).
fn trickle(mut writer: tokio::net::tcp::OwnedWriteHalf, first: Vec<u8>, trickle: Vec<u8>, every: Duration) {
    tokio::spawn(async move {
        if writer.write_all(&first).await.is_err() {
            return;
        }
        for byte in trickle {
            tokio::time::sleep(every).await;
            if writer.write_all(&[byte]).await.is_err() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(writer);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_heads_are_cut_off_after_the_header_timeout() {
    let _shared = PROCESS.read().await;
    let timeout = Duration::from_millis(500);
    let sandbox = sandbox_with(SandboxConfig::default().header_read_timeout(timeout)).await;
    // 200 slowloris clients at once, each sending its head one byte every
    // 50 ms (it would take 10 s to finish), plus 200 that send nothing.
    let started = Instant::now();
    let mut clients = JoinSet::new();
    for n in 0..400 {
        let addr = sandbox.addr();
        clients.spawn(async move {
            let (mut reader, writer) = TcpStream::connect(addr).await.expect("connects").into_split();
            if n % 2 == 0 {
                let rest = "X-Slow: ".to_owned() + &"s".repeat(200);
                trickle(writer, b"POST /taiwan/v1/vexora/checkout HTTP/1.1\r\n".to_vec(), rest.into_bytes(), {
                    Duration::from_millis(50)
                });
                read_until_closed(&mut reader, Duration::from_secs(10)).await
            } else {
                let answer = read_until_closed(&mut reader, Duration::from_secs(10)).await;
                drop(writer);
                answer
            }
        });
    }
    while let Some(client) = clients.join_next().await {
        let (answer, closed) = client.expect("a client panicked");
        assert!(closed, "a slow client was kept open");
        // hyper closes without an answer when the head times out.
        assert!(answer.is_empty(), "{}", text(&answer));
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= timeout && elapsed < Duration::from_secs(5), "{elapsed:?}");
    eventually(|| (sandbox.open_connections() == 0).then_some(())).await;
    assert_still_serves(&sandbox).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_body_is_refused_with_408_even_while_bytes_keep_coming() {
    let _shared = PROCESS.read().await;
    let timeout = Duration::from_millis(500);
    let sandbox = sandbox_with(SandboxConfig::default().body_read_timeout(timeout)).await;
    for stalls in [true, false] {
        let (mut reader, writer) = TcpStream::connect(sandbox.addr()).await.expect("connects").into_split();
        let head = format!("{}Content-Length: 1000\r\n\r\n{{\"tradeNo\":", api_head(sandbox.addr())).into_bytes();
        // Either nothing after the first bytes, or one byte every 50 ms:
        // the deadline is for the whole body, not for each read.
        let rest = if stalls { Vec::new() } else { vec![b' '; 990] };
        let started = Instant::now();
        trickle(writer, head, rest, Duration::from_millis(50));
        let (answer, closed) = read_until_closed(&mut reader, Duration::from_secs(5)).await;
        let elapsed = started.elapsed();
        assert!(closed, "the connection stayed open");
        assert!(answer.starts_with(b"HTTP/1.1 408"), "{}", text(&answer));
        assert!(elapsed >= timeout && elapsed < Duration::from_secs(3), "{elapsed:?}");
    }
    assert_still_serves(&sandbox).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_head_is_refused_with_431() {
    let _shared = PROCESS.read().await;
    let sandbox = sandbox().await;
    let mut stream = TcpStream::connect(sandbox.addr()).await.expect("connects");
    let head = format!("GET /sandbox/stats HTTP/1.1\r\nHost: sandbox\r\nX-Big: {}\r\n\r\n", "b".repeat(100_000));
    let _ = stream.write_all(head.as_bytes()).await;
    let (answer, closed) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(closed);
    assert!(answer.starts_with(b"HTTP/1.1 431"), "{}", text(&answer));
    assert_still_serves(&sandbox).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_idle_connections_do_not_stop_a_real_request() {
    let _alone = PROCESS.write().await;
    let sandbox = sandbox().await;
    let before = rss_kib();
    let mut idle = Vec::with_capacity(2000);
    for _ in 0..2000 {
        let mut stream = TcpStream::connect(sandbox.addr()).await.expect("connects");
        // Half a request line: the connection's read buffer is in use.
        stream.write_all(b"POST /taiwan/v1/vexora/check").await.expect("sends");
        idle.push(stream);
    }
    eventually(|| (sandbox.open_connections() == 2000).then_some(())).await;
    if let (Some(before), Some(after)) = (before, rss_kib()) {
        let growth = after.saturating_sub(before);
        eprintln!(
            "RSS {before} KiB -> {after} KiB (+{growth} KiB, {} KiB a connection) with 2,000 idle connections",
            { growth / 2000 }
        );
        assert!(growth < 64 * 1024, "2,000 idle connections cost {growth} KiB");
    }
    assert_still_serves(&sandbox).await;
    drop(idle);
    eventually(|| (sandbox.open_connections() == 0).then_some(())).await;
    assert_eq!(sandbox.refused_connections(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_limit_are_refused_and_the_sandbox_recovers() {
    let _shared = PROCESS.read().await;
    // (Idle connections being closed by the header timeout is
    // `slow_heads_are_cut_off_after_the_header_timeout`; here they stay.)
    let sandbox = sandbox_with(SandboxConfig::default().max_connections(50)).await;
    let mut idle = Vec::new();
    for _ in 0..50 {
        idle.push(TcpStream::connect(sandbox.addr()).await.expect("connects"));
    }
    eventually(|| (sandbox.open_connections() == 50).then_some(())).await;
    // Every connection over the limit: a 503 at once, then closed.
    let mut refused = JoinSet::new();
    for _ in 0..1000 {
        let addr = sandbox.addr();
        refused.spawn(async move {
            let mut stream = TcpStream::connect(addr).await.expect("connects");
            read_until_closed(&mut stream, Duration::from_secs(5)).await
        });
    }
    while let Some(client) = refused.join_next().await {
        let (answer, closed) = client.expect("a client panicked");
        assert!(closed && answer.starts_with(b"HTTP/1.1 503"), "{}", text(&answer));
    }
    assert_eq!(sandbox.refused_connections(), 1000);
    assert_eq!(sandbox.open_connections(), 50);
    // A closed connection frees its place.
    drop(idle);
    eventually(|| (sandbox.open_connections() == 0).then_some(())).await;
    assert_still_serves(&sandbox).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_is_bounded_with_every_connection_holding_a_body() {
    let _alone = PROCESS.write().await;
    // The worst a client can do within the limits: every connection part
    // way through the largest body, none finishing.
    let connections = 1000;
    let sandbox = sandbox().await;
    let before = rss_kib();
    let mut holding = Vec::with_capacity(connections);
    for _ in 0..connections {
        let mut stream = TcpStream::connect(sandbox.addr()).await.expect("connects");
        let head = format!("{}Content-Length: {BODY_LIMIT}\r\n\r\n", api_head(sandbox.addr()));
        stream.write_all(head.as_bytes()).await.expect("sends the head");
        stream.write_all(&vec![b' '; BODY_LIMIT - 1]).await.expect("sends the body but one byte");
        holding.push(stream);
    }
    eventually(|| (sandbox.open_connections() == connections).then_some(())).await;
    // Let the sandbox take in what was sent.
    tokio::time::sleep(Duration::from_millis(500)).await;
    if let (Some(before), Some(after)) = (before, rss_kib()) {
        let growth = after.saturating_sub(before);
        eprintln!(
            "RSS {before} KiB -> {after} KiB (+{growth} KiB, {} KiB a connection) with {connections} connections \
             each holding a {BODY_LIMIT}-byte body but one byte",
            growth / connections as u64
        );
        // Per connection: the body (64 KiB) and hyper's read buffer (16 KiB),
        // with room for the allocator.
        let bound = connections as u64 * (64 + 16) * 3 / 2;
        assert!(growth < bound, "grew {growth} KiB, more than {bound} KiB");
    }
    // Each is still answered once its last byte arrives.
    for stream in holding.iter_mut().take(10) {
        stream.write_all(b" ").await.expect("sends the last byte");
        let mut answer = [0u8; 12];
        stream.read_exact(&mut answer).await.expect("an answer");
        assert_eq!(&answer, b"HTTP/1.1 200");
    }
    drop(holding);
    eventually(|| (sandbox.open_connections() == 0).then_some(())).await;
    assert_still_serves(&sandbox).await;
}
