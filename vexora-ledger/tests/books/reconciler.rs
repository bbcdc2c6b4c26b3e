//! The reconciler against the sandbox over loopback HTTP, on both
//! databases: lost notifications, lost answers, a gateway slow to create,
//! a create never sent, a failed payout, two workers, a dead worker.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use vexora::clock::{Clock, SystemClock};
use vexora::taiwan::{BalanceRequest, CheckoutRequest};
use vexora::transport::ReqwestTransport;
use vexora::types::TradeStatus;
use vexora::{Client, Config, Error as SdkError};
use vexora_ledger::{
    Intent, Kind, Ledger, Money, Observation, Options, Outcome, Reconciler, ReconcilerOptions, RecordKeys, Reported,
    Settled, Source, State, Summary,
};
use vexora_sandbox::{RunningSandbox, Sandbox, SandboxConfig, TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};

on_both_databases!(
    a_paid_order_whose_notification_was_lost_is_credited_once,
    an_outcome_unknown_create_is_resolved_once_the_gateway_shows_it,
    what_the_gateway_never_made_is_kept_for_a_person_and_never_resent,
    a_failed_payout_is_reported_failed_and_never_resent,
    two_workers_never_work_on_one_record,
    a_worker_that_dies_mid_lease_is_taken_over,
    an_answer_never_recorded_is_found_and_settled,
    a_running_worker_settles_until_stopped,
    a_record_whose_lease_ended_before_its_turn_is_left_alone,
    a_receiver_that_moves_a_record_during_the_lease_keeps_its_due_time,
    the_merchants_books_move_once_with_what_the_reconciler_settles,
    the_reconciler_reads_the_time_from_the_ledgers_clock,
);

/// Nobody listens there: every notification is lost.
const LOST: &str = "http://127.0.0.1:9/notify";

struct World {
    sandbox: RunningSandbox,
    client: Client<ReqwestTransport>,
    ledger: Ledger,
}

/// A sandbox, a client of its Taiwan gateway, and a ledger whose records
/// fall due at once (no grace, no wait for a notification).
async fn world(url: &str) -> World {
    world_on(url, Arc::new(SystemClock)).await
}

/// [`world`], its ledger's reconcilers reading the time from `clock`.
async fn world_on(url: &str, clock: Arc<dyn Clock>) -> World {
    let sandbox = Sandbox::start(SandboxConfig::default().time_scale(0.001).opening_balance(TEST_MERCHANT_NO, 10_000))
        .await
        .expect("the sandbox starts");
    let config = Config::builder()
        .merchant_no(TEST_MERCHANT_NO)
        .app_secret(TEST_MERCHANT_SECRET)
        .base_url(sandbox.base_url("taiwan"))
        .timeout(Duration::from_secs(2))
        .order_not_found_code("9008")
        .duplicate_trade_no_code("9005")
        .build()
        .expect("a valid configuration");
    let client = Client::with_transport(config, ReqwestTransport::new().expect("a transport"));
    let mut options = Options::default();
    options.intent_grace = Duration::ZERO;
    options.processing_after = Duration::ZERO;
    options.clock = clock;
    let ledger = Ledger::connect_with(url, options).await.expect("the ledger connects");
    World { sandbox, client, ledger }
}

impl World {
    fn reconciler(
        &self,
        worker: &str,
        settle_delay: Duration,
    ) -> Reconciler<ReqwestTransport, impl Fn(&str) -> Option<Client<ReqwestTransport>> + Send + Sync + use<>> {
        let client = self.client.clone();
        let mut options = ReconcilerOptions::default();
        options.worker = worker.to_owned();
        options.settle_delay = settle_delay;
        options.initial_backoff = Duration::from_secs(60);
        options.lease = Duration::from_secs(30);
        Reconciler::new(self.ledger.clone(), move |region: &str| (region == "taiwan").then(|| client.clone()))
            .with_options(options)
    }

    /// POSTs a control route of the sandbox; the status.
    async fn control(&self, path: &str, body: &str) -> u16 {
        let addr = self.sandbox.addr();
        let mut stream = tokio::net::TcpStream::connect(addr).await.expect("the sandbox listens");
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nmerchantNo: {TEST_MERCHANT_NO}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.expect("sent");
        let mut response = String::new();
        stream.read_to_string(&mut response).await.expect("an answer");
        response.split(' ').nth(1).and_then(|status| status.parse().ok()).expect("a status line")
    }

