//! The gateway side: the sandbox, a client of its Taiwan gateway, the
//! creates every process builds the same way, the sandbox's control
//! routes, and the gateway's own books to compare the ledger with.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use vexora::resolve::{Resolution, ResolvePolicy};
use vexora::taiwan::{BalanceRequest, CheckoutRequest, PayoutQueryRequest, PayoutRequest};
use vexora::transport::ReqwestTransport;
use vexora::types::{TradeNo, TradeStatus};
use vexora::{Client, Config};
use vexora_ledger::{Intent, Kind, Money, Observation};
use vexora_sandbox::{NotificationLoss, RunningSandbox, Sandbox, SandboxConfig, TEST_MERCHANT_NO};

/// The sandbox's code for "no such order" and for a `tradeNo` used before.
const NOT_FOUND: &str = "9008";
const DUPLICATE: &str = "9005";
/// The merchant's balance before anything is paid out.
pub const OPENING_BALANCE: u64 = 1_000_000;

/// A sandbox whose retry ladder runs a thousand times faster, losing
/// `loss`'s notifications if any.
pub async fn sandbox(loss: Option<NotificationLoss>) -> RunningSandbox {
    let mut config = SandboxConfig::default().time_scale(0.001).opening_balance(TEST_MERCHANT_NO, OPENING_BALANCE);
    if let Some(loss) = loss {
        config = config.lose_notifications(loss.percent, loss.seed);
    }
    Sandbox::start(config).await.expect("the sandbox starts")
}

/// A client of the gateway at `base_url`, which knows the sandbox's codes.
pub fn client(base_url: &str) -> Client<ReqwestTransport> {
    let config = Config::builder()
        .merchant_no(TEST_MERCHANT_NO)
        .app_secret(vexora_sandbox::TEST_MERCHANT_SECRET)
        .base_url(base_url)
        .timeout(Duration::from_secs(5))
        .order_not_found_code(NOT_FOUND)
        .duplicate_trade_no_code(DUPLICATE)
        .build()
        .expect("a valid configuration");
    Client::with_transport(config, ReqwestTransport::new().expect("a transport"))
}

/// How the resolving create waits for a gateway that lost its answer.
fn policy() -> ResolvePolicy {
    ResolvePolicy {
        deadline: Duration::from_secs(20),
        settle_delay: Duration::from_millis(200),
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
    }
}

/// Which way the resolving create ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// This call made it.
    Created,
    /// An earlier attempt had made it; a query found it.
    FoundExisting,
}

/// One create, built the same in every process from these few fields, so
/// that a restart sends the very request (and intent) a dead process did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Create {
    pub kind: Kind,
    pub trade_no: String,
    /// Picks the amount and the payer's address.
    pub n: usize,
    pub notify_url: String,
}

impl Create {
    /// A new `tradeNo` of `kind`.
    pub fn new(kind: Kind, n: usize, notify_url: &str) -> Self {
        Self { kind, trade_no: TradeNo::generate().as_str().to_owned(), n, notify_url: notify_url.to_owned() }
    }

    /// What it is created for.
    pub fn amount(&self) -> Money {
        Money::from(self.units())
    }

    fn units(&self) -> u64 {
        let n = self.n as u64;
        match self.kind {
            Kind::PayIn => 300 + n,
            _ => 100 + n,
        }
    }

    pub fn args(&self) -> Vec<String> {
        vec![self.kind.as_str().into(), self.trade_no.clone(), self.n.to_string(), self.notify_url.clone()]
    }

    pub fn parse(args: &[&str]) -> Option<Self> {
        let [kind, trade_no, n, notify_url] = args else { return None };
        let kind = [Kind::PayIn, Kind::Payout].into_iter().find(|known| known.as_str() == *kind)?;
        Some(Self { kind, trade_no: (*trade_no).into(), n: n.parse().ok()?, notify_url: (*notify_url).into() })
    }

    pub fn intent(&self) -> Intent {
        match self.kind {
            Kind::PayIn => Intent::of(Kind::PayIn, TEST_MERCHANT_NO, &self.checkout()),
            _ => Intent::of(Kind::Payout, TEST_MERCHANT_NO, &self.payout()),
        }
        .expect("an intent")
    }

    /// Sends it with the resolving create, which must end with the order or
    /// payout made once; the answer as an observation to settle.
    pub async fn send(&self, client: &Client<ReqwestTransport>) -> (Path, Observation) {
        let trade_no = &self.trade_no;
        match self.kind {
            Kind::PayIn => match client.create_with(&self.checkout(), policy()).await.expect("sent") {
                Resolution::Created(order) => (Path::Created, Observation::checkout_answer(&order)),
                Resolution::FoundExisting(found) => {
                    (Path::FoundExisting, Observation::pay_in_query(&found).expect("an observation"))
                }
                other => panic!("checkout {trade_no}: the sandbox answers in the end, got {other:?}"),
            },
            _ => match client.create_with(&self.payout(), policy()).await.expect("sent") {
                Resolution::Created(accepted) => (Path::Created, Observation::payout_answer(&accepted)),
                Resolution::FoundExisting(found) => {
                    (Path::FoundExisting, Observation::payout_query(&found).expect("an observation"))
                }
                other => panic!("payout {trade_no}: the sandbox answers in the end, got {other:?}"),
            },
        }
    }

    fn checkout(&self) -> CheckoutRequest {
        let n = self.n;
        // A payer address of its own: the sandbox allows three paid orders per address a day.
        let ip_address = format!("10.{}.{}.{}", 30 + n / 250 / 250, (n / 250) % 250, 1 + n % 250);
        crate::common::checkout(&self.trade_no, self.units(), ip_address, &self.notify_url)
    }

