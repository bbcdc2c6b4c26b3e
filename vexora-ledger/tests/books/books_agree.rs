//! The books end where the gateway's are: 200 checkouts and 100 payouts
//! made through the resolving create, twenty at a time, while the sandbox loses a fifth of the
//! creates' answers after making them (and hides those orders from queries
//! for a while), and loses 30 % of the notifications; then the reconciler
//! runs until nothing is unknown. On both databases and both backends.
//!
//! Checked at the end: every order and payout the sandbox holds is in the
//! ledger with the same final status and amount paid, none was made twice,
//! and the ledger's credited and debited totals are the sandbox's.

use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::task::JoinSet;
use vexora::notification::Verifier;
use vexora::resolve::{Resolution, ResolvePolicy};
use vexora::taiwan::{CheckoutRequest, PayoutRequest};
use vexora::transport::Transport;
use vexora::types::{TradeNo, TradeStatus};
use vexora::{AppSecret, Client, Config};
use vexora_ledger::webhook::Webhook;
use vexora_ledger::{Intent, Kind, Ledger, Money, Observation, Options, ReconcilerOptions, State};
use vexora_sandbox::{RunningSandbox, Sandbox, SandboxConfig, TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};

const CHECKOUTS: usize = 200;
const PAYOUTS: usize = 100;
/// One create in this many loses its answer after the sandbox made it.
const ANSWER_LOST_EVERY: usize = 5;
const NOTIFICATIONS_LOST_PERCENT: u8 = 30;
/// Creates sent at once. A lost answer is resolved in the time the order
/// stays hidden plus the resolving create's settle delay; side by side,
/// those waits overlap.
const AT_ONCE: usize = 4 * ANSWER_LOST_EVERY;