    /// How many orders or payouts the sandbox holds under `trade_no`.
    async fn made(&self, what: &str, trade_no: &str) -> usize {
        let addr = self.sandbox.addr();
        let mut stream = tokio::net::TcpStream::connect(addr).await.expect("the sandbox listens");
        let request = format!("GET /sandbox/{what} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.expect("sent");
        let mut response = String::new();
        stream.read_to_string(&mut response).await.expect("an answer");
        response.matches(&format!("\"tradeNo\":\"{trade_no}\"")).count()
    }

    /// Records the intent and sends the checkout, settling its answer.
    async fn checkout(&self, trade_no: &str) -> CheckoutRequest {
        let request = order(trade_no);
        self.ledger
            .record_intent(&Intent::of(Kind::PayIn, TEST_MERCHANT_NO, &request).expect("an intent"))
            .await
            .expect("recorded");
        match self.client.send(&request).await {
            Ok(answer) => {
                self.ledger.settle(&Observation::checkout_answer(&answer)).await.expect("settled");
            }
            Err(SdkError::OutcomeUnknown { .. }) => {
                let unknown = Observation::outcome_unknown(Kind::PayIn, RecordKeys::trade_no(trade_no));
                self.ledger.settle(&unknown).await.expect("settled");
            }
            Err(other) => panic!("the checkout failed: {other}"),
        }
        request
    }

    async fn state(&self, kind: Kind, trade_no: &str) -> (State, Money) {
        let record = self.ledger.record(kind, &RecordKeys::trade_no(trade_no)).await.expect("read").expect("recorded");
        (record.state, record.paid)
    }
}

fn order(trade_no: &str) -> CheckoutRequest {
    let n = next();
    // The sandbox allows three paid orders per address a day.
    crate::common::checkout(trade_no, 300, format!("10.7.{}.{}", n / 250 % 250, n % 250), LOST)
}

fn next() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |since| since.as_nanos());
    format!("{prefix}{}", nanos % 1_000_000_000_000)
}

fn outcomes(summary: &Summary, trade_no: &str) -> Vec<Outcome> {
    summary
        .examined
        .iter()
        .filter(|examined| examined.keys.get("tradeNo") == Some(trade_no))
        .map(|examined| examined.outcome.clone())
        .collect()
}

async fn a_paid_order_whose_notification_was_lost_is_credited_once(url: &str) {
    let world = world(url).await;
    let trade_no = unique("LOST");
    world.checkout(&trade_no).await;
    assert_eq!(world.state(Kind::PayIn, &trade_no).await, (State::Processing, Money::ZERO));
    assert_eq!(world.control(&format!("/sandbox/orders/{trade_no}/pay"), "").await, 200);

    let summary = world.reconciler("w1", Duration::from_secs(30)).reconcile_once().await.expect("a pass");
    match outcomes(&summary, &trade_no).as_slice() {
        [Outcome::Settled(change)] => assert_eq!(change.credit(), Some(Money::from(300))),
        other => panic!("expected one credit, got {other:?}"),
    }
    assert!(summary.all_known(), "{summary}");
    assert_eq!(world.state(Kind::PayIn, &trade_no).await, (State::Paid, Money::from(300)));

    // Paid is final: nothing is due, and the notification arriving late credits nothing.
    let again = world.reconciler("w1", Duration::from_secs(30)).reconcile_once().await.expect("a pass");
    assert!(again.examined.is_empty(), "{again}");
    let late = Reported::Status { status: TradeStatus::Success, amount: Some(Money::from(300)) };
    let late = Observation::new(Kind::PayIn, RecordKeys::trade_no(&trade_no), Source::Notification, late);
    assert_eq!(world.ledger.settle(&late).await.expect("settled"), Settled::Unchanged);
    let record = world.ledger.record(Kind::PayIn, &RecordKeys::trade_no(&trade_no)).await.expect("read").expect("one");
    let credits: Vec<_> = world
        .ledger
        .history(&record)
        .await
        .expect("history")
        .into_iter()
        .filter(|event| event.new_paid != event.old_paid)
        .map(|event| event.source)
        .collect();
    assert_eq!(credits, ["query"]);
}

