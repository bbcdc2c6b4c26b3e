//! A gateway that answers from a script over real HTTP/1.1 on loopback,
//! counting the requests and the connections that reach it: for tests of
//! what the client does with redirects, odd statuses, stalls and pools.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// What the script does with one request.
pub enum Answer {
    /// Writes these bytes (a whole response) and keeps the connection.
    Raw(Vec<u8>),
    /// Waits this long, then closes the connection without answering.
    Stall(Duration),
}

/// A complete response with this status line, `Content-Type` and body.
pub fn response(status_line: &str, content_type: &str, body: &str) -> Answer {
    Answer::Raw(
        format!(
            "HTTP/1.1 {status_line}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// A JSON response.
pub fn json(status_line: &str, body: &str) -> Answer {
    response(status_line, "application/json", body)
}

/// A redirect to `location`, with a JSON body a careless client could read
/// as an accepted answer.
pub fn redirect(status_line: &str, location: &str) -> Answer {
    let body = BALANCE_OK;
    Answer::Raw(
        format!(
            "HTTP/1.1 {status_line}\r\nLocation: {location}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// An accepted balance answer.
pub const BALANCE_OK: &str =
    r#"{"code":"0000","msg":"success","data":{"availableAmount":"1","freezeAmount":"0","unsettledAmount":"0"}}"#;

/// One request as the script sees it.
pub struct Seen {
    /// 0 for the first request the gateway received, and so on.
    pub index: usize,
    /// The request target, e.g. `/taiwan/v1/vexora/checkout`.
    pub path: String,
    /// The request body.
    pub body: Vec<u8>,
}

/// A running scripted gateway.
#[derive(Clone)]
pub struct Gateway {
    addr: SocketAddr,
    counts: Arc<Counts>,
}

#[derive(Default)]
struct Counts {
    requests: AtomicUsize,
    methods: Mutex<Vec<String>>,
    connections: AtomicUsize,
    open: AtomicUsize,
}

impl Gateway {
    /// Starts a gateway; `script` is made knowing the gateway's own address
    /// (for redirects to itself) and then answers every request.
    pub fn start<S>(script: impl FnOnce(SocketAddr) -> S) -> Self
    where
        S: Fn(Seen) -> Answer + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("address");
        let script = Arc::new(script(addr));
        let counts = Arc::new(Counts::default());
        let gateway = Self { addr, counts: Arc::clone(&counts) };
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let script = Arc::clone(&script);
                let counts = Arc::clone(&counts);
                counts.connections.fetch_add(1, Ordering::SeqCst);
                counts.open.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || {
                    serve(stream, &*script, &counts);
                    counts.open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        gateway
    }

    /// The gateway's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A base URL on this gateway, as the client is configured with.
    pub fn base_url(&self) -> String {
        format!("http://{}/taiwan", self.addr)
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.counts.requests.load(Ordering::SeqCst)
    }

    /// The method of every request received so far, in order.
    pub fn methods(&self) -> Vec<String> {
        self.counts.methods.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.counts.connections.load(Ordering::SeqCst)
    }

    /// Connections open now (closed by neither side).
    pub fn open_connections(&self) -> usize {
        self.counts.open.load(Ordering::SeqCst)
    }
}

/// Answers the requests of one connection until either side closes it.
fn serve(stream: TcpStream, script: &(dyn Fn(Seen) -> Answer + Send + Sync), counts: &Counts) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut writer = match stream.try_clone() {
        Ok(writer) => writer,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let method = request_line.split(' ').next().unwrap_or_default().to_owned();
        let path = request_line.split(' ').nth(1).unwrap_or_default().to_owned();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        counts.methods.lock().unwrap_or_else(PoisonError::into_inner).push(method);
        let index = counts.requests.fetch_add(1, Ordering::SeqCst);
        match script(Seen { index, path, body }) {
            Answer::Raw(bytes) => {
                if writer.write_all(&bytes).is_err() {
                    return;
                }
            }
            Answer::Stall(duration) => {
                std::thread::sleep(duration);
                return;
            }
        }
    }
}