    fn payout(&self) -> PayoutRequest {
        crate::common::payout(&self.trade_no, self.units(), &self.notify_url)
    }
}

/// Lose the answer of the next create to `path` after making it, and hide
/// what it made from queries for a while.
pub async fn lose_next_answer(sandbox: &RunningSandbox, path: &str) {
    let body = format!(r#"{{"drop_connection": true, "visible_after_ms": 150, "path": "{path}"}}"#);
    let (status, answer) = http(sandbox.addr(), "POST", "/sandbox/faults", &body).await.expect("the sandbox answers");
    assert_eq!(status, 200, "the fault is set: {answer}");
}

/// Finishes an order (`pay`, `partial`, `fail`) or a payout (`pay`, `fail`)
/// as its payer or bank would.
/// `sandbox` is the sandbox's address.
pub async fn finish(sandbox: SocketAddr, create: &Create, action: &str) {
    let what = if create.kind == Kind::PayIn { "orders" } else { "payouts" };
    let path = format!("/sandbox/{what}/{}/{action}", create.trade_no);
    let (status, body) = http(sandbox, "POST", &path, "").await.expect("the sandbox answers");
    assert_eq!(status, 200, "{path}: {body}");
}

/// One HTTP/1.1 exchange on a new connection: the status and the body.
pub async fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nmerchantNo: {TEST_MERCHANT_NO}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    let status = response.split(' ').nth(1).and_then(|status| status.parse().ok()).unwrap_or(0);
    let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body).to_owned();
    Ok((status, body))
}

/// Whether the gateway holds `create` (an order it lists, a payout its
/// query finds).
pub async fn holds(sandbox: &RunningSandbox, client: &Client<ReqwestTransport>, create: &Create) -> bool {
    if create.kind == Kind::PayIn {
        let (_, body) = http(sandbox.addr(), "GET", "/sandbox/orders", "").await.expect("the sandbox answers");
        return body.contains(&format!("\"tradeNo\":\"{}\"", create.trade_no));
    }
    match client.send(&PayoutQueryRequest::builder().trade_no(TradeNo::new(&create.trade_no)).build()).await {
        Ok(_) => true,
        Err(vexora::Error::Refused { code, .. }) if code == NOT_FOUND => false,
        Err(other) => panic!("{}: the query failed: {other}", create.trade_no),
    }
}

/// What the gateway holds, by kind and `tradeNo`: the status code and the
/// amount paid (pay-ins) or paid out (payouts).
#[derive(Debug, Default)]
pub struct GatewayBooks {
    pub records: BTreeMap<(Kind, String), (String, Money)>,
    /// Paid out as the merchant's balance shows it (each payout paid once).
    pub balance_paid_out: Money,
}

impl GatewayBooks {
    /// Every order the sandbox holds (checked to be one per `tradeNo`), and
    /// the payouts `payouts` names, as their queries say.
    pub async fn read(sandbox: &RunningSandbox, client: &Client<ReqwestTransport>, payouts: &[String]) -> Self {
        let mut books = Self::default();
        let (status, body) = http(sandbox.addr(), "GET", "/sandbox/orders", "").await.expect("the sandbox answers");
        assert_eq!(status, 200, "{body}");
        let orders: Vec<Value> = serde_json::from_str(&body).expect("a JSON list");
        for order in &orders {
            let trade_no = order["tradeNo"].as_str().expect("a tradeNo").to_owned();
            let paid = order["paidAmount"].as_str().expect("an amount").parse().expect("exact");
            let status = order["status"].as_str().expect("a status").to_owned();
            let made_before = books.records.insert((Kind::PayIn, trade_no.clone()), (status, paid));
            assert!(made_before.is_none(), "order {trade_no} made twice");
        }
        for trade_no in payouts {
            let query = PayoutQueryRequest::builder().trade_no(TradeNo::new(trade_no)).build();
            let found = client.send(&query).await;
            let found = found.unwrap_or_else(|error| panic!("payout {trade_no}: {error}"));
            let amount = found.amount.as_ref().map(|amount| Money::try_from(amount).expect("exact"));
            let paid = if found.status == TradeStatus::Success { amount.expect("an amount") } else { Money::ZERO };
            books.records.insert((Kind::Payout, trade_no.clone()), (found.status.code().to_owned(), paid));
        }
        books.balance_paid_out = paid_out_by_balance(client, books.total(Kind::PayIn)).await;
        books
    }

    /// Paid in (pay-ins) or paid out (payouts), in all.
    pub fn total(&self, kind: Kind) -> Money {
        let paid = self.records.iter().filter(|((of, _), _)| *of == kind).map(|(_, (_, paid))| *paid);
        paid.fold(Money::ZERO, |sum, paid| sum.checked_add(paid).expect("fits"))
    }
}

/// What left the balance: the opening balance and what was paid in, less
/// what is still to settle, frozen or available. A payout made twice would
/// have left it twice.
async fn paid_out_by_balance(client: &Client<ReqwestTransport>, paid_in: Money) -> Money {
    let balance = client.send(&BalanceRequest::builder().build()).await.expect("the balance");
    let money = |text| Money::try_from(text).expect("exact");
    let held = [&balance.unsettled_amount, &balance.freeze_amount, &balance.available_amount]
        .into_iter()
        .fold(Money::ZERO, |sum, amount| sum.checked_add(money(amount)).expect("fits"));
    Money::from(OPENING_BALANCE).checked_add(paid_in).and_then(|total| total.checked_sub(held)).expect("fits")
}
