//! What the sandbox tests share: a raw HTTP/1.1 client (not the SDK's, so
//! the sandbox is tested on its own), request signing with md5 directly, the
//! seed's checkout fields, and a tiny notification receiver.
#![allow(dead_code)] // each test file uses a different part

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use vexora_sandbox::{RunningSandbox, Sandbox, SandboxConfig, TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};
use vexora_tests::{generic_canonical, md5_hex};

pub const CHECKOUT: &str = "/taiwan/v1/vexora/checkout";
pub const QUERY: &str = "/taiwan/v1/vexora/queryPayInResult";
pub const BALANCE: &str = "/taiwan/v1/vexora/queryBalance";
pub const MERCHANT: &str = TEST_MERCHANT_NO;
pub const SECRET: &str = TEST_MERCHANT_SECRET;

/// Every exchange in these tests ends well within this.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(10);

/// A sandbox on the test's runtime, retry ladder in milliseconds.
pub async fn sandbox() -> RunningSandbox {
    sandbox_with(SandboxConfig::default().time_scale(0.001)).await
}

pub async fn sandbox_with(config: SandboxConfig) -> RunningSandbox {
    Sandbox::start(config).await.expect("the sandbox starts")
}

/// An HTTP response, as read off the socket.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn parse(raw: &[u8]) -> Self {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response head");
        let head = std::str::from_utf8(&raw[..split]).expect("an ASCII head");
        let mut lines = head.split("\r\n");
        let status_line = lines.next().expect("a status line");
        let status = status_line.split(' ').nth(1).and_then(|code| code.parse().ok()).expect("a status code");
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        let chunked = headers
            .iter()
            .any(|(key, value)| key.eq_ignore_ascii_case("transfer-encoding") && value.contains("chunked"));
        if chunked {
            body = dechunk(&body);
        }
        Self { status, headers, body: String::from_utf8(body).expect("a UTF-8 body") }
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n").expect("a chunk size line");
        let size_text = std::str::from_utf8(&raw[..line_end]).expect("ASCII");
        let size = usize::from_str_radix(size_text.split(';').next().expect("size").trim(), 16).expect("hex size");
        if size == 0 {
            return body;
        }
        let start = line_end + 2;
        body.extend_from_slice(&raw[start..start + size]);
        raw = &raw[start + size + 2..];
    }
}

/// One request on a new connection (`Connection: close`), read to the end.
pub async fn http(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    http_to_host(addr, &addr.to_string(), method, path, headers, body).await
}

/// [`http`] with `host` in the `Host` header instead of `addr`, as a
/// browser sends a name that resolves to the sandbox (DNS rebinding).
pub async fn http_to_host(
    addr: SocketAddr,
    host: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await.expect("connects");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.expect("writes the head");
        stream.write_all(body).await.expect("writes the body");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.expect("reads the response");
        Reply::parse(&raw)
    };
    tokio::time::timeout(EXCHANGE_TIMEOUT, exchange).await.expect("the exchange ends in time")
}

pub async fn get(addr: SocketAddr, path: &str) -> Reply {
    http(addr, "GET", path, &[], b"").await
}

/// POSTs a JSON body as the SDK does: headers `merchantNo` and `Content-Type`.
pub async fn post_json(addr: SocketAddr, path: &str, merchant: Option<&str>, body: &str) -> Reply {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(merchant) = merchant {
        headers.push(("merchantNo", merchant));
    }
    http(addr, "POST", path, &headers, body.as_bytes()).await
}

/// Milliseconds since the epoch, as the SDK sends `timestamp`.
pub fn now_ms() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970");
    i64::try_from(since.as_millis()).expect("fits")
}

/// Adds `timestamp` (unless present) and the `sign` over every other field,
/// computed by the signing rule with md5 directly.
pub fn signed(mut fields: Map<String, Value>, secret: &str) -> Map<String, Value> {
    fields.entry("timestamp").or_insert_with(|| json!(now_ms().to_string()));
    let sign = md5_hex(&generic_canonical(&fields), secret);
    fields.insert("sign".into(), json!(sign));
    fields
}

