//! Records hidden from queries by key: exactly until the simulated clock
//! reaches their time, whatever order the creates arrive in.

use std::sync::Arc;
use std::time::Duration;

use crate::support::*;
use vexora_sandbox::{Fault, PaymentOutcome, Sandbox, SandboxConfig, TEST_MERCHANT_NO};

fn config() -> SandboxConfig {
    // Records whose tradeNo starts with "SLOW" appear 5 s late; an order and
    // a payout are told apart by kind.
    SandboxConfig::default().simulated_clock(START_MS).opening_balance(TEST_MERCHANT_NO, 1000).visibility_delay(
        Arc::new(|kind, trade_no| match (kind, trade_no.starts_with("SLOW")) {
            ("order", true) => Some(5000),
            ("payout", true) => Some(8000),
            _ => None,
        }),
    )
}

fn sandbox() -> vexora_sandbox::InProcessSandbox {
    Sandbox::in_process(config()).expect("builds")
}

async fn query_code(sandbox: &vexora_sandbox::InProcessSandbox, route: &str, trade_no: &str) -> String {
    let envelope = api(sandbox, route, query_fields(trade_no)).await;
    envelope["code"].as_str().expect("a code").to_owned()
}

#[tokio::test]
async fn a_delayed_record_is_hidden_exactly_until_its_time() {
    let sandbox = sandbox();
    let control = sandbox.control();
    for trade_no in ["SLOW1", "FAST1"] {
        let created = api(&sandbox, CHECKOUT, checkout_fields(trade_no, 300, "1.1.1.1", "http://merchant.sim/n")).await;
        assert_eq!(created["code"], "0000", "the create is answered at once: {created}");
    }
    let payout = api(&sandbox, PAYOUT, payout_fields("SLOW2", 100, "http://merchant.sim/p")).await;
    assert_eq!(payout["code"], "0000", "{payout}");

    assert_eq!(query_code(&sandbox, QUERY, "SLOW1").await, "9008", "not found yet");
    assert_eq!(query_code(&sandbox, QUERY, "FAST1").await, "0000");
    assert_eq!(query_code(&sandbox, PAYOUT_QUERY, "SLOW2").await, "9008");
    let visible: Vec<_> = control.orders().iter().map(|order| order.visible_from_ms - order.created_at_ms).collect();
    assert_eq!(visible, [5000, 0]);
    assert_eq!(control.payouts()[0].visible_from_ms, START_MS + 8000);

    // Hidden from queries only: the tradeNo is taken, and the payer can pay.
    let again = api(&sandbox, CHECKOUT, checkout_fields("SLOW1", 300, "1.1.1.1", "http://merchant.sim/n")).await;
    assert_ne!(again["code"], "0000", "{again}");
    control.finish_order(TEST_MERCHANT_NO, "SLOW1", PaymentOutcome::Pay).expect("payable while hidden");

    control.advance_clock(Duration::from_millis(4999));
    assert_eq!(query_code(&sandbox, QUERY, "SLOW1").await, "9008", "1 ms before its time");
    control.advance_clock(Duration::from_millis(1));
    let found = api(&sandbox, QUERY, query_fields("SLOW1")).await;
    assert_eq!((found["code"].as_str(), found["data"]["status"].as_str()), (Some("0000"), Some("0000")), "{found}");
    assert_eq!(query_code(&sandbox, PAYOUT_QUERY, "SLOW2").await, "9008", "the payout's own delay");
    control.advance_clock(Duration::from_millis(3000));
    assert_eq!(query_code(&sandbox, PAYOUT_QUERY, "SLOW2").await, "0000");
}

