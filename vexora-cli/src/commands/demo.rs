//! `vexora demo`: the whole payment lifecycle on this machine, in seconds.
//!
//! A sandbox gateway and a merchant's webhook receiver start in-process on
//! loopback. Act one collects: the SDK creates a checkout, the payer pays
//! through the cashier page, the gateway's signed notification arrives and
//! is verified, and the final status is queried. Act two pays out: the
//! sandbox's clock moves to the next day so the collection settles, a
//! payout freezes part of it, the gateway pays it out, its notification is
//! verified, and the payout and the balance are queried. Every step prints
//! what happened.

use std::fmt::Write as _;
use std::sync::mpsc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use futures_lite::future::block_on;
use vexora::clock::{Clock, SystemClock};
use vexora::notification::{
    Acknowledgement, NotificationError, PayInNotification, PayoutNotification, PayoutOutcome, Settlement, Verifier,
};
use vexora::taiwan::{ChannelCode, CheckoutRequest, PayoutQueryRequest, PayoutRequest, WayCode};
use vexora::types::{Amount, DecimalText, TradeNo};
use vexora::{AppSecret, Client, Config};
use vexora_sandbox::{Sandbox, SandboxConfig, TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};

use crate::args::{PayoutDecision, SandboxTarget};
use crate::failure::Failure;

/// How long the demo waits for the gateway's notification.
const NOTIFICATION_WAIT: Duration = Duration::from_secs(15);

