//! The default transport (surf on curl) over real loopback sockets: the
//! bytes it sends, and how each kind of failure is classified.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use futures_lite::future::block_on;
use vexora::clock::FixedClock;
use vexora::transport::{SurfTransport, TransportErrorKind};
use vexora::{Client, Config, Error};
use vexora_tests::{MERCHANT_NO, SECRET, SEED_TIMESTAMP, seed_net_banking};

fn client(addr: &str, timeout: Duration) -> Client<SurfTransport> {
    let config = Config::builder()
        .merchant_no(MERCHANT_NO)
        .app_secret(SECRET)
        .base_url(format!("http://{addr}/taiwan"))
        .timeout(timeout)
        .build()
        .expect("valid configuration");
    Client::new(config).with_clock(FixedClock(SEED_TIMESTAMP))
}

/// Reads one HTTP/1.1 request (head and `Content-Length` body).
fn read_request(stream: &mut TcpStream) -> (String, Vec<u8>) {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = stream.read(&mut buffer).expect("read request");
        assert!(read > 0, "client closed before sending a request");
        data.extend_from_slice(&buffer[..read]);
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).into_owned();
            let length = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            while data.len() < end + 4 + length {
                let read = stream.read(&mut buffer).expect("read body");
                data.extend_from_slice(&buffer[..read]);
            }
            return (head, data[end + 4..end + 4 + length].to_vec());
        }
    }
}

/// Serves one connection with `handle`, on a thread.
fn serve_once(handle: impl FnOnce(TcpStream) + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("address").to_string();
    thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            handle(stream);
        }
    });
    addr
}

const ACCEPTED: &str = r#"{"msg":"success","code":"0000","timestamp":1728609277476,"success":true,"data":{"tradeNo":"00000007","platFormTradeNo":"p1","status":"0015","paymentUrl":"http://cashier.example/p1"}}"#;

#[test]
fn sends_the_prepared_bytes_and_decodes_the_answer() {
    let (seen_tx, seen_rx) = std::sync::mpsc::channel();
    let addr = serve_once(move |mut stream| {
        let request = read_request(&mut stream);
        let reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{ACCEPTED}",
            ACCEPTED.len()
        );
        stream.write_all(reply.as_bytes()).expect("reply");
        seen_tx.send(request).expect("report");
    });
    let client = client(&addr, Duration::from_secs(10));
    let expected_body = client.prepare(&seed_net_banking()).expect("valid").body;

    let data = block_on(client.send(&seed_net_banking())).expect("accepted");
    assert_eq!(data.payment_url(), Some("http://cashier.example/p1"));

    let (head, body) = seen_rx.recv().expect("the server saw the request");
    assert!(head.starts_with("POST /taiwan/v1/vexora/checkout HTTP/1.1\r\n"), "{head}");
    let header = |wanted: &str| {
        head.lines().skip(1).find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case(wanted).then(|| value.trim().to_owned())
        })
    };
    assert_eq!(header("merchantNo").as_deref(), Some("0000000001"), "{head}");
    assert_eq!(header("Content-Type").as_deref(), Some("application/json"), "{head}");
    // Responses are small JSON: no content coding is asked for.
    assert_eq!(header("Accept-Encoding"), None, "{head}");
    assert_eq!(body, expected_body, "the body on the socket is exactly the prepared one");
}

#[test]
fn a_refused_connection_is_a_connect_error() {
    let addr = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").to_string()
    }; // dropped: nothing listens there now
    match block_on(client(&addr, Duration::from_secs(5)).send(&seed_net_banking())) {
        Err(Error::Transport(error)) => {
            assert_eq!(error.kind(), TransportErrorKind::Connect, "{error}");
            assert!(!error.may_have_reached_gateway());
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[test]
fn a_silent_server_is_a_timeout_within_the_deadline() {
    let addr = serve_once(|mut stream| {
        let _ = read_request(&mut stream);
        thread::sleep(Duration::from_secs(3));
    });
    let started = Instant::now();
    let result = block_on(client(&addr, Duration::from_millis(300)).send(&seed_net_banking()));
    let elapsed = started.elapsed();
    // A checkout that timed out may have created the order.
    match result {
        Err(Error::OutcomeUnknown { cause, .. }) => match *cause {
            Error::Transport(error) => {
                assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
                assert!(error.may_have_reached_gateway());
            }
            other => panic!("expected a timeout, got {other:?}"),
        },
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?} for a 300 ms deadline");
}

#[test]
fn a_non_json_answer_is_a_bad_response_not_a_transport_error() {
    let addr = serve_once(|mut stream| {
        let _ = read_request(&mut stream);
        let body = "<html>Bad Gateway</html>";
        let reply = format!(
            "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(reply.as_bytes()).expect("reply");
    });
    match block_on(client(&addr, Duration::from_secs(10)).send(&seed_net_banking())) {
        Err(Error::OutcomeUnknown { cause, .. }) => match *cause {
            Error::BadResponse { status, excerpt, .. } => {
                assert_eq!(status, 502);
                assert_eq!(excerpt, "<html>Bad Gateway</html>");
            }
            other => panic!("expected a bad response, got {other:?}"),
        },
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
}
