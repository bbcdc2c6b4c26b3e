//! Taiwan payouts end to end, on both backends: a balance to pay out of,
//! a payout that freezes its amount, the outcome decided through the
//! sandbox's control route, a signed notification the SDK verifies, the
//! query and the balance at every step, and refusals before anything is
//! sent.

use vexora::client::Reconciliation;
use vexora::notification::{self, Verifier};
use vexora::taiwan::{BalanceRequest, PayoutQueryRequest, PayoutRequest};
use vexora::types::{Amount, TradeNo, TradeStatus};
use vexora::{AppSecret, Client, Error};
use vexora_sandbox::{RunningSandbox, SandboxConfig};
use vexora_tests::sandbox_config;

use crate::backends::Backend;
use crate::sandbox_support::{MERCHANT, Receiver, SECRET, post_json, sandbox_with};

fn client<B: Backend>(sandbox: &RunningSandbox) -> Client<B::Transport> {
    let config = sandbox_config(sandbox.base_url("taiwan")).order_not_found_code("9008").build().expect("valid");
    Client::with_transport(config, B::transport())
}

fn payout(amount: u64, notify_url: String) -> PayoutRequest {
    PayoutRequest::builder()
        .trade_no(TradeNo::generate())
        .amount(Amount::new(amount))
        .bank_code("004")
        .bank_number("3560123456789012")
        .mobile("0912345678")
        .email("payee@example.com")
        .name("Lin Mei")
        .notify_url(notify_url)
        .remark("refund 42")
        .build()
}