/// Runs the lifecycle and returns the transcript.
pub fn run() -> Result<String, Failure> {
    let mut out = Transcript::default();

    let sandbox = Sandbox::spawn(SandboxConfig::default()).map_err(|e| failed("starting the sandbox", e))?;
    out.step(format!(
        "sandbox gateway listening on {}\n   dashboard (open it while the demo runs): {}",
        sandbox.url(),
        sandbox.dashboard_url()
    ));

    let (pay_ins, pay_ins_received) = mpsc::channel();
    let (payouts, payouts_received) = mpsc::channel();
    let verifier = Verifier::new(AppSecret::new(TEST_MERCHANT_SECRET));
    let receiver =
        Receiver::start(verifier, pay_ins, payouts).map_err(|e| failed("starting the webhook receiver", e))?;
    out.step(format!("merchant webhook receiver listening on {}", receiver.url));

    let config = Config::builder()
        .merchant_no(TEST_MERCHANT_NO)
        .app_secret(TEST_MERCHANT_SECRET)
        .base_url(sandbox.base_url("taiwan"))
        .build()
        .map_err(|e| failed("configuring the client", e))?;
    let client = Client::new(config);

    let trade_no = TradeNo::generate();
    let order_amount = Amount::new(300);
    let request = CheckoutRequest::builder()
        .trade_no(trade_no.clone())
        .amount(order_amount)
        .mobile("0912345678")
        .firstname("Mei")
        .lastname("Lin")
        .email("mei.lin@example.com")
        .channel_code(ChannelCode::NetBanking)
        .way_code(WayCode::BANK_TRANSFER)
        .ip_address("203.0.113.7")
        .bank_number("808-0368988888888")
        .notify_url(format!("{}/vexora/pay-in", receiver.url))
        .return_url(format!("{}/thanks", receiver.url))
        .remark("vexora demo")
        .build();
    let order = block_on(client.checkout(&request)).map_err(|e| failed("checkout", e))?;
    let payment_url = order.payment_url().unwrap_or_default().to_owned();
    out.step(format!(
        "checkout created: tradeNo {trade_no}, platFormTradeNo {}, status {} ({})\n   payment link: {payment_url}",
        order.plat_form_trade_no,
        order.status,
        order.desc.as_deref().unwrap_or("-"),
    ));

    let redirect = block_on(pay_in_full(&payment_url)).map_err(|e| failed("paying through the cashier", e))?;
    out.step(format!("payer paid in full on the cashier page; browser sent back to {redirect}"));

    let verified = pay_ins_received
        .recv_timeout(NOTIFICATION_WAIT)
        .map_err(|_| Failure::failed(format!("demo: no notification within {NOTIFICATION_WAIT:?}")))?;
    let settlement = verified.settlement(&DecimalText::from(order_amount));
    out.step(format!(
        "signed notification received and verified: status {}, amount {} -> {}",
        verified.status,
        verified.amount.as_ref().map_or("-", DecimalText::as_str),
        describe(&settlement),
    ));

    let result = block_on(client.query_pay_in(&trade_no)).map_err(|e| failed("query", e))?;
    out.step(format!(
        "queried the gateway: status {} ({}), amount {}",
        result.status,
        result.message.as_deref().unwrap_or("-"),
        result.amount.as_ref().map_or("-", DecimalText::as_str),
    ));
    if !result.status.is_paid_in_full() || !matches!(settlement, Settlement::PaidInFull { .. }) {
        return Err(Failure::failed(format!("demo: the order did not end paid in full:\n{}", out.text)));
    }

    let balance = block_on(client.balance()).map_err(|e| failed("balance", e))?;
    out.step(format!(
        "balance: available {}, unsettled {} (today's collections settle tomorrow)",
        balance.available_amount, balance.unsettled_amount
    ));

    // Act two: the next day, pay part of the collection out.
    sandbox.set_clock_offset_ms(DAY_MS);
    let client = client.with_clock(Tomorrow);
    let balance = block_on(client.balance()).map_err(|e| failed("balance", e))?;
    out.step(format!(
        "the next day on the sandbox clock: available {}, unsettled {}",
        balance.available_amount, balance.unsettled_amount
    ));
    let payout_amount = Amount::new(200);
    let payout = PayoutRequest::builder()
        .trade_no(TradeNo::generate())
        .amount(payout_amount)
        .bank_code("004")
        .bank_number("3560123456789012")
        .mobile("0987654321")
        .email("supplier@example.com")
        .name("Chen Wei")
        .notify_url(format!("{}/vexora/payout", receiver.url))
        .remark("vexora demo payout")
        .build();
    let accepted = block_on(client.send(&payout)).map_err(|e| failed("payout", e))?;
    let balance = block_on(client.balance()).map_err(|e| failed("balance", e))?;
    out.step(format!(
        "payout accepted: tradeNo {}, status {}; available {}, frozen {}",
        accepted.trade_no, accepted.status, balance.available_amount, balance.freeze_amount
    ));
    let bank = SandboxTarget { sandbox_url: sandbox.url(), merchant_no: Some(TEST_MERCHANT_NO.to_owned()) };
    super::decide::payout(payout.trade_no.as_str(), PayoutDecision::Pay, &bank)
        .map_err(|e| failed("paying out", e.message))?;
    out.step("the gateway paid the beneficiary (sandbox control route)".to_owned());
    let verified = payouts_received
        .recv_timeout(NOTIFICATION_WAIT)
        .map_err(|_| Failure::failed(format!("demo: no payout notification within {NOTIFICATION_WAIT:?}")))?;
    let outcome = verified.outcome(&DecimalText::from(payout_amount));
    let meaning = match &outcome {
        PayoutOutcome::PaidOut { amount } => format!("paid out {amount}"),
        other => format!("{other:?}"),
    };
    out.step(format!("signed payout notification received and verified: status {} -> {meaning}", verified.status));
    let result = block_on(client.send(&PayoutQueryRequest { trade_no: payout.trade_no.clone() }))
        .map_err(|e| failed("payout query", e))?;
    let balance = block_on(client.balance()).map_err(|e| failed("balance", e))?;
    out.step(format!(
        "queried the payout: status {}, paid out at {}; balance available {}, frozen {}",
        result.status,
        result.success_time.as_deref().unwrap_or("-"),
        balance.available_amount,
        balance.freeze_amount
    ));
    if !matches!(outcome, PayoutOutcome::PaidOut { .. }) || !result.status.is_paid_in_full() {
        return Err(Failure::failed(format!("demo: the payout did not end paid out:\n{}", out.text)));
    }

    let deliveries = sandbox.deliveries();
    out.step(format!("the gateway logged {} notification delivery attempt(s), answered OK", deliveries.len()));
    out.text
        .push_str("\nThe payment lifecycle ran end to end: collected, notified, settled, paid out, notified, queried.");
    out.text
        .push_str("\nThe sandbox stopped with the demo: run `vexora sandbox` to keep one, and its dashboard, running.");
    Ok(out.text)
}

/// One day in milliseconds: how far act two moves the sandbox clock.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The client's clock for act two, a day ahead like the sandbox's, so its
/// timestamps stay within the sandbox's tolerance.
struct Tomorrow;

impl Clock for Tomorrow {
    fn now_millis(&self) -> u64 {
        SystemClock.now_millis().saturating_add(DAY_MS.unsigned_abs())
    }
}

fn failed(step: &str, error: impl std::fmt::Display) -> Failure {
    Failure::failed(format!("demo: {step}: {error}"))
}

fn describe(settlement: &Settlement) -> String {
    match settlement {
        Settlement::PaidInFull { amount } => format!("paid in full, credit {amount}"),
        Settlement::PaidInPart { amount } => format!("paid in part, credit {amount} only"),
        other => format!("{other:?}"),
    }
}