macro_rules! on_both_backends_and_databases {
    ($($database:ident),*) => {
        $(
            mod $database {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn surf() {
                    let Some(db) = super::database(stringify!($database), "surf").await else { return };
                    super::books_agree_with_the_gateway(&db.url, |timeout| {
                        vexora::transport::SurfTransport::with_max_idle_connections(timeout, 16)
                    })
                    .await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn reqwest() {
                    let Some(db) = super::database(stringify!($database), "reqwest").await else { return };
                    super::books_agree_with_the_gateway(&db.url, |_| {
                        vexora::transport::ReqwestTransport::new().expect("TLS set-up works")
                    })
                    .await;
                }
            }
        )*
    };
}

on_both_backends_and_databases!(sqlite, postgres);

async fn database(kind: &str, backend: &str) -> Option<crate::common::TestDb> {
    match kind {
        "sqlite" => Some(crate::common::sqlite()),
        _ => crate::common::postgres(&format!("books_agree_{backend}")).await,
    }
}

async fn books_agree_with_the_gateway<T: Transport + Clone + 'static>(url: &str, transport: impl Fn(Duration) -> T) {
    let config = SandboxConfig::default()
        .time_scale(0.001)
        .opening_balance(TEST_MERCHANT_NO, 1_000_000)
        .lose_notifications(NOTIFICATIONS_LOST_PERCENT, 23);
    let sandbox = Sandbox::start(config).await.expect("the sandbox starts");
    let mut options = Options::default();
    options.intent_grace = Duration::ZERO;
    options.processing_after = Duration::ZERO;
    let ledger = Ledger::connect_with(url, options).await.expect("the ledger connects");
    let receiver =
        serve(Webhook::new(ledger.clone(), Verifier::new(AppSecret::new(TEST_MERCHANT_SECRET))).router()).await;

    let config = Config::builder()
        .merchant_no(TEST_MERCHANT_NO)
        .app_secret(TEST_MERCHANT_SECRET)
        .base_url(sandbox.base_url("taiwan"))
        .timeout(Duration::from_secs(5))
        .order_not_found_code("9008")
        .duplicate_trade_no_code("9005")
        .build()
        .expect("a valid configuration");
    let client = Client::with_transport(config, transport(Duration::from_secs(5)));
    let policy = ResolvePolicy {
        deadline: Duration::from_secs(20),
        settle_delay: Duration::from_millis(60),
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
    };

    // Creates whose answer was lost and which the resolving create found.
    let gateway = sandbox.addr();
    let pay_in_url = format!("http://{receiver}/vexora/pay-in");
    let mut found_existing = in_batches(&sandbox, "/taiwan/v1/vexora/checkout", CHECKOUTS, |n| {
        let (ledger, client, request) = (ledger.clone(), client.clone(), checkout(n, &pay_in_url));
        async move {
            ledger
                .record_intent(&Intent::of(Kind::PayIn, TEST_MERCHANT_NO, &request).expect("an intent"))
                .await
                .expect("recorded");
            let (observation, found) = match client.create_with(&request, policy).await.expect("sent") {
                Resolution::Created(order) => (Observation::checkout_answer(&order), false),
                Resolution::FoundExisting(found) => (Observation::pay_in_query(&found).expect("an observation"), true),
                other => panic!("checkout {n}: the sandbox answers in the end, got {other:?}"),
            };
            ledger.settle(&observation).await.expect("settled");
            let action = ["pay", "pay", "partial", "fail", "pay"][n % 5];
            assert_eq!(control(gateway, &format!("/sandbox/orders/{}/{action}", request.trade_no)).await, 200);
            found
        }
    })
    .await;
    let payout_url = format!("http://{receiver}/vexora/payout");
    found_existing += in_batches(&sandbox, "/taiwan/v1/vexora/disbursements", PAYOUTS, |n| {
        let (ledger, client, request) = (ledger.clone(), client.clone(), payout(n, &payout_url));
        async move {
            ledger
                .record_intent(&Intent::of(Kind::Payout, TEST_MERCHANT_NO, &request).expect("an intent"))
                .await
                .expect("recorded");
            let (observation, found) = match client.create_with(&request, policy).await.expect("sent") {
                Resolution::Created(accepted) => (Observation::payout_answer(&accepted), false),
                Resolution::FoundExisting(found) => (Observation::payout_query(&found).expect("an observation"), true),
                other => panic!("payout {n}: the sandbox answers in the end, got {other:?}"),
            };
            ledger.settle(&observation).await.expect("settled");
            let action = ["pay", "pay", "fail"][n % 3];
            assert_eq!(control(gateway, &format!("/sandbox/payouts/{}/{action}", request.trade_no)).await, 200);
            found
        }
    })
    .await;

    // The notifications that were not lost have been delivered (their
    // retries are scaled down a thousandfold); the reconciler finds the rest.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut reconciler_options = ReconcilerOptions::default();
    reconciler_options.settle_delay = Duration::ZERO;
    reconciler_options.initial_backoff = Duration::from_millis(10);
    reconciler_options.max_backoff = Duration::from_millis(50);
    reconciler_options.batch = 500;
    let reconciler_client = client.clone();
    let clients = move |region: &str| (region == "taiwan").then(|| reconciler_client.clone());
    assert_eq!(found_existing, (CHECKOUTS + PAYOUTS) / ANSWER_LOST_EVERY, "every lost answer was resolved by a query");
    let mut passes = 0;
    let mut settled_by_reconciler = 0;
    loop {
        let summary =
            vexora_ledger::reconcile_once(&ledger, &clients, reconciler_options.clone()).await.expect("a pass");
        settled_by_reconciler += summary.settled().count();
        passes += 1;
        // Known: what the gateway said is settled (a part payment stays
        // open for the payer, but the books know it).
        let unknown =
            |state: State| matches!(state, State::Intent | State::Unknown | State::NotFound | State::Processing);
        let open = ledger.records().await.expect("the records").iter().filter(|record| unknown(record.state)).count();
        if open == 0 {
            break;
        }
        assert!(passes < 20, "still open after {passes} passes ({open} records): {summary}");
        tokio::time::sleep(Duration::from_millis(60)).await;
    }

    // The gateway's books, by tradeNo: (status, amount paid) and how many.
    let orders: Vec<Value> = get(&sandbox, "/sandbox/orders").await;
    let mut gateway = BTreeMap::new();
    let mut paid_in = Money::from(0);
    for order in &orders {
        let trade_no = order["tradeNo"].as_str().expect("a tradeNo").to_owned();
        let paid = Money::parse(order["paidAmount"].as_str().expect("an amount")).expect("exact");
        paid_in = paid_in.checked_add(paid).expect("fits");
        let status = order["status"].as_str().expect("a status").to_owned();
        assert!(gateway.insert(trade_no.clone(), (status, paid)).is_none(), "{trade_no} made twice");
    }
    assert_eq!(orders.len(), CHECKOUTS, "one order per checkout");

    let records = ledger.records().await.expect("the records");
    let mut credited = Money::from(0);
    let mut debited = Money::from(0);
    for record in &records {
        let trade_no = record.keys.get("tradeNo").expect("a tradeNo").to_owned();
        match record.kind {
            Kind::PayIn => {
                let (status, paid) = gateway.get(&trade_no).unwrap_or_else(|| panic!("{trade_no}: not at the gateway"));
                assert_eq!((record.status.as_deref(), record.paid), (Some(status.as_str()), *paid), "{trade_no}");
                credited = credited.checked_add(record.paid).expect("fits");
            }
            Kind::Payout => {
                let query = vexora::taiwan::PayoutQueryRequest::builder().trade_no(TradeNo::new(&trade_no)).build();
                let found = client.send(&query).await;
                let found = found.unwrap_or_else(|error| panic!("{trade_no}: {error}"));
                let expected = if found.status == TradeStatus::Success { State::Paid } else { State::Failed };
                assert_eq!(record.state, expected, "{trade_no}");
                if record.state == State::Paid {
                    debited = debited.checked_add(record.paid).expect("fits");
                }
            }
        }
    }
    assert_eq!(records.iter().filter(|record| record.kind == Kind::PayIn).count(), CHECKOUTS);
    assert_eq!(records.iter().filter(|record| record.kind == Kind::Payout).count(), PAYOUTS);
    assert_eq!(credited, paid_in, "credited what the gateway received");
    let paid_out = (0..PAYOUTS).filter(|n| n % 3 != 2).map(payout_amount).sum::<u64>();
    assert_eq!(debited, Money::from(paid_out), "debited what the gateway paid out");
    assert!(ledger.needs_attention().await.expect("listed").is_empty(), "nothing for a person");
    // About 30 % of the 300 notifications were lost; the reconciler found those.
    assert!((45..=135).contains(&settled_by_reconciler), "the reconciler settled {settled_by_reconciler}");
}