#[tokio::test]
async fn the_longer_of_the_hook_and_a_path_fault_holds() {
    let sandbox = sandbox();
    let control = sandbox.control();
    let fault = Fault { visible_after_ms: 9000, path: Some(CHECKOUT.to_owned()), ..Fault::default() };
    control.add_fault(fault.clone()).expect("valid");
    api(&sandbox, CHECKOUT, checkout_fields("SLOW1", 300, "1.1.1.1", "http://merchant.sim/n")).await;
    control.add_fault(Fault { visible_after_ms: 1000, ..fault }).expect("valid");
    api(&sandbox, CHECKOUT, checkout_fields("SLOW2", 300, "1.1.1.1", "http://merchant.sim/n")).await;
    api(&sandbox, CHECKOUT, checkout_fields("FAST1", 300, "1.1.1.1", "http://merchant.sim/n")).await;
    let hidden: Vec<_> = control.orders().iter().map(|order| order.visible_from_ms - START_MS).collect();
    assert_eq!(hidden, [9000, 5000, 0], "the fault's, the hook's, neither");
}

#[tokio::test]
async fn with_duplicates_while_hidden_a_create_in_the_hidden_window_makes_a_second_record() {
    let sandbox = Sandbox::in_process(config().duplicates_while_hidden(true)).expect("builds");
    let control = sandbox.control();
    let checkout = |trade_no: &str, notify: &str| checkout_fields(trade_no, 300, "1.1.1.1", notify);
    let first = api(&sandbox, CHECKOUT, checkout("SLOW1", "http://merchant.sim/n?first")).await;
    assert_eq!(first["code"], "0000", "{first}");
    let payout = api(&sandbox, PAYOUT, payout_fields("SLOW2", 100, "http://merchant.sim/p?first")).await;
    assert_eq!(payout["code"], "0000", "{payout}");

    // Still hidden: the gateway's unique check does not see them yet.
    control.advance_clock(Duration::from_millis(4999));
    let second = api(&sandbox, CHECKOUT, checkout("SLOW1", "http://merchant.sim/n?second")).await;
    assert_eq!(second["code"], "0000", "a second order: {second}");
    assert_ne!(second["data"]["platFormTradeNo"], first["data"]["platFormTradeNo"]);
    let again = api(&sandbox, PAYOUT, payout_fields("SLOW2", 100, "http://merchant.sim/p?second")).await;
    assert_eq!(again["code"], "0000", "a second payout: {again}");
    let orders: Vec<_> = control.orders().into_iter().map(|order| (order.trade_no, order.notify_url)).collect();
    assert_eq!(
        orders,
        [
            ("SLOW1".to_owned(), "http://merchant.sim/n?first".to_owned()),
            ("SLOW1".to_owned(), "http://merchant.sim/n?second".to_owned())
        ]
    );
    assert_eq!(control.payouts().len(), 2);
    let balance = control.balance(TEST_MERCHANT_NO, "taiwan").expect("a balance");
    assert_eq!(balance.frozen_cents, 20_000, "both payouts hold their amount");

    // Once the first order shows, a duplicate is refused again, and queries
    // and the payer find the first.
    control.advance_clock(Duration::from_millis(1));
    let third = api(&sandbox, CHECKOUT, checkout("SLOW1", "http://merchant.sim/n?third")).await;
    assert_eq!(third["code"], "9005", "refused once the first shows: {third}");
    let found = api(&sandbox, QUERY, query_fields("SLOW1")).await;
    assert_eq!(found["data"]["platFormTradeNo"], first["data"]["platFormTradeNo"], "{found}");
    control.finish_order(TEST_MERCHANT_NO, "SLOW1", PaymentOutcome::Pay).expect("the first is paid");
    let paid: Vec<_> = control.orders().into_iter().map(|order| order.status).collect();
    assert_eq!(paid, ["0000", "0015"]);
    control.advance_clock(Duration::from_millis(3000));
    let refused = api(&sandbox, PAYOUT, payout_fields("SLOW2", 100, "http://merchant.sim/p?third")).await;
    assert_eq!(refused["code"], "9005", "{refused}");
    assert_eq!(control.payouts().len(), 2);

    // A record that shows at once is refused at once, as without the setting.
    assert_eq!(api(&sandbox, CHECKOUT, checkout("FAST1", "http://merchant.sim/n")).await["code"], "0000");
    assert_eq!(api(&sandbox, CHECKOUT, checkout("FAST1", "http://merchant.sim/n")).await["code"], "9005");
}
