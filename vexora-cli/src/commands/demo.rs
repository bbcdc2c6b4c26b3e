//! `vexora demo`: the whole payment lifecycle on this machine, in seconds.
//!
//! A sandbox gateway and a merchant's webhook receiver start in-process on
//! loopback. Act one collects: the SDK creates a checkout, the payer pays
//! through the cashier page, the gateway's signed notification arrives and
//! is verified, and the final status is queried. Act two pays out: the
//! sandbox's clock moves to the next day so the collection settles, a
//! payout freezes part of it, the gateway pays it out, its notification is
//! verified, and the payout and the balance are queried. Every step prints
//! what happened. [`run`] reads as that story: one function a part, named
//! for the part of the lifecycle it shows.
//!
//! The merchant keeps its books with `vexora-ledger`, in SQLite in a
//! temporary file: each create's intent is recorded before it is sent, and
//! its answer, its notification (through the ledger's webhook) and its
//! query all settle through the ledger's one path. The demo ends with where
//! the books stand.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use axum::routing::get;
use futures_lite::future::block_on;
use vexora::clock::{Clock, SystemClock};
use vexora::notification::Verifier;
use vexora::taiwan::{
    BalanceRequest, ChannelCode, CheckoutRequest, PayInQueryRequest, PayoutQueryRequest, PayoutRequest, WayCode,
};
use vexora::types::{Amount, DecimalText, TradeNo};
use vexora::{AppSecret, Client, Config};
use vexora_ledger::webhook::Webhook;
use vexora_ledger::{Event, Intent, Kind, Ledger, Money, Observation, Record, RecordKeys, Settled, State};
use vexora_sandbox::{Sandbox, SandboxConfig, SandboxHandle, TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};

use crate::args::{PayoutDecision, SandboxTarget};
use crate::failure::Failure;

/// How long the demo waits for the gateway's notification.
const NOTIFICATION_WAIT: Duration = Duration::from_secs(15);

/// Runs the lifecycle and returns the transcript.
pub fn run() -> Result<String, Failure> {
    let mut out = Transcript::default();
    let shop = open_the_shop(&mut out)?;
    // Act one: collect a payment.
    let pay_in = create_a_checkout(&shop, &mut out)?;
    pay_at_the_cashier(&shop, &pay_in, &mut out)?;
    confirm_the_pay_in(&shop, &pay_in, &mut out)?;
    // Act two: the next day, pay part of the collection out.
    let shop = settle_overnight(shop, &mut out)?;
    let payout = send_a_payout(&shop, &mut out)?;
    pay_the_beneficiary(&shop, &payout, &mut out)?;
    confirm_the_payout(&shop, &payout, &mut out)?;
    close_the_books(&shop, &mut out)?;
    Ok(out.text)
}

/// What the demo runs on. The fields drop in this order: the client, the
/// receiver, the books (and the runtime the receiver serves on), and the
/// sandbox last.
struct Shop {
    /// The SDK's client, configured for the sandbox's Taiwan.
    client: Client,
    receiver: Receiver,
    books: Books,
    sandbox: SandboxHandle,
}

/// The order of act one: its `tradeNo`, its intent in the books and the
/// payer's payment link.
struct PayIn {
    trade_no: TradeNo,
    intent: Record,
    payment_url: String,
}

/// The payout of act two: its `tradeNo` and its intent in the books.
struct Payout {
    trade_no: TradeNo,
    intent: Record,
}

