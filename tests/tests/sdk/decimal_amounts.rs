//! Amounts with decimals, where a region takes them (Thailand: two places),
//! through the real client and the sandbox: a checkout of 300.50 paid,
//! queried and settled the next day, a payout of 100.25 out of it, and the
//! balances to the hundredth at every step.

use vexora::Client;
use vexora::thailand::{BalanceRequest, CheckoutRequest, PayInQueryRequest, PayoutRequest};
use vexora::types::{DecimalAmount, TradeNo, TradeStatus};
use vexora_sandbox::{RunningSandbox, SandboxConfig};
use vexora_tests::sandbox_config;

use crate::backends::Backend;
use crate::sandbox_support::{MERCHANT, post_json, sandbox_with};

const DAY_MS: i64 = 24 * 3600 * 1000;

fn amount(text: &str) -> DecimalAmount<2> {
    serde_json::from_value(text.into()).expect("a 2-decimal amount")
}

async fn balances<T: vexora::transport::Transport>(client: &Client<T>) -> [String; 3] {
    let balance = client.send(&BalanceRequest::builder().build()).await.expect("the balance");
    [balance.available_amount, balance.unsettled_amount, balance.freeze_amount].map(|text| text.as_str().to_owned())
}

/// The system clock moved as far as the sandbox's, so the requests'
/// timestamps stay within its tolerance.
struct Ahead(u64);

impl vexora::clock::Clock for Ahead {
    fn now_millis(&self) -> u64 {
        vexora::clock::SystemClock.now_millis() + self.0
    }
}

fn client<B: Backend>(sandbox: &RunningSandbox, ahead_ms: i64) -> Client<B::Transport> {
    let config = sandbox_config(sandbox.base_url("thailand")).build().expect("valid");
    Client::with_transport(config, B::transport()).with_clock(Ahead(ahead_ms.unsigned_abs()))
}

async fn decimals_are_kept_to_the_hundredth<B: Backend>() {
    let sandbox = sandbox_with(SandboxConfig::default()).await;
    let today = client::<B>(&sandbox, 0);
    let checkout = CheckoutRequest::builder()
        .trade_no(TradeNo::generate())
        .amount(amount("300.50"))
        .mobile("912345678")
        .name("Somchai")
        .email("somchai@example.com")
        .channel_code("QR")
        .way_code("QR")
        .notify_url("https://merchant.example/vexora/notify")
        .return_url("https://merchant.example/done")
        .build();
    let order = today.send(&checkout).await.expect("created");
    let paid = post_json(sandbox.addr(), &format!("/sandbox/orders/{}/pay", order.trade_no), Some(MERCHANT), "").await;
    assert_eq!(paid.status, 200, "{}", paid.body);
    let result =
        today.send(&PayInQueryRequest::builder().trade_no(order.trade_no.clone()).build()).await.expect("the result");
    assert_eq!(result.status, TradeStatus::Success);
    assert_eq!(result.amount.as_ref().map(|amount| amount.as_str()), Some("300.50"));
    assert_eq!(balances(&today).await, ["0.0000", "300.5000", "0.0000"]);

    sandbox.set_clock_offset_ms(DAY_MS);
    let tomorrow = client::<B>(&sandbox, DAY_MS);
    assert_eq!(balances(&tomorrow).await, ["300.5000", "0.0000", "0.0000"]);
    let payout = PayoutRequest::builder()
        .trade_no(TradeNo::generate())
        .amount(amount("100.25"))
        .bank_code("002")
        .bank_number("1234567890")
        .name("Somchai")
        .email("somchai@example.com")
        .mobile("912345678")
        .notify_url("https://merchant.example/vexora/notify")
        .build();
    tomorrow.send(&payout).await.expect("accepted");
    assert_eq!(balances(&tomorrow).await, ["200.2500", "0.0000", "100.2500"]);
}

on_every_backend!(decimals_are_kept_to_the_hundredth);
