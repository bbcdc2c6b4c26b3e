//! A merchant's webhook endpoint: verify the gateway's notification over the
//! raw body, settle the order exactly once in one database transaction, and
//! acknowledge with `OK` only after that transaction commits.
//!
//! ```sh
//! VEXORA_APP_SECRET=test-app-secret-123 cargo run -p vexora --example webhook_server -- 127.0.0.1:8081 orders.sqlite3
//! ```
//!
//! Then point a checkout's `notifyUrl` at `http://127.0.0.1:8081/vexora/pay-in`.
//! Payouts get a `notifyUrl` of their own (their notifications look the
//! same, and may share a `tradeNo` with an order); this shop takes pay-ins
//! only.
//! Any number of receivers may share the database file (and so the orders):
//! the primary key on `notifications (trade_no, status)`, the notification's
//! dedup key, lets exactly one of them apply each notification however often
//! and in whatever order the gateway delivers it.
//!
//! # The same on Postgres
//!
//! For receivers on many machines, the same tables and statements work on
//! Postgres with `INSERT ... ON CONFLICT DO NOTHING` in place of
//! `INSERT OR IGNORE`, `BEGIN` in place of `BEGIN IMMEDIATE` (the primary
//! key, not the transaction mode, is what turns a second delivery into a
//! no-op: a concurrent duplicate waits on the first one's row and then
//! inserts nothing), and `NUMERIC` amounts if you compute with them in SQL.
//!
//! # Unknown orders
//!
//! A verified notification for a `tradeNo` this shop never created is
//! acknowledged and kept in `unknown_notifications` for a person to look
//! at: retrying cannot make the order appear, and a refusal would keep the
//! gateway retrying for hours.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use vexora::notification::{Acknowledgement, PayInNotification, Settlement, Verifier};
use vexora::types::DecimalText;
use vexora::webhook::VerifiedPayIn;
use vexora::AppSecret;

/// The shop's tables. `orders` is written when a checkout is created;
/// the webhook writes the other three.
const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS orders (
        trade_no TEXT PRIMARY KEY,
        amount   TEXT NOT NULL,
        state    TEXT NOT NULL DEFAULT 'open'  -- open, paid, failed
    );
    -- One row per applied notification: its dedup key is the primary key.
    CREATE TABLE IF NOT EXISTS notifications (
        trade_no TEXT NOT NULL,
        status   TEXT NOT NULL,
        PRIMARY KEY (trade_no, status)
    );
    -- What was credited, and for which notification.
    CREATE TABLE IF NOT EXISTS credits (
        trade_no TEXT NOT NULL,
        status   TEXT NOT NULL,
        amount   TEXT NOT NULL,
        PRIMARY KEY (trade_no, status),
        FOREIGN KEY (trade_no, status) REFERENCES notifications (trade_no, status)
    );
    CREATE TABLE IF NOT EXISTS unknown_notifications (
        trade_no TEXT NOT NULL,
        status   TEXT NOT NULL,
        PRIMARY KEY (trade_no, status)
    );
";

#[derive(Clone)]
struct App {
    verifier: Verifier,
    db: Arc<Mutex<Connection>>,
}

/// How the `VerifiedPayIn` extractor finds the verifier in the router's state.
impl FromRef<App> for Verifier {
    fn from_ref(app: &App) -> Verifier {
        app.verifier.clone()
    }
}

/// Runs only for a verified notification: the extractor answers 400 `FAIL`
/// to anything forged, damaged or too large, so the gateway retries and a
/// bad body never stops the real one.
async fn notify(
    State(app): State<App>,
    VerifiedPayIn(notification): VerifiedPayIn,
) -> Result<Acknowledgement, (StatusCode, &'static str)> {
    // SQLite work is short and local: done in place rather than on a
    // blocking pool, to keep the example small.
    let applied = app
        .db
        .lock()
        .map_err(|_| "database handle poisoned".to_owned())
        .and_then(|mut db| apply(&mut db, &notification).map_err(|error| error.to_string()));
    applied.map(|()| Acknowledgement).map_err(|reason| {
        // A failure to record is transient: answer non-OK so the gateway
        // retries on its ladder (2 s, 5 s, 10 s, 30 s, 1 h, 3 h, 3 h, 3 h).
        eprintln!("not recorded, the gateway will retry: {reason}");
        (StatusCode::SERVICE_UNAVAILABLE, "RETRY")
    })
}