/// Starts the sandbox gateway, the merchant's books and webhook receiver,
/// and the SDK's client.
fn open_the_shop(out: &mut Transcript) -> Result<Shop, Failure> {
    let sandbox = Sandbox::spawn(SandboxConfig::default()).map_err(|e| failed("starting the sandbox", e))?;
    out.step(format!(
        "sandbox gateway listening on {}\n   dashboard (open it while the demo runs): {}",
        sandbox.url(),
        sandbox.dashboard_url()
    ));

    let books = Books::open().map_err(|e| failed("opening the books", e))?;
    let verifier = Verifier::new(AppSecret::new(TEST_MERCHANT_SECRET));
    let receiver = Receiver::start(&books, verifier).map_err(|e| failed("starting the webhook receiver", e))?;
    out.step(format!(
        "merchant webhook receiver listening on {}\n   books: vexora-ledger on SQLite in a temporary file, {}",
        receiver.url,
        books.path()
    ));

    let config = Config::builder()
        .merchant_no(TEST_MERCHANT_NO)
        .app_secret(TEST_MERCHANT_SECRET)
        .base_url(sandbox.base_url("taiwan"))
        .build()
        .map_err(|e| failed("configuring the client", e))?;
    Ok(Shop { client: Client::new(config), receiver, books, sandbox })
}

/// The checkout's intent is recorded, then the checkout is sent and the
/// gateway's answer (the order and its payment link) settled in the books.
fn create_a_checkout(shop: &Shop, out: &mut Transcript) -> Result<PayIn, Failure> {
    let trade_no = TradeNo::generate();
    let request = CheckoutRequest::builder()
        .trade_no(trade_no.clone())
        .amount(Amount::new(300))
        .mobile("0912345678")
        .firstname("Mei")
        .lastname("Lin")
        .email("mei.lin@example.com")
        .channel_code(ChannelCode::NetBanking)
        .way_code(WayCode::BANK_TRANSFER)
        .ip_address("203.0.113.7")
        .bank_number("808-0368988888888")
        .notify_url(format!("{}/vexora/pay-in", shop.receiver.url))
        .return_url(format!("{}/thanks", shop.receiver.url))
        .remark("vexora demo")
        .build();
    let intent = shop.books.record_intent(Kind::PayIn, &request)?;
    out.step(format!(
        "intent recorded in the books before sending: pay-in {trade_no}, amount {}, state {}",
        intent.amount, intent.state
    ));
    let order = block_on(shop.client.send(&request)).map_err(|e| failed("checkout", e))?;
    let settled = shop.books.settle(&Observation::checkout_answer(&order))?;
    let payment_url = order.payment_url().unwrap_or_default().to_owned();
    out.step(format!(
        "checkout created: tradeNo {trade_no}, platFormTradeNo {}, status {} ({}); books: {}\n   payment link: {payment_url}",
        order.plat_form_trade_no,
        order.status,
        order.desc.as_deref().unwrap_or("-"),
        describe(&settled),
    ));
    Ok(PayIn { trade_no, intent, payment_url })
}

/// The payer pays in full on the cashier page; the gateway's signed
/// notification reaches the receiver, which verifies it and settles it.
fn pay_at_the_cashier(shop: &Shop, pay_in: &PayIn, out: &mut Transcript) -> Result<(), Failure> {
    let redirect = block_on(pay_in_full(&pay_in.payment_url)).map_err(|e| failed("paying through the cashier", e))?;
    out.step(format!("payer paid in full on the cashier page; browser sent back to {redirect}"));

    let keys = RecordKeys::trade_no(pay_in.trade_no.as_str());
    let event = shop.books.wait_for_notification(Kind::PayIn, &keys)?;
    out.step(format!("signed notification received and verified: {}", describe_event(&event, "credited")));
    Ok(())
}

