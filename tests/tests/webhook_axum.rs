//! The axum glue as a merchant uses it: a route whose handler takes
//! `Verified`, served on loopback. Genuine notifications reach the handler
//! and are acknowledged `OK`; anything else is answered 400 `FAIL` by the
//! extractor, and the handler never runs.

mod sandbox_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{FromRef, State};
use axum::routing::post;
use axum::Router;
use sandbox_support::http;
use vexora::notification::{self, Acknowledgement, MAX_BODY_BYTES};
use vexora::webhook::Verified;
use vexora::AppSecret;

const SECRET: &str = "webhook-axum-secret";

#[derive(Clone)]
struct Shop {
    secret: AppSecret,
    handled: Arc<AtomicUsize>,
}

impl FromRef<Shop> for AppSecret {
    fn from_ref(shop: &Shop) -> AppSecret {
        shop.secret.clone()
    }
}

async fn notify(State(shop): State<Shop>, Verified(notification): Verified) -> Acknowledgement {
    assert_eq!(notification.trade_no, "T1");
    shop.handled.fetch_add(1, Ordering::SeqCst);
    Acknowledgement
}

fn signed(body: &str) -> String {
    let sign = notification::signature(body.as_bytes(), &AppSecret::new(SECRET)).expect("a JSON object");
    format!(r#"{{"sign":"{sign}",{}"#, &body[1..])
}

#[tokio::test]
async fn verified_notifications_reach_the_handler_and_the_rest_get_fail() {
    let handled = Arc::new(AtomicUsize::new(0));
    let shop = Shop { secret: AppSecret::new(SECRET), handled: Arc::clone(&handled) };
    let router = Router::new().route("/vexora/notify", post(notify)).with_state(shop);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, router).await });

    let genuine = signed(r#"{"tradeNo":"T1","status":"0000","amount":"300"}"#);
    let reply = http(addr, "POST", "/vexora/notify", &[("Content-Type", "application/json")], genuine.as_bytes()).await;
    assert_eq!((reply.status, reply.body.as_str()), (200, "OK"));
    assert_eq!(reply.header("content-type"), Some("text/plain"));
    assert_eq!(handled.load(Ordering::SeqCst), 1);

    let forged = genuine.replace("\"300\"", "\"3000\"");
    let oversized = format!(r#"{{"tradeNo":"T1","pad":"{}"}}"#, "x".repeat(MAX_BODY_BYTES));
    for body in [forged.as_str(), oversized.as_str(), "", "not json"] {
        let reply =
            http(addr, "POST", "/vexora/notify", &[("Content-Type", "application/json")], body.as_bytes()).await;
        assert_eq!((reply.status, reply.body.as_str()), (400, "FAIL"), "{}", &body[..body.len().min(40)]);
    }
    assert_eq!(handled.load(Ordering::SeqCst), 1, "the handler never ran for a refused body");
}
