//! A sandbox called in process: the same answers as over TCP, the same
//! Host and origin guard, faults, and the typed control.

use std::time::Duration;

use crate::support::*;
use axum::body::Body;
use axum::http::Request;
use vexora_sandbox::{
    BalanceView, ConnectionDropped, ControlError, Fault, PaymentOutcome, Sandbox, SandboxConfig, TEST_MERCHANT_NO,
};

const DAY: Duration = Duration::from_secs(24 * 3600);

fn sandbox(config: SandboxConfig) -> vexora_sandbox::InProcessSandbox {
    Sandbox::in_process(config.simulated_clock(START_MS)).expect("builds")
}

#[tokio::test]
async fn api_routes_answer_on_the_simulated_clock() {
    let sandbox = sandbox(SandboxConfig::default());
    assert_eq!((sandbox.host(), sandbox.url().as_str()), ("127.0.0.1", "http://127.0.0.1"));
    assert!(sandbox.routes().contains(&CHECKOUT.to_owned()));

    let created = api(&sandbox, CHECKOUT, checkout_fields("T1", 300, "1.1.1.1", "http://merchant.sim/n")).await;
    assert_eq!(created["code"], "0000", "{created}");
    assert_eq!(created["timestamp"], START_MS, "the envelope's time is the simulated clock's");
    let payment_url = created["data"]["paymentUrl"].as_str().expect("a payment URL");
    assert!(payment_url.starts_with("http://127.0.0.1/cashier/"), "{payment_url}");

    let orders = sandbox.control().orders();
    assert_eq!(orders.len(), 1);
    assert_eq!((orders[0].trade_no.as_str(), orders[0].status.as_str()), ("T1", "0015"));
    assert_eq!((orders[0].created_at_ms, orders[0].visible_from_ms), (START_MS, START_MS));
    assert_eq!(orders[0].amount_cents, 30_000);

    let found = api(&sandbox, QUERY, query_fields("T1")).await;
    assert_eq!(found["data"]["status"], "0015", "{found}");
    assert_eq!(sandbox.stats().requests, 2);
    assert_eq!(sandbox.stats().connections_accepted, 0, "no connections in process");
}

