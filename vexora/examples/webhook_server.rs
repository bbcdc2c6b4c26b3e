//! A merchant's webhook endpoint: verify the gateway's notification over the
//! raw body, settle the order exactly once, and acknowledge with `OK` only
//! after the change is recorded.
//!
//! ```sh
//! VEXORA_APP_SECRET=test-app-secret-123 cargo run -p vexora --example webhook_server -- 127.0.0.1:8081
//! ```
//!
//! Then point a checkout's `notifyUrl` at `http://127.0.0.1:8081/vexora/notify`
//! (the sandbox's orders for trade numbers this example does not know are
//! acknowledged and logged, so you can try it with any order).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use vexora::notification::{Acknowledgement, Notification, Settlement};
use vexora::types::DecimalText;
use vexora::webhook::Verified;
use vexora::AppSecret;

/// What the example's "database" knows: each order's amount, what has been
/// credited, and which (tradeNo, status) notifications were already applied.
#[derive(Default)]
struct Orders {
    amounts: HashMap<String, DecimalText>,
    credited: HashMap<String, String>,
    applied: HashSet<(String, String)>,
}

#[derive(Clone)]
struct App {
    secret: AppSecret,
    orders: Arc<Mutex<Orders>>,
}

/// How the `Verified` extractor finds the secret in the router's state.
impl FromRef<App> for AppSecret {
    fn from_ref(app: &App) -> AppSecret {
        app.secret.clone()
    }
}

/// Runs only for a verified notification: the extractor answers 400 `FAIL`
/// to anything forged, damaged or too large, so the gateway retries and a
/// bad body never stops the real one.
async fn notify(
    State(app): State<App>,
    Verified(notification): Verified,
) -> Result<Acknowledgement, (StatusCode, &'static str)> {
    apply(&app, &notification).map(|()| Acknowledgement).map_err(|reason| {
        // A failure to record is transient: answer non-OK so the gateway
        // retries on its ladder (2 s, 5 s, 10 s, 30 s, 1 h, 3 h, 3 h, 3 h).
        eprintln!("not recorded, the gateway will retry: {reason}");
        (StatusCode::SERVICE_UNAVAILABLE, "RETRY")
    })
}

/// Applies a verified notification once per (tradeNo, status), in one
/// critical section (a real service uses one database transaction).
fn apply(app: &App, notification: &Notification) -> Result<(), &'static str> {
    let mut orders = app.orders.lock().map_err(|_| "order store unavailable")?;
    if !orders.applied.insert(notification.dedup_key()) {
        println!("{}: duplicate {} ignored", notification.trade_no, notification.status);
        return Ok(());
    }
    let trade_no = notification.trade_no.to_string();
    // Verified but not ours: acknowledged and kept for a person, since a
    // refusal only makes the gateway retry something retrying cannot fix.
    let Some(expected) = orders.amounts.get(&trade_no).cloned() else {
        println!("{trade_no}: unknown order, status {} logged for follow-up", notification.status);
        return Ok(());
    };
    match notification.settlement(&expected) {
        Settlement::PaidInFull { amount } => {
            println!("{trade_no}: paid in full, credit {amount}");
            orders.credited.insert(trade_no, amount.to_string());
        }
        Settlement::PaidInPart { amount } => {
            // Credit what was paid, never the order amount; the order stays open.
            println!("{trade_no}: paid in part, credit {amount} of {expected}");
            orders.credited.insert(trade_no, amount.to_string());
        }
        Settlement::Pending => println!("{trade_no}: still processing"),
        Settlement::Failed => println!("{trade_no}: failed"),
        other => println!("{trade_no}: credit nothing, investigate: {other:?}"),
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8081".to_owned());
    let secret = std::env::var("VEXORA_APP_SECRET").map_err(|_| "set VEXORA_APP_SECRET")?;
    let mut orders = Orders::default();
    // An order this merchant created earlier (see the quickstart example).
    orders.amounts.insert("00000007".to_owned(), DecimalText::parse("300").ok_or("decimal")?);
    let app = App { secret: AppSecret::new(secret), orders: Arc::new(Mutex::new(orders)) };

    // `Verified` reads at most `notification::MAX_BODY_BYTES` of a body.
    let router = Router::new().route("/vexora/notify", post(notify)).with_state(app);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&addr).await?;
        println!("webhook receiver on http://{}/vexora/notify", listener.local_addr()?);
        axum::serve(listener, router).await
    })?;
    Ok(())
}