/// The merchant queries the pay-in (the backstop for a lost notification)
/// and checks that it ended paid in full, at the gateway and in the books;
/// the balance holds today's collection as unsettled.
fn confirm_the_pay_in(shop: &Shop, pay_in: &PayIn, out: &mut Transcript) -> Result<(), Failure> {
    let query = PayInQueryRequest::new(pay_in.trade_no.clone());
    let result = block_on(shop.client.send(&query)).map_err(|e| failed("query", e))?;
    let observation = Observation::pay_in_query(&result).map_err(|e| failed("reading the query", e))?;
    let settled = shop.books.settle(&observation)?;
    out.step(format!(
        "queried the gateway: status {} ({}), amount {}; books: {}",
        result.status,
        result.message.as_deref().unwrap_or("-"),
        result.amount.as_ref().map_or("-", DecimalText::as_str),
        describe(&settled),
    ));
    let record = shop.books.record(Kind::PayIn, &RecordKeys::trade_no(pay_in.trade_no.as_str()))?;
    if !result.status.is_paid_in_full() || (record.state, record.paid) != (State::Paid, pay_in.intent.amount) {
        return Err(Failure::failed(format!("demo: the order did not end paid in full:\n{}", out.text)));
    }

    let balance = block_on(shop.client.send(&BalanceRequest::builder().build())).map_err(|e| failed("balance", e))?;
    out.step(format!(
        "balance: available {}, unsettled {} (today's collections settle tomorrow)",
        balance.available_amount, balance.unsettled_amount
    ));
    Ok(())
}

/// The sandbox's clock and the client's move to the next day, and the
/// collection is available in the balance.
fn settle_overnight(shop: Shop, out: &mut Transcript) -> Result<Shop, Failure> {
    shop.sandbox.set_clock_offset_ms(DAY_MS);
    let shop = Shop { client: shop.client.with_clock(Tomorrow), ..shop };
    let balance = block_on(shop.client.send(&BalanceRequest::builder().build())).map_err(|e| failed("balance", e))?;
    out.step(format!(
        "the next day on the sandbox clock: available {}, unsettled {}",
        balance.available_amount, balance.unsettled_amount
    ));
    Ok(shop)
}

/// The payout's intent is recorded, then the payout is sent: the gateway
/// accepts it and freezes its amount, and its answer is settled in the books.
fn send_a_payout(shop: &Shop, out: &mut Transcript) -> Result<Payout, Failure> {
    let payout = PayoutRequest::builder()
        .trade_no(TradeNo::generate())
        .amount(Amount::new(200))
        .bank_code("004")
        .bank_number("3560123456789012")
        .mobile("0987654321")
        .email("supplier@example.com")
        .name("Chen Wei")
        .notify_url(format!("{}/vexora/payout", shop.receiver.url))
        .remark("vexora demo payout")
        .build();
    let intent = shop.books.record_intent(Kind::Payout, &payout)?;
    out.step(format!(
        "intent recorded in the books before sending: payout {}, amount {}, state {}",
        payout.trade_no, intent.amount, intent.state
    ));
    let accepted = block_on(shop.client.send(&payout)).map_err(|e| failed("payout", e))?;
    let settled = shop.books.settle(&Observation::payout_answer(&accepted))?;
    let balance = block_on(shop.client.send(&BalanceRequest::builder().build())).map_err(|e| failed("balance", e))?;
    out.step(format!(
        "payout accepted: tradeNo {}, status {}; available {}, frozen {}; books: {}",
        accepted.trade_no,
        accepted.status,
        balance.available_amount,
        balance.freeze_amount,
        describe(&settled)
    ));
    Ok(Payout { trade_no: payout.trade_no, intent })
}

/// The gateway pays the beneficiary (decided through the sandbox's control
/// route); its signed notification reaches the receiver, which verifies it
/// and settles it.
fn pay_the_beneficiary(shop: &Shop, payout: &Payout, out: &mut Transcript) -> Result<(), Failure> {
    let bank = SandboxTarget { sandbox_url: shop.sandbox.url(), merchant_no: Some(TEST_MERCHANT_NO.to_owned()) };
    super::decide::payout(payout.trade_no.as_str(), PayoutDecision::Pay, &bank)
        .map_err(|e| failed("paying out", e.message))?;
    out.step("the gateway paid the beneficiary (sandbox control route)".to_owned());
    let keys = RecordKeys::trade_no(payout.trade_no.as_str());
    let event = shop.books.wait_for_notification(Kind::Payout, &keys)?;
    out.step(format!("signed payout notification received and verified: {}", describe_event(&event, "debited")));
    Ok(())
}