async fn an_outcome_unknown_create_is_resolved_once_the_gateway_shows_it(url: &str) {
    let world = world(url).await;
    let trade_no = unique("SLOW");
    // The answer is lost after the order was made, and queries do not see it for 500 ms.
    let fault = r#"{"drop_connection": true, "visible_after_ms": 500, "path": "/taiwan/v1/vexora/checkout"}"#;
    assert!(world.control("/sandbox/faults", fault).await < 300);
    world.checkout(&trade_no).await;
    assert_eq!(world.state(Kind::PayIn, &trade_no).await.0, State::Unknown);

    let reconciler = world.reconciler("w1", Duration::from_millis(1500));
    let first = reconciler.reconcile_once().await.expect("a pass");
    assert!(
        matches!(outcomes(&first, &trade_no).as_slice(), [Outcome::StillUnknown { .. }]),
        "not found too soon is not trusted: {first}"
    );
    assert!(!first.all_known());
    assert_eq!(world.state(Kind::PayIn, &trade_no).await.0, State::Unknown);

    tokio::time::sleep(Duration::from_millis(1600)).await;
    let second = reconciler.reconcile_once().await.expect("a pass");
    match outcomes(&second, &trade_no).as_slice() {
        [Outcome::Settled(change)] => {
            assert_eq!((change.old_state, change.new_state), (State::Unknown, State::Processing))
        }
        other => panic!("expected it found processing, got {other:?}: {second}"),
    }
    assert!(second.all_known(), "{second}");
    assert_eq!(world.made("orders", &trade_no).await, 1, "made once, never resent");
}

async fn what_the_gateway_never_made_is_kept_for_a_person_and_never_resent(url: &str) {
    let world = world(url).await;
    // Recorded, then the process died before sending.
    let never_sent = unique("CRASH");
    let request = order(&never_sent);
    world
        .ledger
        .record_intent(&Intent::of(Kind::PayIn, TEST_MERCHANT_NO, &request).expect("an intent"))
        .await
        .expect("recorded");
    // Sent, and lost before the gateway made anything.
    let lost = unique("GONE");
    let fault = r#"{"drop_connection": true, "before_processing": true, "path": "/taiwan/v1/vexora/checkout"}"#;
    assert!(world.control("/sandbox/faults", fault).await < 300);
    world.checkout(&lost).await;

    let summary = world.reconciler("w1", Duration::ZERO).reconcile_once().await.expect("a pass");
    for trade_no in [&never_sent, &lost] {
        assert!(matches!(outcomes(&summary, trade_no).as_slice(), [Outcome::NeedsPerson { .. }]), "{summary}");
        assert_eq!(world.state(Kind::PayIn, trade_no).await.0, State::NotFound);
        assert_eq!(world.made("orders", trade_no).await, 0, "the reconciler never sends a create");
    }
    let kept = world.ledger.needs_attention().await.expect("listed");
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(kept.iter().all(|attention| attention.source == "reconciler" && attention.reason.contains("not found")));
    // Nothing is due any more: a second pass asks nothing and keeps nothing twice.
    let again = world.reconciler("w1", Duration::ZERO).reconcile_once().await.expect("a pass");
    assert!(again.examined.is_empty(), "{again}");
    assert_eq!(world.ledger.needs_attention().await.expect("listed").len(), 2);

    // Not found is not final: the merchant resends the same request, and it settles.
    let answer = world.client.send(&request).await.expect("the resend is accepted");
    world.ledger.settle(&Observation::checkout_answer(&answer)).await.expect("settled");
    assert_eq!(world.state(Kind::PayIn, &never_sent).await.0, State::Processing);
}

async fn a_failed_payout_is_reported_failed_and_never_resent(url: &str) {
    let world = world(url).await;
    let trade_no = unique("PO");
    let payout = crate::common::payout(&trade_no, 100, LOST);
    world
        .ledger
        .record_intent(&Intent::of(Kind::Payout, TEST_MERCHANT_NO, &payout).expect("an intent"))
        .await
        .expect("recorded");
    let answer = world.client.send(&payout).await.expect("accepted");
    world.ledger.settle(&Observation::payout_answer(&answer)).await.expect("settled");
    assert_eq!(world.control(&format!("/sandbox/payouts/{trade_no}/fail"), "").await, 200);

    let before = world.sandbox.stats().requests;
    let summary = world.reconciler("w1", Duration::from_secs(30)).reconcile_once().await.expect("a pass");
    assert_eq!(world.sandbox.stats().requests - before, 1, "one query, nothing sent again");
    let failed: Vec<_> = summary.failed_payouts().map(|change| change.keys.clone()).collect();
    assert_eq!(failed, [RecordKeys::trade_no(trade_no.as_str())], "{summary}");
    assert_eq!(world.state(Kind::Payout, &trade_no).await, (State::Failed, Money::ZERO));
    let balance = world.client.send(&BalanceRequest::builder().build()).await.expect("the balance");
    let available = Money::try_from(&balance.available_amount).expect("an exact amount");
    assert_eq!(available, Money::from(10_000), "the amount is back in the balance");
    let again = world.reconciler("w1", Duration::from_secs(30)).reconcile_once().await.expect("a pass");
    assert!(again.examined.is_empty(), "failed is final: {again}");
}