async fn decide(sandbox: &RunningSandbox, trade_no: &TradeNo, action: &str) {
    let reply = post_json(sandbox.addr(), &format!("/sandbox/payouts/{trade_no}/{action}"), Some(MERCHANT), "").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

/// (available, frozen) in whole units.
async fn balances<T: vexora::transport::Transport>(client: &Client<T>) -> (String, String) {
    let balance = client.send(&BalanceRequest::builder().build()).await.expect("the balance");
    (balance.available_amount.as_str().to_owned(), balance.freeze_amount.as_str().to_owned())
}

async fn a_payout_is_frozen_then_paid_out_and_notified<B: Backend>() {
    let sandbox = sandbox_with(SandboxConfig::default().time_scale(0.001).opening_balance(MERCHANT, 1_000)).await;
    let receiver = Receiver::start(&[(200, "OK")]).await;
    let client = client::<B>(&sandbox);
    let request = payout(300, receiver.url("/notify"));

    let accepted = client.send(&request).await.expect("accepted");
    assert_eq!(
        (accepted.trade_no.clone(), accepted.status.clone()),
        (request.trade_no.clone(), TradeStatus::Processing)
    );
    assert_eq!(balances(&client).await, ("700.0000".to_owned(), "300.0000".to_owned()));
    let query = PayoutQueryRequest::builder().trade_no(request.trade_no.clone()).build();
    assert_eq!(client.send(&query).await.expect("found").status, TradeStatus::Processing);

    decide(&sandbox, &request.trade_no, "pay").await;
    let received = receiver.wait_for(1).await;
    let notification = Verifier::new(AppSecret::new(SECRET))
        .payout(&received[0].raw)
        .expect("the SDK verifies the sandbox's notification");
    assert_eq!(
        (notification.trade_no.clone(), notification.status.clone()),
        (request.trade_no.clone(), TradeStatus::Success)
    );
    let outcome = notification.outcome(&vexora::types::DecimalText::from(request.amount));
    assert!(matches!(outcome, notification::PayoutOutcome::PaidOut { .. }), "{outcome:?}");
    assert_eq!(notification.remark.as_deref(), Some("refund 42"));

    let result = client.send(&query).await.expect("found");
    assert_eq!(result.status, TradeStatus::Success);
    assert!(result.success_time.is_some(), "a paid-out payout has its time");
    assert_eq!(balances(&client).await, ("700.0000".to_owned(), "0.0000".to_owned()));
}

async fn a_failed_payout_restores_the_balance<B: Backend>() {
    let sandbox = sandbox_with(SandboxConfig::default().time_scale(0.001).opening_balance(MERCHANT, 500)).await;
    let receiver = Receiver::start(&[(200, "OK")]).await;
    let client = client::<B>(&sandbox);
    let request = payout(200, receiver.url("/notify"));
    client.send(&request).await.expect("accepted");
    decide(&sandbox, &request.trade_no, "fail").await;
    let received = receiver.wait_for(1).await;
    let notification = Verifier::new(AppSecret::new(SECRET)).payout(&received[0].raw).expect("verified");
    let outcome = notification.outcome(&vexora::types::DecimalText::from(request.amount));
    assert_eq!(outcome, notification::PayoutOutcome::Failed);
    assert_eq!(balances(&client).await, ("500.0000".to_owned(), "0.0000".to_owned()));
    // A finished payout cannot be decided again.
    let again =
        post_json(sandbox.addr(), &format!("/sandbox/payouts/{}/pay", request.trade_no), Some(MERCHANT), "").await;
    assert_eq!(again.status, 409, "{}", again.body);
}

async fn payouts_beyond_the_balance_or_the_rules_are_refused<B: Backend>() {
    let sandbox = sandbox_with(SandboxConfig::default().time_scale(0.001).opening_balance(MERCHANT, 150)).await;
    let client = client::<B>(&sandbox);
    let before = sandbox.stats().requests;
    match client.send(&payout(99, "https://merchant.example/notify".into())).await {
        Err(Error::Invalid(errors)) => {
            assert_eq!(errors.violations()[0].field, "amount");
            assert_eq!(errors.violations()[0].code, "min_amount");
        }
        other => panic!("expected an invalid amount, got {other:?}"),
    }
    let mut bad_bank = payout(100, "https://merchant.example/notify".into());
    bad_bank.bank_code = "04".into();
    assert!(matches!(client.send(&bad_bank).await, Err(Error::Invalid(_))));
    assert_eq!(sandbox.stats().requests, before, "nothing was sent");

    match client.send(&payout(200, "https://merchant.example/notify".into())).await {
        Err(Error::Refused { code, msg }) => {
            assert_eq!(code, "9011");
            assert!(msg.contains("available balance"), "{msg}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn an_ambiguous_payout_reconciles_through_the_payout_query<B: Backend>() {
    let sandbox = sandbox_with(SandboxConfig::default().time_scale(0.001).opening_balance(MERCHANT, 1_000)).await;
    let client = client::<B>(&sandbox);
    let request = payout(100, "https://merchant.example/notify".into());
    let fault = r#"{"drop_connection": true, "path": "/taiwan/v1/vexora/disbursements"}"#;
    assert!(post_json(sandbox.addr(), "/sandbox/faults", None, fault).await.status < 300);
    let before = sandbox.stats().requests;
    match client.send(&request).await {
        Err(Error::OutcomeUnknown { keys, .. }) => assert_eq!(keys.trade_no(), Some(request.trade_no.as_str())),
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
    assert_eq!(sandbox.stats().requests - before, 1, "a payout is never resent on its own");
    match client.reconcile(&request).await.expect("the query works") {
        Reconciliation::Found(found) => assert_eq!(found.status, TradeStatus::Processing),
        Reconciliation::NotFound => panic!("the payout exists"),
    }
    // Never a second payout: the same tradeNo is refused.
    assert!(matches!(client.send(&request).await, Err(Error::Refused { code, .. }) if code == "9005"));
    let unknown = payout(100, "https://merchant.example/notify".into());
    assert_eq!(client.reconcile(&unknown).await.expect("the query works"), Reconciliation::NotFound);
}

on_every_backend!(
    a_payout_is_frozen_then_paid_out_and_notified,
    a_failed_payout_restores_the_balance,
    payouts_beyond_the_balance_or_the_rules_are_refused,
    an_ambiguous_payout_reconciles_through_the_payout_query,
);