/// The merchant queries the payout and checks that it ended paid out, at
/// the gateway and in the books; the frozen amount has left the balance.
fn confirm_the_payout(shop: &Shop, payout: &Payout, out: &mut Transcript) -> Result<(), Failure> {
    let query = PayoutQueryRequest::builder().trade_no(payout.trade_no.clone()).build();
    let result = block_on(shop.client.send(&query)).map_err(|e| failed("payout query", e))?;
    let observation = Observation::payout_query(&result).map_err(|e| failed("reading the payout query", e))?;
    let settled = shop.books.settle(&observation)?;
    let balance = block_on(shop.client.send(&BalanceRequest::builder().build())).map_err(|e| failed("balance", e))?;
    out.step(format!(
        "queried the payout: status {}, paid out at {}; balance available {}, frozen {}; books: {}",
        result.status,
        result.success_time.as_deref().unwrap_or("-"),
        balance.available_amount,
        balance.freeze_amount,
        describe(&settled)
    ));
    let record = shop.books.record(Kind::Payout, &RecordKeys::trade_no(payout.trade_no.as_str()))?;
    if !result.status.is_paid_in_full() || (record.state, record.paid) != (State::Paid, payout.intent.amount) {
        return Err(Failure::failed(format!("demo: the payout did not end paid out:\n{}", out.text)));
    }
    Ok(())
}

