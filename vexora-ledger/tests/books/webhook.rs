//! The ledger's webhook glue over real HTTP, on both databases: verified,
//! settled, acknowledged only after the commit; 503 when it cannot be stored.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use vexora::AppSecret;
use vexora::notification::{Verifier, signature};
use vexora_ledger::webhook::Webhook;
use vexora_ledger::{BoxError, BoxFuture, Change, Intent, Kind, Ledger, Money, RecordKeys, State, Transaction};

const SECRET: &str = "test-app-secret-123";

on_both_databases!(
    a_notification_is_acknowledged_after_it_is_settled_once,
    what_cannot_be_stored_is_answered_503_and_settles_on_retry,
);

fn signed(trade_no: &str, status: &str, amount: &str) -> String {
    let unsigned = format!(r#"{{"tradeNo":"{trade_no}","status":"{status}","amount":"{amount}"}}"#);
    let sign = signature(unsigned.as_bytes(), &AppSecret::new(SECRET)).expect("a JSON object");
    format!(r#"{},"sign":"{sign}"}}"#, unsigned.trim_end_matches('}'))
}

/// Serves `webhook` on a free port; the address.
async fn serve(webhook: Webhook) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let addr = listener.local_addr().expect("an address").to_string();
    tokio::spawn(async move { axum::serve(listener, webhook.router()).await });
    addr
}

/// POSTs `body` to `path`; the status and the body of the answer.
async fn post(addr: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("the webhook listens");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("an answer");
    let status = response.split(' ').nth(1).and_then(|status| status.parse().ok()).expect("a status line");
    let body = response.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default();
    (status, body)
}

async fn intend(ledger: &Ledger, kind: Kind, trade_no: &str) {
    let intent = Intent::new(kind, "0000000001", "taiwan/checkout", RecordKeys::trade_no(trade_no), 300.into(), "h");
    ledger.record_intent(&intent).await.expect("an intent");
}

async fn books_table(ledger: &Ledger) {
    sqlx::raw_sql("CREATE TABLE shop_moves (trade_no TEXT NOT NULL, kind TEXT NOT NULL, amount TEXT NOT NULL)")
        .execute(ledger.pool())
        .await
        .expect("the shop's table");
}

fn shop_books<'t>(tx: &'t mut Transaction, change: &'t Change) -> BoxFuture<'t, Result<(), BoxError>> {
    Box::pin(async move {
        if let Some(amount) = change.credit().or(change.debit()) {
            sqlx::query("INSERT INTO shop_moves (trade_no, kind, amount) VALUES ($1, $2, $3)")
                .bind(change.keys.get("tradeNo").unwrap_or_default().to_owned())
                .bind(change.kind.as_str())
                .bind(amount.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    })
}

async fn moves(ledger: &Ledger) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT trade_no, kind, amount FROM shop_moves ORDER BY trade_no, kind")
        .fetch_all(ledger.pool())
        .await
        .expect("the shop's moves")
}

async fn a_notification_is_acknowledged_after_it_is_settled_once(url: &str) {
    let ledger = Ledger::connect(url).await.expect("the ledger");
    books_table(&ledger).await;
    intend(&ledger, Kind::PayIn, "T1").await;
    intend(&ledger, Kind::Payout, "T1").await;
    let verifier = Verifier::new(AppSecret::new(SECRET));
    let addr = serve(Webhook::new(ledger.clone(), verifier).with_books(shop_books)).await;

    let paid = signed("T1", "0000", "300.00");
    assert_eq!(post(&addr, "/vexora/pay-in", &paid).await, (200, "OK".to_owned()));
    assert_eq!(post(&addr, "/vexora/pay-in", &paid).await, (200, "OK".to_owned()), "a duplicate is acknowledged");
    assert_eq!(post(&addr, "/vexora/payout", &signed("T1", "0000", "300")).await.0, 200);
    // Forged: refused before the ledger sees it, so the gateway retries.
    let forged = paid.replace("300.00", "3000.00");
    assert_eq!(post(&addr, "/vexora/pay-in", &forged).await, (400, "FAIL".to_owned()));
    // Not ours: acknowledged and kept for a person.
    assert_eq!(post(&addr, "/vexora/pay-in", &signed("NOTOURS", "0000", "1")).await.0, 200);

    assert_eq!(
        moves(&ledger).await,
        [
            ("T1".to_owned(), "pay_in".to_owned(), "300".to_owned()),
            ("T1".to_owned(), "payout".to_owned(), "300".to_owned())
        ]
    );
    let record = ledger.record(Kind::PayIn, &RecordKeys::trade_no("T1")).await.expect("read").expect("a record");
    assert_eq!((record.state, record.paid), (State::Paid, Money::from(300)));
    let kept = ledger.needs_attention().await.expect("the list");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].keys, RecordKeys::trade_no("NOTOURS"));
}

async fn what_cannot_be_stored_is_answered_503_and_settles_on_retry(url: &str) {
    let ledger = Ledger::connect(url).await.expect("the ledger");
    books_table(&ledger).await;
    intend(&ledger, Kind::PayIn, "T1").await;
    let verifier = Verifier::new(AppSecret::new(SECRET));
    // The shop's own code fails (its table is locked, say): nothing is kept.
    let broken = Webhook::new(ledger.clone(), verifier.clone())
        .with_books(|_, _| Box::pin(async { Err::<(), BoxError>("the warehouse is closed".into()) }));
    let broken_addr = serve(broken).await;
    let paid = signed("T1", "0000", "300");
    assert_eq!(post(&broken_addr, "/vexora/pay-in", &paid).await, (503, "RETRY".to_owned()));
    let record = ledger.record(Kind::PayIn, &RecordKeys::trade_no("T1")).await.expect("read").expect("a record");
    assert_eq!(record.state, State::Intent);

    // The database is gone: 503 too.
    let closed = Ledger::connect(url).await.expect("a second pool");
    closed.close().await;
    let closed_addr = serve(Webhook::new(closed, verifier.clone())).await;
    let answer = tokio::time::timeout(Duration::from_secs(30), post(&closed_addr, "/vexora/pay-in", &paid)).await;
    assert_eq!(answer.expect("an answer in time"), (503, "RETRY".to_owned()));

    // The gateway retries, the shop works again: settled once.
    let addr = serve(Webhook::new(ledger.clone(), verifier).with_books(shop_books)).await;
    assert_eq!(post(&addr, "/vexora/pay-in", &paid).await.0, 200);
    assert_eq!(moves(&ledger).await, [("T1".to_owned(), "pay_in".to_owned(), "300".to_owned())]);
}
