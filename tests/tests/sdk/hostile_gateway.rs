//! A gateway (or whatever stands in its place) that redirects, answers
//! with odd statuses and codes, stalls, or leaves connections behind never
//! makes the client create twice, report a refusal that was not one, hang
//! past its deadline, or keep sockets without bound. Every case runs on
//! both backends.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use vexora::client::CallOptions;
use vexora::resolve::{Resolution, ResolvePolicy, Unresolved};
use vexora::retry::RetryPolicy;
use vexora::taiwan::{BalanceRequest, CheckoutRequest, PayInQueryRequest, PayoutRequest};
use vexora::transport::DEFAULT_MAX_IDLE_CONNECTIONS;
use vexora::types::{Amount, TradeNo};
use vexora::{Client, Config, Error};
use vexora_tests::{ewallet_order, sandbox_config};

use crate::backends::Backend;
use crate::scripted_gateway::{self, Answer, BALANCE_OK, Gateway, json, redirect};

/// Attempts a read gets.
const ATTEMPTS: u32 = 3;

fn config(base_url: &str, timeout: Duration) -> Config {
    sandbox_config(base_url)
        .timeout(timeout)
        .retry(RetryPolicy {
            max_attempts: ATTEMPTS,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
        .build()
        .expect("valid configuration")
}

fn client<B: Backend>(gateway: &Gateway) -> Client<B::Transport> {
    Client::with_transport(config(&gateway.base_url(), Duration::from_secs(5)), B::transport())
}

fn order() -> CheckoutRequest {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    ewallet_order(&format!("10.8.{}.{}", n / 250, n % 250), "http://127.0.0.1:9/notify")
}

/// The cause inside the outcome-unknown error a create must end with.
fn outcome_unknown(result: Result<impl std::fmt::Debug, Error>, trade_no: &TradeNo) -> Error {
    match result {
        Err(Error::OutcomeUnknown { keys, cause }) => {
            assert_eq!(keys.iter().collect::<Vec<_>>(), [("tradeNo", trade_no.as_str())]);
            *cause
        }
        other => panic!("expected an outcome-unknown error, got {other:?}"),
    }
}

fn status_of(line: &str) -> u16 {
    line.split(' ').next().and_then(|code| code.parse().ok()).expect("a status line")
}

// ---- redirects -----------------------------------------------------------

/// Where a redirect may point: another host that would accept anything, the
/// redirecting host itself (a loop), and a port nobody listens on.
async fn redirects_are_never_followed<B: Backend>() {
    let elsewhere = Gateway::start(|_| |_: scripted_gateway::Seen| json("200 OK", BALANCE_OK));
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address");
    for status_line in
        ["301 Moved Permanently", "302 Found", "303 See Other", "307 Temporary Redirect", "308 Permanent Redirect"]
    {
        let targets = [Some(elsewhere.addr()), None, Some(closed)];
        for target in targets {
            let gateway = Gateway::start(move |own| {
                let location = format!("http://{}/taiwan/v1/vexora/checkout", target.unwrap_or(own));
                move |_: scripted_gateway::Seen| redirect(status_line, &location)
            });
            let client = client::<B>(&gateway);
            let request = order();
            match outcome_unknown(client.send(&request).await, &request.trade_no) {
                Error::BadResponse { status, .. } => assert_eq!(status, status_of(status_line)),
                other => panic!("{status_line}: expected the redirect as a bad response, got {other:?}"),
            }
            assert_eq!(gateway.requests(), 1, "{status_line}: a create is sent once, never re-posted");

            // A read is not retried either: the same request would be redirected again.
            match client.send(&BalanceRequest::builder().build()).await {
                Err(Error::BadResponse { status, .. }) => assert_eq!(status, status_of(status_line)),
                other => panic!("{status_line}: expected a bad response, got {other:?}"),
            }
            assert_eq!(gateway.requests(), 2, "{status_line}: the read is sent once");
            assert_eq!(gateway.methods(), ["POST", "POST"], "{status_line}");
        }
    }
    assert_eq!(elsewhere.requests(), 0, "nothing ever reached the Location");
}

/// A merchant's own reqwest settings cannot turn redirects back on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merchants_reqwest_builder_that_follows_redirects_is_overridden() {
    let elsewhere = Gateway::start(|_| |_: scripted_gateway::Seen| json("200 OK", BALANCE_OK));
    let location = format!("http://{}/taiwan/v1/vexora/queryBalance", elsewhere.addr());
    let gateway =
        Gateway::start(move |_| move |_: scripted_gateway::Seen| redirect("307 Temporary Redirect", &location));
    let builder = vexora::transport::ReqwestTransport::client_builder()
        .expect("TLS set-up works")
        .redirect(::reqwest::redirect::Policy::limited(10));
    let transport = vexora::transport::ReqwestTransport::from_builder(builder).expect("a client");
    let client = Client::with_transport(config(&gateway.base_url(), Duration::from_secs(5)), transport);
    assert!(matches!(
        client.send(&BalanceRequest::builder().build()).await,
        Err(Error::BadResponse { status: 307, .. })
    ));
    assert_eq!((gateway.requests(), elsewhere.requests()), (1, 0));
}

// ---- dropped connections ---------------------------------------------------

/// The connection is closed with no answer, before the request is read
/// (`before`) or after it: a create may have reached the gateway, so it is
/// unknown and sent once; a read is retried.
async fn a_connection_closed_without_an_answer_is_ambiguous<B: Backend>() {
    // Closed as soon as it is accepted, nothing read.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let before = format!("http://{}/taiwan", listener.local_addr().expect("address"));
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    // Closed after the whole request was read.
    let after = Gateway::start(|_| |_: scripted_gateway::Seen| Answer::Stall(Duration::ZERO));

    let accepted_count = || accepted.load(Ordering::SeqCst);
    let read_count = || after.requests();
    let cases: [(String, &dyn Fn() -> usize); 2] = [(before, &accepted_count), (after.base_url(), &read_count)];
    for (base_url, sent) in cases {
        let client = Client::with_transport(config(&base_url, Duration::from_secs(5)), B::transport());
        let request = order();
        match outcome_unknown(client.send(&request).await, &request.trade_no) {
            Error::Transport(error) => assert!(error.may_have_reached_gateway(), "{base_url}: {error:?}"),
            other => panic!("{base_url}: expected a transport failure, got {other:?}"),
        }
        assert_eq!(sent(), 1, "{base_url}: a create is sent once");
        match client.send(&BalanceRequest::builder().build()).await {
            Err(Error::Transport(error)) => assert!(error.may_have_reached_gateway(), "{base_url}: {error:?}"),
            other => panic!("{base_url}: expected a transport failure, got {other:?}"),
        }
        assert_eq!(sent(), 1 + ATTEMPTS as usize, "{base_url}: a read is retried");
    }
}

// ---- statuses and codes ----------------------------------------------------

/// A non-2xx is never the gateway's refusal, even with a JSON `code`: a
/// create is unknown (sent once), a read is retried.
async fn a_non_2xx_is_never_a_refusal<B: Backend>() {
    let answers = [
        ("502 Bad Gateway", r#"{"code":"BAD_GATEWAY","msg":"upstream"}"#),
        ("504 Gateway Timeout", r#"{"code":504}"#),
        ("500 Internal Server Error", r#"{"code":"9999","msg":"failed"}"#),
        ("400 Bad Request", r#"{"code":"8000","msg":"request failed"}"#),
        ("404 Not Found", r#"{"code":"9008","msg":"no such order"}"#),
    ];
    for (status_line, body) in answers {
        let gateway = Gateway::start(move |_| move |_: scripted_gateway::Seen| json(status_line, body));
        let client = client::<B>(&gateway);
        let request = order();
        match outcome_unknown(client.send(&request).await, &request.trade_no) {
            Error::BadResponse { status, .. } => assert_eq!(status, status_of(status_line)),
            other => panic!("{status_line}: expected a bad response, got {other:?}"),
        }
        assert_eq!(gateway.requests(), 1, "{status_line}: a create is sent once");
        match client.send(&BalanceRequest::builder().build()).await {
            Err(Error::BadResponse { status, .. }) => assert_eq!(status, status_of(status_line)),
            other => panic!("{status_line}: expected a bad response, got {other:?}"),
        }
        assert_eq!(gateway.requests(), 1 + ATTEMPTS as usize, "{status_line}: a read is retried");
    }
}

/// A 2xx whose `code` is not a string is not the gateway's envelope: a bad
/// response, never a refusal, and not retried (it would read the same).
async fn a_code_of_the_wrong_type_is_a_bad_response<B: Backend>() {
    for code in ["null", "0", "8000", r#"{"value":"8000"}"#, r#"["8000"]"#, "true"] {
        let body: &'static str = Box::leak(format!(r#"{{"code":{code},"msg":"m"}}"#).into_boxed_str());
        let gateway = Gateway::start(move |_| move |_: scripted_gateway::Seen| json("200 OK", body));
        let client = client::<B>(&gateway);
        let request = order();
        match outcome_unknown(client.send(&request).await, &request.trade_no) {
            Error::BadResponse { status: 200, reason, .. } => assert!(reason.contains("code"), "{code}: {reason}"),
            other => panic!("{code}: expected a bad response, got {other:?}"),
        }
        assert!(
            matches!(
                client.send(&BalanceRequest::builder().build()).await,
                Err(Error::BadResponse { status: 200, .. })
            ),
            "{code}"
        );
        assert_eq!(gateway.requests(), 2, "{code}: neither call is resent");
    }
}

// ---- deadlines ---------------------------------------------------------------

/// Reads against a gateway that fails fast and then stalls: whatever the
/// backoff leaves, every call ends near its deadline (an attempt given less
/// than a millisecond once meant "no timeout" to curl and hung for seconds).
async fn short_deadlines_are_kept_whatever_the_backoff_leaves<B: Backend>() {
    let gateway = Gateway::start(|_| {
        |seen: scripted_gateway::Seen| {
            if seen.index % 2 == 0 {
                json("503 Service Unavailable", "{}")
            } else {
                Answer::Stall(Duration::from_secs(3))
            }
        }
    });
    let deadline = Duration::from_millis(40);
    let client =
        std::sync::Arc::new(Client::with_transport(tight_config(&gateway.base_url(), deadline), B::transport()));
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let client = std::sync::Arc::clone(&client);
        calls.spawn(async move {
            let started = Instant::now();
            let result = client.send(&BalanceRequest::builder().build()).await;
            (started.elapsed(), result.map(|_| ()))
        });
    }
    while let Some(done) = calls.join_next().await {
        let (elapsed, result) = done.expect("no panic");
        assert!(elapsed < deadline + Duration::from_millis(500), "a call took {elapsed:?}: {result:?}");
        assert!(result.is_err());
    }
}

/// A 40 ms deadline with retry waits drawn up to 45 ms: the waits often end
/// within a millisecond or two of the deadline.
fn tight_config(base_url: &str, deadline: Duration) -> Config {
    sandbox_config(base_url)
        .timeout(deadline)
        .retry(RetryPolicy {
            max_attempts: 50,
            initial_backoff: Duration::from_millis(45),
            max_backoff: Duration::from_millis(45),
        })
        .build()
        .expect("valid configuration")
}

/// Fails every request at once with a 503 and really waits, recording the
/// budget each attempt was given.
#[derive(Clone, Default)]
struct BudgetRecorder {
    budgets: std::sync::Arc<std::sync::Mutex<Vec<Duration>>>,
}

impl vexora::transport::Transport for BudgetRecorder {
    async fn send(
        &self,
        request: vexora::transport::HttpRequest,
    ) -> Result<vexora::transport::HttpResponse, vexora::transport::TransportError> {
        self.budgets.lock().expect("not poisoned").push(request.timeout);
        Ok(vexora::transport::HttpResponse { status: 503, content_type: None, body: Vec::new() })
    }

    async fn wait(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// No attempt ever starts with less than the documented minimum, however
/// the waits fall against the deadline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_attempt_starts_with_less_than_the_minimum() {
    let transport = BudgetRecorder::default();
    let client = std::sync::Arc::new(Client::with_transport(
        tight_config("https://gateway.example/taiwan", Duration::from_millis(40)),
        transport.clone(),
    ));
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..300 {
        let client = std::sync::Arc::clone(&client);
        calls.spawn(async move { client.send(&BalanceRequest::builder().build()).await.map(|_| ()) });
    }
    while let Some(done) = calls.join_next().await {
        assert!(matches!(done.expect("no panic"), Err(Error::BadResponse { status: 503, .. })));
    }
    let budgets = transport.budgets.lock().expect("not poisoned").clone();
    assert!(budgets.len() > 300, "some calls were retried: {} attempts", budgets.len());
    let least = budgets.iter().min().copied().unwrap_or_default();
    assert!(least >= Config::MIN_TIMEOUT, "an attempt started with {least:?}");
}

/// A read that keeps the real cause: `503`, then a timeout on the retry.
async fn a_read_that_times_out_after_a_503_reports_the_503<B: Backend>() {
    let gateway = Gateway::start(|_| {
        |seen: scripted_gateway::Seen| {
            if seen.index == 0 {
                json("503 Service Unavailable", r#"{"msg":"busy"}"#)
            } else {
                Answer::Stall(Duration::from_secs(3))
            }
        }
    });
    let client = Client::with_transport(config(&gateway.base_url(), Duration::from_millis(400)), B::transport());
    match client.send(&BalanceRequest::builder().build()).await {
        Err(Error::TimedOutAfterRetries { attempts: 2, cause }) => {
            assert!(matches!(*cause, Error::BadResponse { status: 503, .. }), "{cause:?}")
        }
        other => panic!("expected the 503 kept beside the timeout, got {other:?}"),
    }
}

/// Per-call deadlines: too short is refused before anything is sent; any
/// longer one, `Duration::MAX` included, works.
async fn per_call_deadlines_are_checked_and_capped<B: Backend>() {
    let gateway = Gateway::start(|_| |_: scripted_gateway::Seen| json("200 OK", BALANCE_OK));
    let client = client::<B>(&gateway);
    for short in [Duration::ZERO, Duration::from_micros(999), Config::MIN_TIMEOUT - Duration::from_nanos(1)] {
        match client.send_with(&BalanceRequest::builder().build(), CallOptions::timeout(short)).await {
            Err(Error::Config(vexora::ConfigError::Invalid { field: "CallOptions::timeout", .. })) => {}
            other => panic!("{short:?}: expected an unusable setting, got {other:?}"),
        }
    }
    assert_eq!(gateway.requests(), 0, "nothing was sent");
    // The shortest deadline is accepted and sent; whether a busy machine
    // answers within 10 ms is not this test's question.
    match client.send_with(&BalanceRequest::builder().build(), CallOptions::timeout(Config::MIN_TIMEOUT)).await {
        Ok(_) => {}
        Err(Error::Transport(error)) if error.kind() == vexora::transport::TransportErrorKind::Timeout => {}
        other => panic!("{:?}: expected an answer or a timeout, got {other:?}", Config::MIN_TIMEOUT),
    }
    for long in [Duration::from_secs(86_400 * 365), Duration::MAX] {
        let balance = client.send_with(&BalanceRequest::builder().build(), CallOptions::timeout(long)).await;
        assert!(balance.is_ok(), "{long:?}: {balance:?}");
    }
}

// ---- connections -------------------------------------------------------------

/// After a burst of 200 concurrent calls, no more idle connections stay
/// open than the configured cap.
async fn idle_connections_are_capped_after_a_burst<B: Backend>() {
    const CAP: usize = 8;
    const BURST: usize = 200;
    let gateway = Gateway::start(|_| {
        |_: scripted_gateway::Seen| {
            // Slow enough that the burst needs many connections at once.
            std::thread::sleep(Duration::from_millis(100));
            json("200 OK", BALANCE_OK)
        }
    });
    let client = std::sync::Arc::new(Client::with_transport(
        config(&gateway.base_url(), Duration::from_secs(20)),
        B::capped(CAP),
    ));
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..BURST {
        let client = std::sync::Arc::clone(&client);
        calls.spawn(async move { client.send(&BalanceRequest::builder().build()).await.map(|_| ()) });
    }
    while let Some(done) = calls.join_next().await {
        done.expect("no panic").expect("every call is answered");
    }
    assert!(gateway.connections() > CAP * 4, "the burst was not concurrent: {} connections", gateway.connections());
    let settled = Instant::now();
    while gateway.open_connections() > CAP && settled.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(gateway.open_connections() <= CAP, "{} connections left open", gateway.open_connections());
    // The kept ones are reused.
    let before = gateway.connections();
    client.send(&BalanceRequest::builder().build()).await.expect("answered");
    assert_eq!(gateway.connections(), before, "an idle connection was reused");
}

// ---- another order's answer ---------------------------------------------

/// `0000` answers about `ANOTHER-ORDER`, whatever was asked.
const ANOTHER_ORDERS_CHECKOUT: &str = r#"{"code":"0000","msg":"success","data":{"tradeNo":"ANOTHER-ORDER",
    "platFormTradeNo":"P2","status":"0015","paymentLink":"https://pay.example/P2"}}"#;
const ANOTHER_ORDERS_RESULT: &str = r#"{"code":"0000","msg":"success","data":{"tradeNo":"ANOTHER-ORDER",
    "platFormTradeNo":"P2","status":"0000","amount":"300"}}"#;

fn another_orders(answer: &'static str) -> Gateway {
    Gateway::start(move |_| move |_: scripted_gateway::Seen| json("200 OK", answer))
}

/// A read answered with another order's data is retried and never `Ok`:
/// it would give this order the other's "paid".
async fn a_query_answered_about_another_order_is_retried_then_refused<B: Backend>() {
    let gateway = another_orders(ANOTHER_ORDERS_RESULT);
    let client = client::<B>(&gateway);
    let asked = TradeNo::new("T1");
    match client.send(&PayInQueryRequest::new(asked.clone())).await {
        Err(Error::AnswerForAnotherRecord { key, sent, answered }) => {
            assert_eq!((key, sent.as_str(), answered.as_str()), ("tradeNo", "T1", "ANOTHER-ORDER"));
        }
        other => panic!("expected an answer for another record, got {other:?}"),
    }
    assert_eq!(gateway.requests(), ATTEMPTS as usize, "a read is retried");
}

/// A checkout or a payout answered with another order's data is an unknown
/// outcome, sent once: the order asked for may or may not exist.
async fn a_create_answered_about_another_order_is_an_unknown_outcome<B: Backend>() {
    let gateway = another_orders(ANOTHER_ORDERS_CHECKOUT);
    let checkouts = client::<B>(&gateway);
    let request = order();
    let cause = outcome_unknown(checkouts.send(&request).await, &request.trade_no);
    assert!(matches!(cause, Error::AnswerForAnotherRecord { key: "tradeNo", .. }), "{cause:?}");
    assert_eq!(gateway.requests(), 1, "a create is sent once");

    let gateway = another_orders(ANOTHER_ORDERS_RESULT);
    let payouts = client::<B>(&gateway);
    let payout = PayoutRequest::builder()
        .trade_no(TradeNo::generate())
        .amount(Amount::new(300))
        .bank_code("004")
        .bank_number("3560123456789012")
        .mobile("0912345678")
        .email("payee@example.com")
        .name("Lin Mei")
        .notify_url("https://merchant.example/notify")
        .build();
    let cause = outcome_unknown(payouts.send(&payout).await, &payout.trade_no);
    assert!(matches!(cause, Error::AnswerForAnotherRecord { .. }), "{cause:?}");
    assert_eq!(gateway.requests(), 1, "a create is sent once");
}

/// Reconciling with a query answered about another order never finds it:
/// `Found` would stop the merchant from ever creating the lost order.
async fn reconciling_never_finds_another_order<B: Backend>() {
    let gateway = another_orders(ANOTHER_ORDERS_RESULT);
    let client = client::<B>(&gateway);
    let request = order();
    match client.reconcile(&request).await {
        Err(Error::AnswerForAnotherRecord { sent, .. }) => assert_eq!(sent, request.trade_no.as_str()),
        other => panic!("expected an answer for another record, got {other:?}"),
    }
}

// ---- the resolving create ------------------------------------------------

const CHECKOUT_PATH: &str = "/taiwan/v1/vexora/checkout";

/// The `tradeNo` a request's body carries.
fn trade_no_in(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|body| body["tradeNo"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// An accepted checkout or a found order, about the order `body` names.
fn accepted_for(body: &[u8], status: &str) -> Answer {
    let data = serde_json::json!({
        "tradeNo": trade_no_in(body), "platFormTradeNo": "P1", "status": status,
        "paymentLink": "https://pay.example/P1", "amount": "300"
    });
    json("200 OK", &serde_json::json!({ "code": "0000", "msg": "success", "data": data }).to_string())
}

fn refused_with(code: &str) -> Answer {
    json("200 OK", &format!(r#"{{"code":"{code}","msg":"refused"}}"#))
}

/// What the scripted gateway saw: each checkout's time and tradeNo, and the
/// number of queries.
#[derive(Default)]
struct Log {
    checkouts: Vec<(Instant, String)>,
    queries: usize,
}

/// A gateway whose answers depend on how many checkouts it has seen: `answer(checkouts
/// so far, is a checkout, body)`.
fn stateful(
    answer: impl Fn(usize, bool, &[u8]) -> Answer + Send + Sync + 'static,
) -> (Gateway, std::sync::Arc<std::sync::Mutex<Log>>) {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Log::default()));
    let log = std::sync::Arc::clone(&seen);
    let gateway = Gateway::start(move |_| {
        move |request: scripted_gateway::Seen| {
            let mut seen = log.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let is_checkout = request.path == CHECKOUT_PATH;
            if is_checkout {
                seen.checkouts.push((Instant::now(), trade_no_in(&request.body)));
            } else {
                seen.queries += 1;
            }
            answer(seen.checkouts.len(), is_checkout, &request.body)
        }
    });
    (gateway, seen)
}

fn resolving_client<B: Backend>(gateway: &Gateway, not_found_code: Option<&str>) -> Client<B::Transport> {
    let mut builder = sandbox_config(gateway.base_url()).timeout(Duration::from_secs(2)).retry(RetryPolicy {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(10),
    });
    if let Some(code) = not_found_code {
        builder = builder.order_not_found_code(code);
    }
    Client::with_transport(builder.build().expect("valid"), B::transport())
}

const SETTLE: Duration = Duration::from_millis(150);

fn quick_policy(deadline: Duration) -> ResolvePolicy {
    ResolvePolicy {
        deadline,
        settle_delay: SETTLE,
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(40),
    }
}

/// The answer was lost after the gateway made the order: the read finds
/// it, and it is never created twice.
async fn a_lost_answer_resolves_to_the_existing_order<B: Backend>() {
    let (gateway, seen) =
        stateful(
            |_, is_checkout, body| {
                if is_checkout { Answer::Stall(Duration::ZERO) } else { accepted_for(body, "0015") }
            },
        );
    let request = order();
    let resolved =
        resolving_client::<B>(&gateway, Some("9008")).create_with(&request, quick_policy(Duration::from_secs(5))).await;
    match resolved {
        Ok(Resolution::FoundExisting(found)) => assert_eq!(found.trade_no, request.trade_no),
        other => panic!("expected the existing order, got {other:?}"),
    }
    assert_eq!(seen.lock().expect("log").checkouts.len(), 1, "created once");
}

/// Lost before the gateway made it: "not found" is trusted only from a
/// query sent the settle delay after the attempt, and then the same
/// tradeNo is sent again.
async fn not_found_after_the_settle_delay_resends_the_same_trade_no<B: Backend>() {
    let (gateway, seen) = stateful(|checkouts, is_checkout, body| match (is_checkout, checkouts) {
        (true, 1) => Answer::Stall(Duration::ZERO),
        (true, _) => accepted_for(body, "0015"),
        (false, _) => refused_with("9008"),
    });
    let request = order();
    let resolved =
        resolving_client::<B>(&gateway, Some("9008")).create_with(&request, quick_policy(Duration::from_secs(5))).await;
    assert!(matches!(resolved, Ok(Resolution::Created(_))), "{resolved:?}");
    let seen = seen.lock().expect("log");
    let [(first_at, first), (again_at, again)] = seen.checkouts.as_slice() else {
        panic!("expected two checkouts, saw {}", seen.checkouts.len())
    };
    assert_eq!((first, again), (&request.trade_no.as_str().to_owned(), &request.trade_no.as_str().to_owned()));
    assert!(*again_at >= *first_at + SETTLE, "resent {:?} after the attempt", *again_at - *first_at);
    assert!(seen.queries >= 2, "a 'not found' before the settle delay was not trusted: {} queries", seen.queries);
}

/// A first answer that refuses is definite; after an ambiguous attempt a
/// refusal (of a duplicate, say) is not reported until a query looks.
async fn refusals_are_reported_only_when_nothing_was_made<B: Backend>() {
    let (gateway, seen) = stateful(|_, _, _| refused_with("8000"));
    let resolved =
        resolving_client::<B>(&gateway, Some("9008")).create_with(&order(), quick_policy(Duration::from_secs(5))).await;
    assert!(matches!(&resolved, Ok(Resolution::Refused { code, .. }) if code == "8000"), "{resolved:?}");
    assert_eq!(seen.lock().expect("log").queries, 0, "a first refusal needs no query");

    // The first attempt made the order but its answer was lost; the resend
    // is refused as a duplicate, and the order exists.
    let (gateway, seen) = stateful(|checkouts, is_checkout, body| match (is_checkout, checkouts) {
        (true, 1) => Answer::Stall(Duration::ZERO),
        (true, _) => refused_with("9005"),
        (false, 1) => refused_with("9008"),
        (false, _) => accepted_for(body, "0015"),
    });
    let resolved =
        resolving_client::<B>(&gateway, Some("9008")).create_with(&order(), quick_policy(Duration::from_secs(5))).await;
    assert!(matches!(resolved, Ok(Resolution::FoundExisting(_))), "{resolved:?}");
    assert_eq!(seen.lock().expect("log").checkouts.len(), 2);
}

/// Without the gateway's "no such order" code it never sends again; a read
/// that keeps failing ends unresolved at the deadline, never resent.
async fn what_cannot_be_known_is_unresolved_and_never_resent<B: Backend>() {
    let (gateway, seen) =
        stateful(|_, is_checkout, _| if is_checkout { Answer::Stall(Duration::ZERO) } else { refused_with("9008") });
    let request = order();
    match resolving_client::<B>(&gateway, None).create_with(&request, quick_policy(Duration::from_secs(5))).await {
        Ok(Resolution::Unresolved { keys, reason: Unresolved::NotFoundCodeUnknown { code, .. } }) => {
            assert_eq!((keys.trade_no(), code.as_str()), (Some(request.trade_no.as_str()), "9008"));
        }
        other => panic!("expected unresolved, got {other:?}"),
    }
    assert_eq!(seen.lock().expect("log").checkouts.len(), 1);

    let (gateway, seen) =
        stateful(
            |_, is_checkout, _| {
                if is_checkout { Answer::Stall(Duration::ZERO) } else { json("503 Service Unavailable", "{}") }
            },
        );
    let started = Instant::now();
    let resolved = resolving_client::<B>(&gateway, Some("9008"))
        .create_with(&order(), quick_policy(Duration::from_millis(600)))
        .await;
    assert!(
        matches!(resolved, Ok(Resolution::Unresolved { reason: Unresolved::DeadlinePassed { .. }, .. })),
        "{resolved:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5), "the deadline bounds the call: {:?}", started.elapsed());
    assert_eq!(seen.lock().expect("log").checkouts.len(), 1, "never resent without a trusted 'not found'");
}

#[test]
fn the_default_cap_is_what_the_config_reports() {
    let config = config("http://127.0.0.1:9/taiwan", Duration::from_secs(1));
    assert_eq!(config.max_idle_connections(), DEFAULT_MAX_IDLE_CONNECTIONS);
}

on_every_backend!(
    redirects_are_never_followed,
    a_connection_closed_without_an_answer_is_ambiguous,
    a_non_2xx_is_never_a_refusal,
    a_code_of_the_wrong_type_is_a_bad_response,
    short_deadlines_are_kept_whatever_the_backoff_leaves,
    a_read_that_times_out_after_a_503_reports_the_503,
    per_call_deadlines_are_checked_and_capped,
    idle_connections_are_capped_after_a_burst,
    a_query_answered_about_another_order_is_retried_then_refused,
    a_create_answered_about_another_order_is_an_unknown_outcome,
    reconciling_never_finds_another_order,
    a_lost_answer_resolves_to_the_existing_order,
    not_found_after_the_settle_delay_resends_the_same_trade_no,
    refusals_are_reported_only_when_nothing_was_made,
    what_cannot_be_known_is_unresolved_and_never_resent,
);