/// The gateway's log of notification deliveries, where the books stand,
/// and the closing words.
fn close_the_books(shop: &Shop, out: &mut Transcript) -> Result<(), Failure> {
    let deliveries = shop.sandbox.deliveries();
    out.step(format!("the gateway logged {} notification delivery attempt(s), answered OK", deliveries.len()));
    out.step(shop.books.summary()?);
    out.text.push_str(
        "\nThe payment lifecycle ran end to end: collected, notified, settled, paid out, notified, queried, \
         each in the books exactly once.",
    );
    out.text
        .push_str("\nThe sandbox stopped with the demo: run `vexora sandbox` to keep one, and its dashboard, running.");
    Ok(())
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

/// What a settlement did, as the transcript says it.
fn describe(settled: &Settled) -> String {
    match settled {
        Settled::Applied(change) => {
            let mut text = format!("{} -> {}", change.old_state, change.new_state);
            // Writing to a String cannot fail.
            if let Some(credit) = change.credit() {
                let _ = write!(text, ", credited {credit}");
            }
            if let Some(debit) = change.debit() {
                let _ = write!(text, ", debited {debit}");
            }
            text
        }
        Settled::Unchanged => "nothing moves (already settled)".to_owned(),
        Settled::Duplicate => "already applied".to_owned(),
        Settled::NeedsAttention { reason } => format!("kept for a person: {reason}"),
        other => format!("{other:?}"),
    }
}

/// A notification's event in the books: what it said and what it moved.
fn describe_event(event: &Event, moved: &str) -> String {
    let mut text = format!(
        "status {}, amount {}; books: {} -> {}",
        event.status.as_deref().unwrap_or("-"),
        event.amount.as_deref().unwrap_or("-"),
        event.old_state,
        event.new_state
    );
    if let Some(amount) = event.new_paid.checked_sub(event.old_paid).filter(|amount| !amount.is_zero()) {
        let _ = write!(text, ", {moved} {amount}");
    }
    text
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

/// The merchant's books: the ledger on SQLite in a temporary file, and the
/// runtime its pool and the webhook receiver run on.
struct Books {
    // Dropped before the runtime its connections live on.
    ledger: Ledger,
    runtime: tokio::runtime::Runtime,
    // Removed last, with the database in it.
    dir: tempfile::TempDir,
}

impl Books {
    fn open() -> Result<Self, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let url = format!("sqlite:{}", dir.path().join(DATABASE).display());
        let ledger = runtime.block_on(Ledger::connect(&url)).map_err(|e| e.to_string())?;
        Ok(Self { ledger, runtime, dir })
    }

    fn path(&self) -> String {
        self.dir.path().join(DATABASE).display().to_string()
    }

    /// Records `request`'s intent before it is sent.
    fn record_intent<R: vexora::Endpoint>(&self, kind: Kind, request: &R) -> Result<Record, Failure> {
        let intent = Intent::of(kind, TEST_MERCHANT_NO, request).map_err(|e| failed("recording the intent", e))?;
        self.runtime.block_on(self.ledger.record_intent(&intent)).map_err(|e| failed("recording the intent", e))
    }

    fn settle(&self, observation: &Observation) -> Result<Settled, Failure> {
        self.runtime.block_on(self.ledger.settle(observation)).map_err(|e| failed("settling in the books", e))
    }

    fn record(&self, kind: Kind, keys: &RecordKeys) -> Result<Record, Failure> {
        self.runtime
            .block_on(self.ledger.record(kind, keys))
            .map_err(|e| failed("reading the books", e))?
            .ok_or_else(|| Failure::failed(format!("demo: no {kind} {keys} in the books")))
    }

    /// Waits until the receiver has settled a notification for the record
    /// `keys` name (the webhook answers the gateway after the commit), and
    /// returns what it moved.
    fn wait_for_notification(&self, kind: Kind, keys: &RecordKeys) -> Result<Event, Failure> {
        let deadline = Instant::now() + NOTIFICATION_WAIT;
        loop {
            let record = self.record(kind, keys)?;
            let history =
                self.runtime.block_on(self.ledger.history(&record)).map_err(|e| failed("reading the books", e))?;
            if let Some(event) = history.into_iter().find(|event| event.source == "notification") {
                return Ok(event);
            }
            if Instant::now() >= deadline {
                return Err(Failure::failed(format!("demo: no {kind} notification within {NOTIFICATION_WAIT:?}")));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Where the books stand: each record, then the totals.
    fn summary(&self) -> Result<String, Failure> {
        let read = |e| failed("reading the books", e);
        let records = self.runtime.block_on(self.ledger.records()).map_err(read)?;
        let attention = self.runtime.block_on(self.ledger.needs_attention()).map_err(read)?;
        let mut text = String::from("where the books stand (vexora-ledger):");
        let (mut credited, mut debited) = (Money::ZERO, Money::ZERO);
        for record in &records {
            let trade_no = record.keys.get("tradeNo").unwrap_or("-");
            // Writing to a String cannot fail.
            let _ = write!(
                text,
                "\n   {:<7} tradeNo {trade_no}  state {:<10} amount paid {} of {}",
                record.kind.as_str(),
                record.state.as_str(),
                record.paid,
                record.amount
            );
            let total = if record.kind == Kind::PayIn { &mut credited } else { &mut debited };
            *total = total.checked_add(record.paid).ok_or_else(|| Failure::failed("demo: the totals overflow"))?;
        }
        let _ = write!(text, "\n   credited {credited}, debited {debited}; kept for a person: {}", attention.len());
        Ok(text)
    }
}

/// The database's file name in the temporary folder.
const DATABASE: &str = "books.sqlite3";

/// The merchant's side: the ledger's webhook routes, one per kind of
/// notification (the checkout's `notifyUrl` and the payout's), which verify
/// each, settle it in the books and answer `OK` after the commit; and the
/// page the payer returns to.
struct Receiver {
    url: String,
}

impl Receiver {
    fn start(books: &Books, verifier: Verifier) -> std::io::Result<Self> {
        let router = Webhook::new(books.ledger.clone(), verifier)
            .router()
            .route("/thanks", get(|| async { "Thank you for your order." }));
        let listener = books.runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
        let url = format!("http://{}", listener.local_addr()?);
        // Stopped when the books' runtime is dropped.
        books.runtime.spawn(async move { axum::serve(listener, router).await });
        Ok(Self { url })
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