#[tokio::test]
async fn the_host_and_origin_guard_judges_in_process_requests_too() {
    let sandbox = sandbox(SandboxConfig::default().allowed_host("gateway.sim"));
    let status = |host: Option<&str>, origin: Option<&str>| {
        let mut request = Request::get("/sandbox/clock");
        if let Some(host) = host {
            request = request.header("host", host);
        }
        if let Some(origin) = origin {
            request = request.method("POST").uri("/sandbox/clock/advance").header("origin", origin);
        }
        let request = request.body(Body::from(r#"{"seconds": 1}"#)).expect("a request");
        let sandbox = &sandbox;
        async move { sandbox.call(request).await.expect("an answer").status().as_u16() }
    };
    for host in ["127.0.0.1", "127.0.0.1:80", "localhost", "gateway.sim", "GATEWAY.SIM:80"] {
        assert_eq!(status(Some(host), None).await, 200, "{host}");
    }
    for host in [None, Some("attacker.example"), Some("gateway.sim:8080"), Some("127.0.0.1:0")] {
        assert_eq!(status(host, None).await, 403, "{host:?}");
    }
    assert_eq!(status(Some("gateway.sim"), Some("http://gateway.sim")).await, 200, "its own page");
    assert_eq!(status(Some("gateway.sim"), Some("http://attacker.example")).await, 403, "another site");
    assert_eq!(sandbox.control().now_ms(), START_MS + 1000, "only the allowed advance moved the clock");
}

#[tokio::test]
async fn a_dropped_answer_is_an_error_after_the_order_was_made() {
    let sandbox = sandbox(SandboxConfig::default());
    let drop = Fault { drop_connection: true, path: Some(CHECKOUT.to_owned()), ..Fault::default() };
    sandbox.control().add_fault(drop).expect("a valid fault");
    assert_eq!(sandbox.control().faults().len(), 1);
    let request = api_request(&sandbox, CHECKOUT, &checkout_fields("T1", 300, "1.1.1.1", "http://merchant.sim/n"));
    assert_eq!(sandbox.call(request).await.err(), Some(ConnectionDropped));
    assert_eq!(sandbox.control().orders().len(), 1, "processed before the answer was lost");
    assert!(sandbox.control().faults().is_empty(), "used up");

    let refused = sandbox.control().add_fault(Fault { http_status: Some(200), ..Fault::default() });
    assert!(matches!(refused, Err(ControlError::Invalid(ref why)) if why.contains("http_status")), "{refused:?}");
    sandbox.control().add_fault(Fault { gateway_code: Some("5000".into()), ..Fault::default() }).expect("valid");
    sandbox.control().clear_faults();
    assert!(sandbox.control().faults().is_empty());
}

#[tokio::test]
async fn the_control_finishes_orders_and_payouts_and_reads_balances_across_days() {
    let sandbox = sandbox(SandboxConfig::default().opening_balance(TEST_MERCHANT_NO, 100));
    let control = sandbox.control();
    let balance = || control.balance(TEST_MERCHANT_NO, "taiwan").expect("within bounds");
    let cents = |available, frozen, unsettled| (available, frozen, unsettled);
    let of = |view: BalanceView| cents(view.available_cents, view.frozen_cents, view.unsettled_cents);

    api(&sandbox, CHECKOUT, checkout_fields("T1", 300, "1.1.1.1", "http://merchant.sim/n")).await;
    api(&sandbox, CHECKOUT, checkout_fields("T2", 301, "1.1.1.1", "http://merchant.sim/n")).await;
    let paid = control.finish_order(TEST_MERCHANT_NO, "T1", PaymentOutcome::Pay).expect("paying");
    assert_eq!((paid.status.as_str(), paid.paid_amount_cents, paid.finished_at_ms), ("0000", 30_000, Some(START_MS)));
    let part = control.finish_order(TEST_MERCHANT_NO, "T2", PaymentOutcome::Partial).expect("paying");
    assert_eq!((part.status.as_str(), part.paid_amount_cents), ("0001", 15_000));
    assert_eq!(of(balance()), cents(10_000, 0, 45_000), "paid today: unsettled (T+1)");

    let again = control.finish_order(TEST_MERCHANT_NO, "T1", PaymentOutcome::Fail);
    assert!(matches!(again, Err(ControlError::Conflict(ref why)) if why.contains("already finished")), "{again:?}");
    let missing = control.finish_order(TEST_MERCHANT_NO, "T9", PaymentOutcome::Pay);
    assert!(matches!(missing, Err(ControlError::NotFound(_))), "{missing:?}");

    assert_eq!(control.advance_clock(DAY), START_MS + 86_400_000);
    assert_eq!(of(balance()), cents(55_000, 0, 0), "settled the next local day");

    let payout = api(&sandbox, PAYOUT, payout_fields("P1", 500, "http://merchant.sim/p")).await;
    assert_eq!(payout["data"]["status"], "0015", "{payout}");
    assert_eq!(of(balance()), cents(5_000, 50_000, 0));
    let paid_out = control.finish_payout(TEST_MERCHANT_NO, "P1", true).expect("processing");
    assert_eq!((paid_out.status.as_str(), paid_out.finished_at_ms), ("0000", Some(START_MS + 86_400_000)));
    assert_eq!(of(balance()), cents(5_000, 0, 0));
    let twice = control.finish_payout(TEST_MERCHANT_NO, "P1", false);
    assert!(matches!(twice, Err(ControlError::Conflict(_))), "{twice:?}");
    assert!(matches!(control.finish_payout("0000000009", "P1", true), Err(ControlError::NotFound(_))));

    let views = control.payouts();
    assert_eq!(views.len(), 1);
    assert_eq!((views[0].trade_no.as_str(), views[0].amount_cents), ("P1", 50_000));
    assert_eq!(control.orders().iter().map(|order| order.trade_no.as_str()).collect::<Vec<_>>(), ["T1", "T2"]);
}