/// Applies a verified notification once per (tradeNo, status), in one
/// transaction: the dedup key, the credit and the order's state commit
/// together or not at all.
fn apply(db: &mut Connection, notification: &PayInNotification) -> rusqlite::Result<()> {
    let key = notification.dedup_key();
    let (trade_no, status) = (key.trade_no.as_str(), key.status.as_str());
    // IMMEDIATE: take the write lock first, so two receivers never both
    // read an order before either writes.
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let amount: Option<String> =
        tx.query_row("SELECT amount FROM orders WHERE trade_no = ?1", [&trade_no], |row| row.get(0)).optional()?;
    // Verified but not ours: acknowledged and kept for a person, since a
    // refusal only makes the gateway retry something retrying cannot fix.
    let Some(expected) = amount.as_deref().and_then(DecimalText::parse) else {
        tx.execute("INSERT OR IGNORE INTO unknown_notifications VALUES (?1, ?2)", params![trade_no, status])?;
        println!("{trade_no}: unknown order, status {status} kept for follow-up");
        return tx.commit();
    };
    let first_time = tx.execute("INSERT OR IGNORE INTO notifications VALUES (?1, ?2)", params![trade_no, status])?;
    if first_time == 0 {
        println!("{trade_no}: duplicate {status} ignored");
        return tx.commit();
    }
    let credit = |amount: &DecimalText| {
        tx.execute("INSERT INTO credits VALUES (?1, ?2, ?3)", params![trade_no, status, amount.to_string()])
    };
    match notification.settlement(&expected) {
        Settlement::PaidInFull { amount } => {
            credit(&amount)?;
            // A final state: a late `0015` never moves it back.
            tx.execute("UPDATE orders SET state = 'paid' WHERE trade_no = ?1", [&trade_no])?;
            println!("{trade_no}: paid in full, credit {amount}");
        }
        Settlement::PaidInPart { amount } => {
            // Credit what was paid, never the order amount; the order stays open.
            credit(&amount)?;
            println!("{trade_no}: paid in part, credit {amount} of {expected}");
        }
        Settlement::Pending => println!("{trade_no}: still processing"),
        Settlement::Failed => {
            tx.execute("UPDATE orders SET state = 'failed' WHERE trade_no = ?1 AND state = 'open'", [&trade_no])?;
            println!("{trade_no}: failed");
        }
        other => println!("{trade_no}: credit nothing, investigate: {other:?}"),
    }
    tx.commit()
}

/// Opens (and if needed creates) the shop's database, shared safely by
/// several processes: write-ahead log, and a wait instead of an error when
/// another receiver holds the write lock.
fn open(path: &str) -> rusqlite::Result<Connection> {
    let db = Connection::open(path)?;
    db.busy_timeout(Duration::from_secs(10))?;
    db.pragma_update(None, "journal_mode", "WAL")?;
    db.pragma_update(None, "foreign_keys", "ON")?;
    db.execute_batch(SCHEMA)?;
    Ok(db)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8081".to_owned());
    let path = args.next().unwrap_or_else(|| "orders.sqlite3".to_owned());
    let secret = std::env::var("VEXORA_APP_SECRET").map_err(|_| "set VEXORA_APP_SECRET")?;
    let db = open(&path)?;
    // An order this shop created earlier (see the quickstart example).
    db.execute("INSERT OR IGNORE INTO orders (trade_no, amount) VALUES ('00000007', '300')", [])?;
    let app = App { verifier: Verifier::new(AppSecret::new(secret)), db: Arc::new(Mutex::new(db)) };

    // `VerifiedPayIn` reads at most `notification::MAX_BODY_BYTES` of a body.
    let router = Router::new().route("/vexora/pay-in", post(notify)).with_state(app);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&addr).await?;
        println!("webhook receiver on http://{}/vexora/pay-in, orders in {path}", listener.local_addr()?);
        axum::serve(listener, router).await
    })?;
    Ok(())
}