/// The numbered lines the demo prints.
#[derive(Default)]
struct Transcript {
    text: String,
    steps: usize,
}

impl Transcript {
    fn step(&mut self, line: String) {
        self.steps += 1;
        // Writing to a String cannot fail.
        let _ = writeln!(self.text, "{}. {line}", self.steps);
    }
}

/// Opens the cashier page the way a browser would, presses "pay in full",
/// and returns where the gateway redirects the payer.
async fn pay_in_full(payment_url: &str) -> Result<String, String> {
    let mut page = surf::get(payment_url).await.map_err(|e| e.to_string())?;
    let html = page.body_string().await.map_err(|e| e.to_string())?;
    let action = form_action(&html, "pay-full").ok_or("the cashier page has no pay-in-full button")?;
    let origin = payment_url.split("/cashier/").next().unwrap_or(payment_url);
    let response = surf::post(format!("{origin}{action}")).await.map_err(|e| e.to_string())?;
    if !response.status().is_redirection() {
        return Err(format!("the cashier answered {} instead of a redirect", response.status()));
    }
    response.header("location").map(|location| location.as_str().to_owned()).ok_or_else(|| "no redirect".to_owned())
}

/// The `action` of the form that holds the button with `id`.
fn form_action(html: &str, button_id: &str) -> Option<String> {
    let button = html.find(&format!("id=\"{button_id}\""))?;
    let form = html[..button].rfind("<form")?;
    let action = &html[form..button];
    let start = action.find("action=\"")? + "action=\"".len();
    let end = action[start..].find('"')? + start;
    Some(action[start..end].to_owned())
}

/// The merchant's side: a webhook endpoint per kind of notification (the
/// checkout's `notifyUrl` and the payout's) that verifies each and hands it
/// to the demo, acknowledging with `OK`.
struct Receiver {
    url: String,
    // Dropping the runtime stops the server.
    _runtime: tokio::runtime::Runtime,
}

struct ReceiverState {
    verifier: Verifier,
    pay_ins: mpsc::Sender<PayInNotification>,
    payouts: mpsc::Sender<PayoutNotification>,
}

impl Receiver {
    fn start(
        verifier: Verifier,
        pay_ins: mpsc::Sender<PayInNotification>,
        payouts: mpsc::Sender<PayoutNotification>,
    ) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
        let state = std::sync::Arc::new(ReceiverState { verifier, pay_ins, payouts });
        let router = Router::new()
            .route("/vexora/pay-in", post(receive_pay_in))
            .route("/vexora/payout", post(receive_payout))
            .route("/thanks", get(|| async { "Thank you for your order." }))
            .with_state(state);
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
        let url = format!("http://{}", listener.local_addr()?);
        runtime.spawn(async move { axum::serve(listener, router).await });
        Ok(Self { url, _runtime: runtime })
    }
}

/// The reply to a notification: the acknowledgement once it was handed
/// over, `FAIL` when it did not verify, non-OK when it could not be handed
/// over (so the gateway retries).
type Reply = (StatusCode, [(header::HeaderName, &'static str); 1], &'static str);

async fn receive_pay_in(State(state): State<std::sync::Arc<ReceiverState>>, body: Bytes) -> Reply {
    reply(state.verifier.pay_in(&body).map(|verified| state.pay_ins.send(verified).is_ok()))
}

async fn receive_payout(State(state): State<std::sync::Arc<ReceiverState>>, body: Bytes) -> Reply {
    reply(state.verifier.payout(&body).map(|verified| state.payouts.send(verified).is_ok()))
}

fn reply(handed_over: Result<bool, NotificationError>) -> Reply {
    let plain = [(header::CONTENT_TYPE, Acknowledgement::CONTENT_TYPE)];
    match handed_over {
        Ok(true) => (StatusCode::OK, plain, Acknowledgement::BODY),
        Ok(false) => (StatusCode::SERVICE_UNAVAILABLE, plain, "RETRY"),
        Err(_) => (StatusCode::BAD_REQUEST, plain, "FAIL"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_form_of_a_button() {
        let html = r#"<form method="post" action="/cashier/p1/pay"><button id="pay-full">Pay</button></form>
<form method="post" action="/cashier/p1/fail"><button id="pay-fail">Fail</button></form>"#;
        assert_eq!(form_action(html, "pay-full").as_deref(), Some("/cashier/p1/pay"));
        assert_eq!(form_action(html, "pay-fail").as_deref(), Some("/cashier/p1/fail"));
        assert_eq!(form_action(html, "pay-partial"), None);
    }
}