/// A signed API call by the test merchant; returns the envelope.
pub async fn call(addr: SocketAddr, path: &str, fields: Value) -> Value {
    let fields = fields.as_object().expect("an object").clone();
    let body = Value::Object(signed(fields, SECRET)).to_string();
    let reply = post_json(addr, path, Some(MERCHANT), &body).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

/// The seed's NET_BANKING checkout, with a fresh `tradeNo` and the given
/// payer IP and `notifyUrl`.
pub fn checkout_fields(trade_no: &str, ip: &str, notify_url: &str) -> Value {
    json!({
        "tradeNo": trade_no,
        "amount": "300",
        "mobile": "0912345678",
        "firstname": "abc",
        "lastname": "efg",
        "email": "123@gmail.com",
        "channelCode": "NET_BANKING",
        "wayCode": "BANK_TRANSFER",
        "ipAddress": ip,
        "bankNumber": "808-0368988888888",
        "notifyUrl": notify_url,
        "returnUrl": "http://127.0.0.1:9/return",
        "remark": "000000"
    })
}

/// A checkout that must be accepted; returns its `data`.
pub async fn checkout(addr: SocketAddr, fields: Value) -> Value {
    let envelope = call(addr, CHECKOUT, fields).await;
    assert_eq!(envelope["code"], "0000", "{envelope}");
    envelope["data"].clone()
}

/// Asserts a refusal with `code` whose message contains `needle`.
pub fn assert_refused(envelope: &Value, code: &str, needle: &str) {
    assert_eq!(envelope["code"], code, "{envelope}");
    assert_eq!(envelope["success"], false, "{envelope}");
    assert_eq!(envelope["data"], Value::Null, "{envelope}");
    assert!(envelope["timestamp"].is_i64(), "{envelope}");
    let msg = envelope["msg"].as_str().expect("a msg");
    assert!(msg.contains(needle), "{msg:?} should contain {needle:?}");
}

/// A notification received by [`Receiver`].
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    /// The body exactly as it arrived, for verification over raw bytes.
    pub raw: Vec<u8>,
}

/// A merchant's notify endpoint: records what arrives and answers from a
/// script (status, body), repeating the last answer when the script ends.
pub struct Receiver {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub async fn start(answers: &[(u16, &'static str)]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let addr = listener.local_addr().expect("an address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let answers = answers.to_vec();
        tokio::spawn(async move {
            let mut count = 0usize;
            while let Ok((stream, _)) = listener.accept().await {
                let answer = answers.get(count).or(answers.last()).copied().unwrap_or((200, "OK"));
                count += 1;
                let log = Arc::clone(&log);
                tokio::spawn(async move { answer_one(stream, answer, log).await });
            }
        });
        Self { addr, received }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("not poisoned").clone()
    }

    /// Waits until `count` notifications arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        eventually(|| {
            let received = self.received();
            (received.len() >= count).then_some(received)
        })
        .await
    }
}

async fn answer_one(mut stream: TcpStream, (status, body): (u16, &str), log: Arc<Mutex<Vec<Received>>>) {
    let mut raw = Vec::new();
    let mut buffer = [0u8; 4096];
    let (head_end, length) = loop {
        let read = stream.read(&mut buffer).await.expect("reads");
        assert!(read > 0, "the sandbox closed before sending a whole request");
        raw.extend_from_slice(&buffer[..read]);
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse::<usize>().ok())
                .expect("a content-length");
            break (end + 4, length);
        }
    };
    while raw.len() < head_end + length {
        let read = stream.read(&mut buffer).await.expect("reads");
        assert!(read > 0, "the sandbox closed before sending the whole body");
        raw.extend_from_slice(&buffer[..read]);
    }
    let head = String::from_utf8_lossy(&raw[..head_end - 4]).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines.next().and_then(|line| line.split(' ').nth(1)).unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let raw_body = raw[head_end..head_end + length].to_vec();
    let notification = serde_json::from_slice(&raw_body).expect("a JSON notification");
    log.lock().expect("not poisoned").push(Received { path, headers, body: notification, raw: raw_body });
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
}

/// Polls `check` every 10 ms until it returns `Some`, for at most 10 s.
pub async fn eventually<T>(mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + EXCHANGE_TIMEOUT;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "gave up waiting");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Verifies a notification's `sign` with md5 directly.
pub fn assert_signed(body: &Value, secret: &str) {
    let object = body.as_object().expect("an object");
    let expected = md5_hex(&generic_canonical(object), secret);
    assert_eq!(object["sign"], expected, "{body}");
}
