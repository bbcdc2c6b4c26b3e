//! The webhook example as merchants run it: two receiver processes on one
//! SQLite file, a burst of duplicated and re-ordered notifications sent to
//! both at once, and every order credited exactly once.
//!
//! Runs the example binary that `cargo test` builds next to the tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use vexora::AppSecret;
use vexora::notification;
use vexora_ledger::{Intent, Kind, Ledger, Money, RecordKeys, State};

const SECRET: &str = "test-app-secret-123";
const ORDERS: usize = 12;

/// `target/<profile>/examples/webhook_server`, built by `cargo test`.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    let profile = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>/deps");
    let binary = profile.join("examples").join(format!("webhook_server{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.is_file(),
        "{} is missing: run `cargo test -p vexora-ledger` (it builds the examples)",
        binary.display()
    );
    binary
}

/// A receiver process and the address it listens on; killed when dropped.
struct Receiver {
    child: Child,
    addr: String,
}

impl Receiver {
    fn start(database: &str) -> Self {
        let mut child = Command::new(example_binary())
            .args(["127.0.0.1:0", database])
            .env("VEXORA_APP_SECRET", SECRET)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the example starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut banner = String::new();
        stdout.read_line(&mut banner).expect("a banner");
        // "webhook receiver on http://127.0.0.1:PORT/vexora/pay-in, books in ..."
        let addr = banner
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {banner:?}"))
            .to_owned();
        // Keep reading its log so the pipe never fills.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Self { child, addr }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// POSTs `body` to `addr`'s pay-in webhook over HTTP/1.1; returns the status.
fn deliver(addr: &str, body: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).expect("the receiver listens");
    let request = format!(
        "POST /vexora/pay-in HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("an answer");
    response.split(' ').nth(1).and_then(|status| status.parse().ok()).unwrap_or_else(|| panic!("{response:?}"))
}

/// A notification signed with the shop's secret.
fn notification(trade_no: &str, status: &str, amount: &str) -> String {
    let unsigned = format!(
        r#"{{"tradeNo":"{trade_no}","platFormTradeNo":"p{trade_no}","status":"{status}","amount":"{amount}","message":"m"}}"#
    );
    let sign = notification::signature(unsigned.as_bytes(), &AppSecret::new(SECRET)).expect("a JSON object");
    format!(r#"{}, "sign":"{sign}"}}"#, unsigned.trim_end_matches('}'))
}

#[test]
fn two_receivers_credit_every_order_exactly_once() {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let database = format!("sqlite:{}", dir.path().join("orders.sqlite3").display());
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");

    let first = Receiver::start(&database);
    let ledger = runtime.block_on(Ledger::connect(&database)).expect("the shop's books");
    runtime.block_on(async {
        for order in 0..ORDERS {
            let trade_no = format!("T{order}");
            let keys = RecordKeys::trade_no(trade_no.as_str());
            let intent = Intent::new(Kind::PayIn, "0000000001", "taiwan/checkout", keys, Money::from(300), "h");
            ledger.record_intent(&intent).await.expect("an intent");
            sqlx::query("INSERT INTO orders (trade_no, amount) VALUES ($1, '300')")
                .bind(&trade_no)
                .execute(ledger.pool())
                .await
                .expect("an order");
        }
    });
    let second = Receiver::start(&database);

    // Each order: processing, then paid; every notification three times, a
    // late `0015` after the `0000` for half of them; plus one order the shop
    // never created.
    let mut burst = Vec::new();
    for order in 0..ORDERS {
        let trade_no = format!("T{order}");
        let (pending, paid) = (notification(&trade_no, "0015", "300"), notification(&trade_no, "0000", "300.00"));
        let sequence = if order % 2 == 0 { [&paid, &pending, &paid] } else { [&pending, &paid, &paid] };
        burst.extend(sequence.into_iter().cloned());
        burst.push(pending);
    }
    burst.push(notification("NOTOURS1", "0000", "999"));

    // Four senders at once, alternating between the two receivers.
    let receivers = [first.addr.clone(), second.addr.clone()];
    std::thread::scope(|scope| {
        for sender in 0..4 {
            let (burst, receivers) = (&burst, &receivers);
            scope.spawn(move || {
                for (index, body) in burst.iter().enumerate().skip(sender).step_by(4) {
                    let status = deliver(&receivers[index % 2], body);
                    assert_eq!(status, 200, "notification {index} was not acknowledged");
                }
            });
        }
    });

    runtime.block_on(async {
        let count = |sql: &'static str| {
            let pool = ledger.pool().clone();
            async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.expect("a count") }
        };
        assert_eq!(count("SELECT COUNT(*) FROM orders WHERE state = 'paid' AND credited = '300'").await, ORDERS as i64);
        // The example's own demo order (00000007) got no notification.
        let records = ledger.records().await.expect("the records");
        let ours: Vec<_> = records.iter().filter(|record| record.keys.get("tradeNo") != Some("00000007")).collect();
        assert_eq!(ours.len(), ORDERS);
        for record in ours {
            assert_eq!((record.state, record.paid), (State::Paid, Money::from(300)), "{record:?}");
        }
        // Each (tradeNo, status, amount) applied once: a 0015 and a 0000 per order.
        assert_eq!(count("SELECT COUNT(*) FROM vexora_observations").await, 2 * ORDERS as i64);
        let kept = ledger.needs_attention().await.expect("the list");
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(kept[0].keys, RecordKeys::trade_no("NOTOURS1"));
        assert_eq!(count("SELECT COUNT(*) FROM orders WHERE trade_no = 'NOTOURS1'").await, 0);
    });
    drop((first, second));
}
