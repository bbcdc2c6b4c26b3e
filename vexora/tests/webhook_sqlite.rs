//! The webhook example as merchants run it: two receiver processes on one
//! SQLite file, a burst of duplicated and re-ordered notifications sent to
//! both at once, and every order credited exactly once.
//!
//! Runs the example binary that `cargo test` builds next to the tests.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use futures_lite::future::block_on;

use rusqlite::Connection;
use vexora::notification;
use vexora::AppSecret;

const SECRET: &str = "test-app-secret-123";
const ORDERS: usize = 12;

/// `target/<profile>/examples/webhook_server`, built by `cargo test`.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    let profile = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>/deps");
    let binary = profile.join("examples").join(format!("webhook_server{}", std::env::consts::EXE_SUFFIX));
    assert!(binary.is_file(), "{} is missing: run `cargo test -p vexora` (it builds the examples)", binary.display());
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
        // "webhook receiver on http://127.0.0.1:PORT/vexora/pay-in, orders in ..."
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

/// POSTs `body` to `addr`'s webhook; returns the HTTP status.
fn deliver(addr: &str, body: &str) -> u16 {
    let request = surf::post(format!("http://{addr}/vexora/pay-in")).body_string(body.to_owned());
    let response = block_on(request.content_type("application/json")).expect("the receiver answers");
    response.status().into()
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
    let dir = std::env::temp_dir().join(format!("vexora-webhook-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let database = dir.join("orders.sqlite3");
    let _ = std::fs::remove_file(&database);
    let database = database.to_str().expect("a UTF-8 path").to_owned();

    let first = Receiver::start(&database);
    {
        let shop = Connection::open(&database).expect("the shop's database");
        for order in 0..ORDERS {
            shop.execute("INSERT INTO orders (trade_no, amount) VALUES (?1, ?2)", (format!("T{order}"), "300"))
                .expect("an order");
        }
    }
    let second = Receiver::start(&database);

    // Each order: processing, then paid; every notification three times, a
    // late `0015` after the `0000` for half of them; plus one order the shop
    // never created.
    let mut burst = Vec::new();
    for order in 0..ORDERS {
        let trade_no = format!("T{order}");
        let (pending, paid) = (notification(&trade_no, "0015", "300"), notification(&trade_no, "0000", "300"));
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

    let shop = Connection::open(&database).expect("the shop's database");
    let count = |sql: &str| shop.query_row(sql, [], |row| row.get::<_, i64>(0)).expect("a count");
    assert_eq!(count("SELECT COUNT(*) FROM credits"), ORDERS as i64, "one credit per order");
    assert_eq!(count("SELECT COUNT(DISTINCT trade_no) FROM credits"), ORDERS as i64);
    assert_eq!(count("SELECT COUNT(*) FROM credits WHERE amount <> '300' OR status <> '0000'"), 0);
    assert_eq!(count("SELECT COUNT(*) FROM orders WHERE state = 'paid'"), ORDERS as i64, "a late 0015 never reopens");
    assert_eq!(count("SELECT COUNT(*) FROM notifications"), 2 * ORDERS as i64, "each (tradeNo, status) once");
    assert_eq!(count("SELECT COUNT(*) FROM unknown_notifications WHERE trade_no = 'NOTOURS1'"), 1);
    assert_eq!(count("SELECT COUNT(*) FROM credits WHERE trade_no = 'NOTOURS1'"), 0);

    drop((first, second, shop));
    let _ = std::fs::remove_dir_all(&dir);
}