async fn two_workers_never_work_on_one_record(url: &str) {
    let world = world(url).await;
    let trade_nos: Vec<String> = (0..8).map(|n| format!("{}-{n}", unique("TWO"))).collect();
    for trade_no in &trade_nos {
        world.checkout(trade_no).await;
        assert_eq!(world.control(&format!("/sandbox/orders/{trade_no}/pay"), "").await, 200);
    }
    let (one, two) =
        (world.reconciler("one", Duration::from_secs(30)), world.reconciler("two", Duration::from_secs(30)));
    let (first, second) = tokio::join!(one.reconcile_once(), two.reconcile_once());
    let (first, second) = (first.expect("a pass"), second.expect("a pass"));
    let mut examined: Vec<String> = first
        .examined
        .iter()
        .chain(&second.examined)
        .filter_map(|examined| examined.keys.get("tradeNo").map(str::to_owned))
        .collect();
    examined.sort();
    let mut expected = trade_nos.clone();
    expected.sort();
    assert_eq!(examined, expected, "each record examined by exactly one worker:\n{first}\n{second}");
    for trade_no in &trade_nos {
        assert_eq!(world.state(Kind::PayIn, trade_no).await, (State::Paid, Money::from(300)));
        let record = world
            .ledger
            .record(Kind::PayIn, &RecordKeys::trade_no(trade_no.as_str()))
            .await
            .expect("read")
            .expect("one");
        let queries =
            world.ledger.history(&record).await.expect("history").into_iter().filter(|e| e.source == "query").count();
        assert_eq!(queries, 1, "{trade_no}: one query result applied");
    }
}

async fn a_worker_that_dies_mid_lease_is_taken_over(url: &str) {
    let world = world(url).await;
    let trade_no = unique("DEAD");
    world.checkout(&trade_no).await;
    assert_eq!(world.control(&format!("/sandbox/orders/{trade_no}/pay"), "").await, 200);

    // A worker claims it, then dies before querying.
    let dead =
        world.ledger.claim_due("dead", SystemTime::now(), Duration::from_millis(600), 10).await.expect("claimed");
    assert_eq!(dead.len(), 1);
    let alive = world.reconciler("alive", Duration::from_secs(30));
    let meanwhile = alive.reconcile_once().await.expect("a pass");
    assert!(meanwhile.examined.is_empty(), "a live lease is not taken: {meanwhile}");

    tokio::time::sleep(Duration::from_millis(700)).await;
    let after = alive.reconcile_once().await.expect("a pass");
    match outcomes(&after, &trade_no).as_slice() {
        [Outcome::Settled(change)] => assert_eq!(change.credit(), Some(Money::from(300))),
        other => panic!("expected the expired lease taken over and credited, got {other:?}"),
    }
    assert!(!world.ledger.release(&dead[0], None).await.expect("released"), "the dead worker's lease is gone");
    assert_eq!(world.state(Kind::PayIn, &trade_no).await, (State::Paid, Money::from(300)));
}

/// The process died after sending, before recording the answer: the
/// intent is all the books hold, and the gateway has the order.
async fn an_answer_never_recorded_is_found_and_settled(url: &str) {
    let world = world(url).await;
    let trade_no = unique("DIED");
    let request = order(&trade_no);
    world
        .ledger
        .record_intent(&Intent::of(Kind::PayIn, TEST_MERCHANT_NO, &request).expect("an intent"))
        .await
        .expect("recorded");
    world.client.send(&request).await.expect("made");

    let summary = world.reconciler("w1", Duration::ZERO).reconcile_once().await.expect("a pass");
    match outcomes(&summary, &trade_no).as_slice() {
        [Outcome::Settled(change)] => {
            assert_eq!((change.old_state, change.new_state), (State::Intent, State::Processing))
        }
        other => panic!("expected it found, got {other:?}: {summary}"),
    }
    assert_eq!(world.made("orders", &trade_no).await, 1);
}