fn checkout(n: usize, notify_url: &str) -> CheckoutRequest {
    let ip_address = format!("10.{}.{}.{}", 20 + n / 9 / 250, (n / 9) % 250, 1 + n % 9);
    crate::common::checkout(TradeNo::generate().as_str(), 300 + n as u64, ip_address, notify_url)
}

fn payout_amount(n: usize) -> u64 {
    100 + n as u64
}

fn payout(n: usize, notify_url: &str) -> PayoutRequest {
    crate::common::payout(TradeNo::generate().as_str(), payout_amount(n), notify_url)
}

/// Runs `create(n)` for every `n` below `count`, [`AT_ONCE`] at a time,
/// with a fault armed for every fifth of a batch before any of it is sent:
/// whichever creates arrive first lose their answer, as many as were armed.
/// Returns how many creates found their order already made.
async fn in_batches<F, Fut>(sandbox: &RunningSandbox, path: &str, count: usize, create: F) -> usize
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = bool> + Send + 'static,
{
    let mut found_existing = 0;
    for first in (0..count).step_by(AT_ONCE) {
        let batch = first..count.min(first + AT_ONCE);
        for _ in batch.clone().filter(|n| n % ANSWER_LOST_EVERY == 0) {
            fault(sandbox, path).await;
        }
        let mut creates = JoinSet::new();
        for n in batch {
            creates.spawn(create(n));
        }
        while let Some(created) = creates.join_next().await {
            let found = created.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()));
            found_existing += usize::from(found);
        }
    }
    found_existing
}

/// The next create to `path` is made, its answer lost, and it stays hidden
/// from queries for a while.
async fn fault(sandbox: &RunningSandbox, path: &str) {
    let body = format!(r#"{{"drop_connection": true, "visible_after_ms": 40, "path": "{path}"}}"#);
    assert_eq!(request(sandbox.addr(), "POST", "/sandbox/faults", &body).await.0, 200);
}

async fn control(gateway: SocketAddr, path: &str) -> u16 {
    request(gateway, "POST", path, "").await.0
}

async fn get(sandbox: &RunningSandbox, path: &str) -> Vec<Value> {
    let (status, body) = request(sandbox.addr(), "GET", path, "").await;
    assert_eq!(status, 200, "{body}");
    let json: Value = serde_json::from_str(&body).expect("JSON");
    json.as_array().cloned().unwrap_or_default()
}

async fn request(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("the sandbox listens");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nmerchantNo: {TEST_MERCHANT_NO}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("an answer");
    let status = response.split(' ').nth(1).and_then(|status| status.parse().ok()).expect("a status line");
    let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body).to_owned();
    (status, body)
}

async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}
