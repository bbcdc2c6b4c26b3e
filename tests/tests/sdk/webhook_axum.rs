//! The axum glue as a merchant uses it: a pay-in route whose handler takes
//! `VerifiedPayIn` and a payout route whose handler takes `VerifiedPayout`,
//! served on loopback. Genuine notifications reach their route's handler as
//! that route's kind and are acknowledged `OK`; anything else is answered
//! 400 `FAIL` by the extractor, and no handler runs.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::extract::{FromRef, State};
use axum::routing::post;
use vexora::AppSecret;
use vexora::clock::FixedClock;
use vexora::notification::{
    self, Acknowledgement, DedupKey, MAX_BODY_BYTES, NotificationKind, Verifier, VerifyOptions,
};
use vexora::webhook::{VerifiedPayIn, VerifiedPayout};

use crate::sandbox_support::http;

const SECRET: &str = "webhook-axum-secret";
const OLD_SECRET: &str = "webhook-axum-old-secret";
/// When the old secret stops being accepted, in milliseconds.
const ROTATION_ENDS_MS: u64 = 1_764_201_600_000;

#[derive(Clone)]
struct Shop {
    verifier: Verifier,
    handled: Arc<Mutex<Vec<DedupKey>>>,
}

impl FromRef<Shop> for Verifier {
    fn from_ref(shop: &Shop) -> Verifier {
        shop.verifier.clone()
    }
}

impl Shop {
    fn record(&self, key: DedupKey) -> Acknowledgement {
        self.handled.lock().unwrap_or_else(PoisonError::into_inner).push(key);
        Acknowledgement
    }
}

async fn pay_in(State(shop): State<Shop>, VerifiedPayIn(notification): VerifiedPayIn) -> Acknowledgement {
    shop.record(notification.dedup_key())
}

async fn payout(State(shop): State<Shop>, VerifiedPayout(notification): VerifiedPayout) -> Acknowledgement {
    shop.record(notification.dedup_key())
}

fn signed_with(secret: &str, body: &str) -> String {
    let sign = notification::signature(body.as_bytes(), &AppSecret::new(secret)).expect("a JSON object");
    format!(r#"{{"sign":"{sign}",{}"#, &body[1..])
}

/// A shop whose verifier's clock reads `now_ms`, during a rotation from
/// `OLD_SECRET` to `SECRET`.
async fn serve(now_ms: u64) -> (std::net::SocketAddr, Arc<Mutex<Vec<DedupKey>>>) {
    let handled = Arc::new(Mutex::new(Vec::new()));
    let verifier = Verifier::new(AppSecret::new(SECRET))
        .with_previous_secret(
            AppSecret::new(OLD_SECRET),
            SystemTime::UNIX_EPOCH + Duration::from_millis(ROTATION_ENDS_MS),
        )
        .with_options(VerifyOptions::default().with_clock(FixedClock(now_ms)));
    let shop = Shop { verifier, handled: Arc::clone(&handled) };
    let router =
        Router::new().route("/vexora/pay-in", post(pay_in)).route("/vexora/payout", post(payout)).with_state(shop);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    (addr, handled)
}

async fn post_to(addr: std::net::SocketAddr, path: &str, body: &str) -> (u16, String) {
    let reply = http(addr, "POST", path, &[("Content-Type", "application/json")], body.as_bytes()).await;
    (reply.status, reply.body)
}

#[tokio::test]
async fn each_route_reads_its_own_kind_and_refusals_get_fail() {
    let (addr, handled) = serve(ROTATION_ENDS_MS).await;
    let genuine = signed_with(SECRET, r#"{"tradeNo":"T1","status":"0000","amount":"300"}"#);
    // One tradeNo for an order and a payout: the same bytes at each route.
    assert_eq!(post_to(addr, "/vexora/pay-in", &genuine).await, (200, "OK".to_owned()));
    assert_eq!(post_to(addr, "/vexora/payout", &genuine).await, (200, "OK".to_owned()));
    let kinds: Vec<_> = handled.lock().unwrap_or_else(PoisonError::into_inner).iter().map(|key| key.kind).collect();
    assert_eq!(kinds, [NotificationKind::PayIn, NotificationKind::Payout]);

    let forged = genuine.replace("\"300\"", "\"3000\"");
    let oversized = format!(r#"{{"tradeNo":"T1","pad":"{}"}}"#, "x".repeat(MAX_BODY_BYTES));
    for path in ["/vexora/pay-in", "/vexora/payout"] {
        for body in [forged.as_str(), oversized.as_str(), "", "not json"] {
            let reply = post_to(addr, path, body).await;
            assert_eq!(reply, (400, "FAIL".to_owned()), "{path} {}", &body[..body.len().min(40)]);
        }
    }
    assert_eq!(handled.lock().unwrap_or_else(PoisonError::into_inner).len(), 2, "no handler ran for a refused body");
}

#[tokio::test]
async fn the_previous_secret_is_accepted_until_the_rotation_ends() {
    let body = r#"{"tradeNo":"T2","status":"0000","amount":"300"}"#;
    let old = signed_with(OLD_SECRET, body);
    let (during, _) = serve(ROTATION_ENDS_MS).await;
    assert_eq!(post_to(during, "/vexora/pay-in", &old).await, (200, "OK".to_owned()));
    let (after, handled) = serve(ROTATION_ENDS_MS + 1).await;
    assert_eq!(post_to(after, "/vexora/pay-in", &old).await, (400, "FAIL".to_owned()));
    assert_eq!(post_to(after, "/vexora/pay-in", &signed_with(SECRET, body)).await, (200, "OK".to_owned()));
    assert_eq!(handled.lock().unwrap_or_else(PoisonError::into_inner).len(), 1);
}
