//! A merchant's webhook endpoint on the ledger: the gateway's pay-in
//! notifications are verified over the raw body, settled exactly once in
//! the ledger together with the shop's own `orders` table (one
//! transaction), and acknowledged `OK` only after that transaction commits.
//!
//! ```sh
//! VEXORA_APP_SECRET=test-app-secret-123 cargo run -p vexora-ledger --features axum \
//!     --example webhook_server -- 127.0.0.1:8081 sqlite:orders.sqlite3
//! ```
//!
//! Then point a checkout's `notifyUrl` at `http://127.0.0.1:8081/vexora/pay-in`
//! (payouts have `/vexora/payout`: their notifications look the same and may
//! share a `tradeNo` with an order, so each kind has its own route).
//!
//! Any number of receivers may share the database, a SQLite file on one
//! machine or `postgres://...` across machines: the ledger locks the record
//! and keys every notification by its dedup key, so each one is applied
//! once however often and in whatever order the gateway delivers it; a
//! late `0015` never reopens a paid order; a partial payment credits what
//! was paid, never the order amount.
//!
//! # Unknown orders
//!
//! A verified notification for a `tradeNo` this shop never recorded is
//! acknowledged and kept by the ledger for a person (`needs_attention()`,
//! and a WARN event): retrying cannot make the order appear, and a refusal
//! would keep the gateway retrying for hours.
//!
//! # When the database is down
//!
//! The notification is answered `503 RETRY`, so the gateway delivers it
//! again on its ladder (2 s, 5 s, 10 s, 30 s, 1 h, 3 h, 3 h, 3 h).

use vexora::AppSecret;
use vexora::notification::Verifier;
use vexora_ledger::webhook::Webhook;
use vexora_ledger::{Intent, Kind, Ledger, Money, RecordKeys};

/// The shop's own table, written when a checkout is created and moved by
/// the ledger's settlements.
const SHOP_SCHEMA: &str = "CREATE TABLE IF NOT EXISTS orders (
    trade_no TEXT PRIMARY KEY,
    amount   TEXT NOT NULL,
    state    TEXT NOT NULL DEFAULT 'open',  -- open, processing, partial, paid, failed
    credited TEXT NOT NULL DEFAULT '0'      -- paid so far, exact decimal text
)";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8081".to_owned());
    let database = args.next().unwrap_or_else(|| "sqlite:orders.sqlite3".to_owned());
    let secret = std::env::var("VEXORA_APP_SECRET").map_err(|_| "set VEXORA_APP_SECRET")?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async {
        let ledger = Ledger::connect(&database).await?;
        sqlx::raw_sql(SHOP_SCHEMA).execute(ledger.pool()).await?;
        // An order this shop created earlier: recorded in the ledger before
        // its checkout was sent, and in the shop's own table.
        let keys = RecordKeys::trade_no("00000007");
        let intent = Intent::new(Kind::PayIn, "0000000001", "taiwan/checkout", keys, Money::from(300), "example");
        ledger.record_intent(&intent).await?;
        sqlx::query("INSERT INTO orders (trade_no, amount) VALUES ($1, $2) ON CONFLICT (trade_no) DO NOTHING")
            .bind("00000007")
            .bind("300")
            .execute(ledger.pool())
            .await?;

        let verifier = Verifier::new(AppSecret::new(secret));
        let webhook = Webhook::new(ledger, verifier).with_books(|tx, change| {
            Box::pin(async move {
                // "Mark my order paid, ship the goods": in the ledger's
                // transaction, so exactly once or not at all.
                let trade_no = change.keys.get("tradeNo").unwrap_or_default().to_owned();
                sqlx::query("UPDATE orders SET state = $1, credited = $2 WHERE trade_no = $3")
                    .bind(change.new_state.as_str())
                    .bind(change.new_paid.to_string())
                    .bind(&trade_no)
                    .execute(&mut **tx)
                    .await?;
                match change.credit() {
                    Some(credit) => println!("{trade_no}: {}, credit {credit}", change.new_state),
                    None => println!("{trade_no}: {}", change.new_state),
                }
                Ok(())
            })
        });

        // `VerifiedPayIn` reads at most `notification::MAX_BODY_BYTES` of a body.
        let listener = tokio::net::TcpListener::bind(&addr).await?;
        println!("webhook receiver on http://{}/vexora/pay-in, books in {database}", listener.local_addr()?);
        axum::serve(listener, webhook.router()).await?;
        Ok(())
    })
}