async fn a_running_worker_settles_until_stopped(url: &str) {
    let world = world(url).await;
    let trade_no = unique("RUN");
    world.checkout(&trade_no).await;
    let mut options = ReconcilerOptions::default();
    options.worker = "runner".to_owned();
    options.idle = Duration::from_millis(50);
    options.initial_backoff = Duration::from_millis(100);
    options.max_backoff = Duration::from_millis(200);
    let client = world.client.clone();
    let reconciler = Reconciler::new(world.ledger.clone(), move |_: &str| Some(client.clone())).with_options(options);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(async move {
        reconciler
            .run(async {
                let _ = stopped.await;
            })
            .await;
    });

    // Found processing first; then paid, with the notification lost.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(world.control(&format!("/sandbox/orders/{trade_no}/pay"), "").await, 200);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while world.state(Kind::PayIn, &trade_no).await.0 != State::Paid {
        assert!(tokio::time::Instant::now() < deadline, "the running worker never settled it");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(world.state(Kind::PayIn, &trade_no).await, (State::Paid, Money::from(300)));
    stop.send(()).expect("the worker runs");
    tokio::time::timeout(Duration::from_secs(5), worker).await.expect("it stops").expect("it did not panic");
}

async fn a_record_whose_lease_ended_before_its_turn_is_left_alone(url: &str) {
    let world = world(url).await;
    let trade_no = unique("LATE");
    world.checkout(&trade_no).await;
    assert_eq!(world.control(&format!("/sandbox/orders/{trade_no}/pay"), "").await, 200);

    let mut options = ReconcilerOptions::default();
    options.worker = "slow".to_owned();
    options.lease = Duration::ZERO;
    let client = world.client.clone();
    let slow = Reconciler::new(world.ledger.clone(), move |_: &str| Some(client.clone())).with_options(options);
    let before = world.sandbox.stats().requests;
    let summary = slow.reconcile_once().await.expect("a pass");
    assert!(summary.examined.is_empty(), "{summary}");
    assert_eq!(world.sandbox.stats().requests, before, "nothing queried under an ended lease");
    assert_eq!(world.state(Kind::PayIn, &trade_no).await.0, State::Processing);

    let summary = world.reconciler("next", Duration::from_secs(30)).reconcile_once().await.expect("a pass");
    assert!(matches!(outcomes(&summary, &trade_no).as_slice(), [Outcome::Settled(_)]), "{summary}");
}

