//! Both sides of the `ledger_*` benchmarks: a notification settled through
//! the ledger's webhook (the SDK's extractor verifies it, the ledger
//! settles it exactly once, `OK` after the commit), against a bare handler
//! that makes the same insert (the notification's fields under a unique
//! key) in one transaction of the same database, with no verification and
//! no ledger logic.
//!
//! Both are axum routers called in process, so neither side pays for HTTP:
//! what differs between them is the SDK's work alone.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{Request, StatusCode};
use axum::routing::post;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use sqlx::AnyPool;
use tower_service::Service;
use vexora::AppSecret;
use vexora::notification::Verifier;
use vexora_ledger::webhook::Webhook;
use vexora_ledger::{Intent, Kind, Ledger, RecordKeys};

/// The amount of every order and notification.
pub const AMOUNT: u64 = 300;

/// The bare side's table: the same insert as the ledger's record of a
/// notification (an id, the notification's fields, and a unique key that
/// a second delivery collides with), in each database's id syntax.
fn bare_table(sqlite: bool) -> String {
    let id = if sqlite { "INTEGER PRIMARY KEY" } else { "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" };
    format!(
        "CREATE TABLE IF NOT EXISTS bench_bare_notifications (id {id}, dedup TEXT NOT NULL UNIQUE, \
         source TEXT NOT NULL, status TEXT, amount TEXT, observed_at BIGINT NOT NULL)"
    )
}

/// The ledger's webhook on `ledger`, verifying with `secret`, with no
/// merchant code: the SDK's side.
pub fn ledger_router(ledger: Ledger, secret: &str) -> Router {
    Webhook::new(ledger, Verifier::new(AppSecret::new(secret))).router()
}

/// The bare side, on `pool` (SQLite or not): `POST /vexora/pay-in` reads
/// the body's `tradeNo`, `status` and `amount` and inserts them in one
/// transaction, then answers `OK`.
pub async fn bare_router(pool: AnyPool, sqlite: bool) -> Result<Router, sqlx::Error> {
    sqlx::raw_sql(&bare_table(sqlite)).execute(&pool).await?;
    Ok(Router::new().route("/vexora/pay-in", post(bare_insert)).with_state(pool))
}

/// The fields the bare handler reads.
#[derive(Deserialize)]
struct Fields<'a> {
    #[serde(rename = "tradeNo", borrow)]
    trade_no: &'a str,
    #[serde(borrow)]
    status: &'a str,
    #[serde(borrow)]
    amount: &'a str,
}

async fn bare_insert(State(pool): State<AnyPool>, body: Bytes) -> (StatusCode, &'static str) {
    let Ok(fields) = serde_json::from_slice::<Fields<'_>>(&body) else {
        return (StatusCode::BAD_REQUEST, "FAIL");
    };
    let received_at = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_millis());
    let inserted = async {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO bench_bare_notifications (dedup, source, status, amount, observed_at) \
             VALUES ($1, 'notification', $2, $3, $4) ON CONFLICT (dedup) DO NOTHING",
        )
        .bind(format!("{}|{}|{}", fields.trade_no, fields.status, fields.amount))
        .bind(fields.status)
        .bind(fields.amount)
        .bind(i64::try_from(received_at).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    };
    match inserted.await {
        Ok(()) => (StatusCode::OK, "OK"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "RETRY"),
    }
}

/// The `n`-th `tradeNo` of a run named `run`: unique across runs on one
/// database, so no run meets another's rows.
pub fn trade_no(run: &str, n: u64) -> String {
    format!("{run}{n:010}")
}

/// Records the pay-in intent of `trade_no` (done before the timed part: a
/// merchant records it before sending the checkout).
pub async fn record_intent(ledger: &Ledger, trade_no: &str) -> Result<(), vexora_ledger::Error> {
    let intent = Intent::new(
        Kind::PayIn,
        "0000000001",
        "taiwan/checkout",
        RecordKeys::trade_no(trade_no),
        AMOUNT.into(),
        "bench",
    );
    ledger.record_intent(&intent).await.map(|_| ())
}

/// The gateway's "paid in full" notification of `trade_no`, signed with
/// `secret`, as the gateway sends it.
pub fn paid_notification(trade_no: &str, secret: &str) -> String {
    let fields = [
        ("amount", format!("{AMOUNT}.00")),
        ("message", "success".to_owned()),
        ("platFormTradeNo", format!("P{trade_no}")),
        ("status", "0000".to_owned()),
        ("tradeNo", trade_no.to_owned()),
    ];
    let sign = vexora::signing::sign_pairs(fields.iter().map(|(k, v)| (*k, v.as_str())), secret.as_bytes());
    let mut body = String::from("{");
    for (key, value) in &fields {
        body.push_str(&format!("\"{key}\":\"{value}\","));
    }
    body.push_str(&format!("\"sign\":\"{}\"}}", sign.as_str()));
    body
}

/// POSTs `body` to `router`'s pay-in route in process; the answer's status
/// and body.
pub async fn deliver(router: &Router, body: String) -> (StatusCode, Bytes) {
    let request = Request::post("/vexora/pay-in")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("a constant method, path and header make a valid request");
    // A router is always ready, and its error type is `Infallible`.
    let Ok(response) = router.clone().call(request).await;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap_or_default();
    (status, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vexora_ledger::State as RecordState;

    const SECRET: &str = "test-app-secret-123";

    #[test]
    fn both_sides_store_the_notification_and_answer_ok() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let url = format!("sqlite:{}", dir.path().join("bench.sqlite3").display());
            let ledger = Ledger::connect(&url).await.expect("the ledger opens");
            let webhook = ledger_router(ledger.clone(), SECRET);
            let bare = bare_router(ledger.pool().clone(), true).await.expect("the bare table");

            let trade_no = trade_no("T", 7);
            assert_eq!(trade_no, "T0000000007");
            record_intent(&ledger, &trade_no).await.expect("recorded");
            let body = paid_notification(&trade_no, SECRET);
            let verified = Verifier::new(AppSecret::new(SECRET)).pay_in(body.as_bytes()).expect("genuine");
            assert_eq!(verified.trade_no.as_str(), trade_no);

            assert_eq!(deliver(&webhook, body.clone()).await, (StatusCode::OK, Bytes::from("OK")));
            let record = ledger.record(Kind::PayIn, &RecordKeys::trade_no(&trade_no)).await.expect("read");
            let record = record.expect("the record");
            assert_eq!((record.state, record.paid), (RecordState::Paid, AMOUNT.into()));

            assert_eq!(deliver(&bare, body).await, (StatusCode::OK, Bytes::from("OK")));
            let stored: Vec<(String, String, String)> =
                sqlx::query_as("SELECT dedup, status, amount FROM bench_bare_notifications")
                    .fetch_all(ledger.pool())
                    .await
                    .expect("read");
            assert_eq!(stored, [(format!("{trade_no}|0000|300.00"), "0000".to_owned(), "300.00".to_owned())]);

            // A forged notification is refused by the ledger's side only.
            let forged = paid_notification("T0000000008", "another-secret");
            assert_eq!(deliver(&webhook, forged).await.0, StatusCode::BAD_REQUEST);
        });
    }
}