/// A receiver settles the answer while the worker's query is on its way:
/// the worker's release keeps the due time the receiver's settlement set
/// (the record is processing: due after `processing_after`, here at once)
/// instead of its own backoff for a record it saw as an intent.
async fn a_receiver_that_moves_a_record_during_the_lease_keeps_its_due_time(url: &str) {
    let world = world(url).await;
    let trade_no = unique("MOVED");
    let request = order(&trade_no);
    world
        .ledger
        .record_intent(&Intent::of(Kind::PayIn, TEST_MERCHANT_NO, &request).expect("an intent"))
        .await
        .expect("recorded");
    world.client.send(&request).await.expect("made");
    let slow_query = r#"{"delay_ms": 800, "path": "/taiwan/v1/vexora/queryPayInResult"}"#;
    assert!(world.control("/sandbox/faults", slow_query).await < 300);

    let reconciler = world.reconciler("w1", Duration::from_secs(30));
    let pass = tokio::spawn(async move { reconciler.reconcile_once().await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let processing = Reported::Status { status: TradeStatus::Processing, amount: None };
    let answer = Observation::new(Kind::PayIn, RecordKeys::trade_no(trade_no.as_str()), Source::Answer, processing);
    assert!(matches!(world.ledger.settle(&answer).await.expect("settled"), Settled::Applied(_)));
    let summary = pass.await.expect("the pass ran").expect("a pass");
    assert!(matches!(outcomes(&summary, &trade_no).as_slice(), [Outcome::Unchanged { .. }]), "{summary}");

    let record =
        world.ledger.record(Kind::PayIn, &RecordKeys::trade_no(trade_no.as_str())).await.expect("read").expect("one");
    assert_eq!(record.state, State::Processing);
    let due = record.due_at.expect("still due");
    assert!(due <= SystemTime::now(), "the receiver's due time, not the worker's 60 s backoff: {due:?}");
}

async fn the_merchants_books_move_once_with_what_the_reconciler_settles(url: &str) {
    let world = world(url).await;
    sqlx::query("CREATE TABLE shop_credits (trade_no TEXT NOT NULL, amount TEXT NOT NULL)")
        .execute(world.ledger.pool())
        .await
        .expect("the merchant's table");
    let trade_no = unique("BOOKS");
    world.checkout(&trade_no).await;
    assert_eq!(world.control(&format!("/sandbox/orders/{trade_no}/pay"), "").await, 200);

    // The notification is lost: only the reconciler's query learns of the payment.
    let reconciler = world.reconciler("w1", Duration::from_secs(30)).with_books(|tx, change| {
        Box::pin(async move {
            if let Some(credit) = change.credit() {
                sqlx::query("INSERT INTO shop_credits (trade_no, amount) VALUES ($1, $2)")
                    .bind(change.keys.get("tradeNo"))
                    .bind(credit.to_string())
                    .execute(&mut **tx)
                    .await?;
            }
            Ok(())
        })
    });
    let summary = reconciler.reconcile_once().await.expect("a pass");
    assert_eq!(summary.settled().count(), 1, "{summary}");
    let again = reconciler.reconcile_once().await.expect("a pass");
    assert!(again.examined.is_empty(), "{again}");

    let credits: Vec<(String, String)> =
        sqlx::query_as("SELECT trade_no, amount FROM shop_credits").fetch_all(world.ledger.pool()).await.expect("read");
    assert_eq!(credits, [(trade_no.clone(), "300".to_owned())], "the merchant's order moved once, with the ledger");
    assert_eq!(world.state(Kind::PayIn, &trade_no).await, (State::Paid, Money::from(300)));
}

/// A clock that moves only when told.
struct ManualClock(AtomicU64);

impl ManualClock {
    fn at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(self.0.load(Ordering::SeqCst))
    }

    fn advance(&self, by: Duration) {
        self.0.fetch_add(u64::try_from(by.as_millis()).expect("a short advance"), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// With `Options::clock`, a lease ends and a record falls due again when
/// that clock says, however much or little real time passed: a dead
/// worker's lease holds until the clock reaches its end, not a
/// millisecond less, and the next query is due a backoff after the
/// clock's now.
async fn the_reconciler_reads_the_time_from_the_ledgers_clock(url: &str) {
    // A day ahead of the system clock the settlements are stamped with.
    let ahead = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970") + Duration::from_secs(86_400);
    let clock = Arc::new(ManualClock(AtomicU64::new(u64::try_from(ahead.as_millis()).expect("fits"))));
    let world = world_on(url, clock.clone()).await;
    let (paid, paying) = (unique("CLOCKPAID"), unique("CLOCKPAYING"));
    world.checkout(&paid).await;
    world.checkout(&paying).await;
    assert_eq!(world.control(&format!("/sandbox/orders/{paid}/pay"), "").await, 200);

    let dead = world.ledger.claim_due("dead", clock.at(), Duration::from_secs(30), 10).await.expect("claimed");
    assert_eq!(dead.len(), 2);
    assert_eq!(dead[0].lease_until, clock.at() + Duration::from_secs(30), "leased on the clock");
    let alive = world.reconciler("alive", Duration::from_secs(30));
    clock.advance(Duration::from_millis(29_999));
    let meanwhile = alive.reconcile_once().await.expect("a pass");
    assert!(meanwhile.examined.is_empty(), "the lease holds until the clock reaches its end: {meanwhile}");

    clock.advance(Duration::from_millis(1));
    let after = alive.reconcile_once().await.expect("a pass");
    match outcomes(&after, &paid).as_slice() {
        [Outcome::Settled(change)] => assert_eq!(change.credit(), Some(Money::from(300))),
        other => panic!("expected the ended lease taken over and credited, got {other:?}: {after}"),
    }
    let still = after.examined.iter().find(|examined| examined.keys.get("tradeNo") == Some(paying.as_str()));
    let still = still.expect("the paying order examined");
    assert_eq!(still.outcome, Outcome::Unchanged { state: State::Processing });
    // Its second claim (the dead worker's was the first): twice the 60 s.
    assert_eq!(still.next_due, Some(clock.at() + Duration::from_secs(120)), "due a backoff after the clock's now");
}
