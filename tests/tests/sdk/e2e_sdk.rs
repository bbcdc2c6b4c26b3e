//! End to end: the SDK's real client (surf on curl) against the sandbox over
//! loopback, through the whole pay-in lifecycle and its refusals.

use vexora::client::MAX_REQUEST_BYTES;
use vexora::clock::FixedClock;
use vexora::notification::{self, PayInNotification, Settlement, Verifier};
use vexora::taiwan::{BalanceRequest, CheckoutRequest, PayInQueryRequest};
use vexora::types::{Amount, DecimalText, TradeNo, TradeStatus};
use vexora::{AppSecret, Client, Error};
use vexora_sandbox::{RunningSandbox, SandboxConfig};
use vexora_tests::{ewallet_order, sandbox_config};

use crate::backends::{self, Backend};
use crate::sandbox_support::{MERCHANT, Receiver, SECRET, post_json, sandbox, sandbox_with};

fn client<B: Backend>(sandbox: &RunningSandbox) -> Client<B::Transport> {
    let config = sandbox_config(sandbox.base_url("taiwan")).build().expect("valid configuration");
    Client::with_transport(config, B::transport())
}

fn order(ip: &str, notify_url: String) -> CheckoutRequest {
    let mut order = ewallet_order(ip, &notify_url);
    order.remark = Some("e2e".into());
    order
}

/// Scripts the payer's choice through the sandbox's control API.
async fn pay(sandbox: &RunningSandbox, trade_no: &TradeNo, action: &str) {
    let reply = post_json(sandbox.addr(), &format!("/sandbox/orders/{trade_no}/{action}"), Some(MERCHANT), "").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

/// Creates, pays with `action`, waits for the notification, verifies it with
/// the SDK over its raw bytes, and returns it with the queried result.
async fn lifecycle<B: Backend>(action: &str) -> (PayInNotification, vexora::data::PayInResult) {
    let sandbox = sandbox().await;
    let receiver = Receiver::start(&[(200, "OK")]).await;
    let client = client::<B>(&sandbox);
    let request = order("198.51.100.1", receiver.url("/notify"));

    let created = client.send(&request).await.expect("accepted");
    assert_eq!(created.status, TradeStatus::Processing);
    assert_eq!(created.trade_no, request.trade_no.as_str());
    let link = created.payment_url().expect("a payment link");
    assert_eq!(link, format!("{}/cashier/{}", sandbox.url(), created.plat_form_trade_no));

    pay(&sandbox, &request.trade_no, action).await;
    let received = receiver.wait_for(1).await;
    let verified = Verifier::new(AppSecret::new(SECRET)).pay_in(&received[0].raw).expect("a genuine notification");
    assert_eq!(verified.trade_no, request.trade_no);
    assert_eq!(verified.plat_form_trade_no.as_deref(), Some(created.plat_form_trade_no.as_str()));
    assert_eq!(verified.remark.as_deref(), Some("e2e"));

    let result = client.send(&PayInQueryRequest::new(request.trade_no.clone())).await.expect("query accepted");
    assert_eq!(result.status, verified.status);
    (verified, result)
}

async fn paid_in_full<B: Backend>() {
    let (verified, result) = lifecycle::<B>("pay").await;
    assert_eq!(verified.status, TradeStatus::Success);
    let order_amount = DecimalText::from(Amount::new(300));
    assert!(matches!(verified.settlement(&order_amount), Settlement::PaidInFull { .. }));
    assert!(result.amount.expect("an amount").eq_units(300));
}

async fn paid_in_part<B: Backend>() {
    let (verified, result) = lifecycle::<B>("partial").await;
    assert_eq!(verified.status, TradeStatus::Partial);
    match verified.settlement(&DecimalText::from(Amount::new(300))) {
        Settlement::PaidInPart { amount } => assert!(amount.eq_units(150), "{amount}"),
        other => panic!("expected a partial payment, got {other:?}"),
    }
    assert_eq!(result.status, TradeStatus::Partial);
}

async fn failed_payment<B: Backend>() {
    let (verified, result) = lifecycle::<B>("fail").await;
    assert_eq!(verified.status, TradeStatus::Failed);
    assert!(matches!(verified.settlement(&DecimalText::from(Amount::new(300))), Settlement::Failed));
    assert_eq!(result.status, TradeStatus::Failed);
}

fn refusal_code(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::Refused { code, .. }) => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn a_duplicate_trade_no_is_refused<B: Backend>() {
    let sandbox = sandbox().await;
    let client = client::<B>(&sandbox);
    let request = order("198.51.100.2", "http://127.0.0.1:9/notify".into());
    client.send(&request).await.expect("the first is accepted");
    assert_eq!(refusal_code(client.send(&request).await), "9005");
}

async fn a_wrong_signature_is_refused<B: Backend>() {
    let sandbox = sandbox().await;
    // The SDK cannot sign wrongly, so build the request by hand from its own
    // prepared bytes and change one value after signing.
    let prepared = client::<B>(&sandbox).prepare(&order("198.51.100.3", "http://127.0.0.1:9/n".into())).expect("valid");
    let tampered = String::from_utf8(prepared.body).expect("UTF-8").replace("\"amount\":\"300\"", "\"amount\":\"301\"");
    let reply = post_json(sandbox.addr(), "/taiwan/v1/vexora/checkout", Some(MERCHANT), &tampered).await;
    assert_eq!(reply.json()["code"], "9002", "{}", reply.body);
}

async fn a_stale_timestamp_is_refused<B: Backend>() {
    let sandbox = sandbox().await;
    let ten_minutes_ago = vexora::clock::Clock::now_millis(&vexora::clock::SystemClock) - 10 * 60 * 1000;
    let client = client::<B>(&sandbox).with_clock(FixedClock(ten_minutes_ago));
    let result = client.send(&order("198.51.100.4", "http://127.0.0.1:9/n".into())).await;
    assert_eq!(refusal_code(result), "9003");
}

async fn an_ip_gets_ten_orders_a_day<B: Backend>() {
    let sandbox = sandbox().await;
    let client = client::<B>(&sandbox);
    for _ in 0..10 {
        client.send(&order("198.51.100.5", "http://127.0.0.1:9/n".into())).await.expect("within the limit");
    }
    let eleventh = client.send(&order("198.51.100.5", "http://127.0.0.1:9/n".into())).await;
    assert_eq!(refusal_code(eleventh), "9006");
    // Another payer is not affected.
    client.send(&order("198.51.100.6", "http://127.0.0.1:9/n".into())).await.expect("another IP");
}

async fn an_ip_gets_three_successful_payments_a_day<B: Backend>() {
    let sandbox = sandbox().await;
    let client = client::<B>(&sandbox);
    for _ in 0..3 {
        let request = order("198.51.100.7", "http://127.0.0.1:9/n".into());
        client.send(&request).await.expect("accepted");
        pay(&sandbox, &request.trade_no, "pay").await;
    }
    let fourth = client.send(&order("198.51.100.7", "http://127.0.0.1:9/n".into())).await;
    assert_eq!(refusal_code(fourth), "9007");
}

async fn a_notification_is_retried_until_the_receiver_answers_ok<B: Backend>() {
    let sandbox = sandbox_with(SandboxConfig::default().time_scale(0.001)).await;
    let receiver = Receiver::start(&[(200, "FAIL"), (500, "busy"), (200, "OK")]).await;
    let client = client::<B>(&sandbox);
    let request = order("198.51.100.8", receiver.url("/notify"));
    client.send(&request).await.expect("accepted");
    pay(&sandbox, &request.trade_no, "pay").await;

    let received = receiver.wait_for(3).await;
    for attempt in &received {
        notification::verify(&attempt.raw, &AppSecret::new(SECRET)).expect("every attempt is signed");
    }
    // Nothing more once the receiver said OK.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(receiver.received().len(), 3);
    let attempts: Vec<u32> = sandbox.deliveries().iter().map(|d| d.attempt).collect();
    assert_eq!(attempts, [1, 2, 3]);
}

async fn balance_counts_todays_payments<B: Backend>() {
    let sandbox = sandbox().await;
    let client = client::<B>(&sandbox);
    let request = order("198.51.100.9", "http://127.0.0.1:9/n".into());
    client.send(&request).await.expect("accepted");
    pay(&sandbox, &request.trade_no, "pay").await;
    let balance = client.send(&BalanceRequest::builder().build()).await.expect("accepted");
    assert!(balance.unsettled_amount.eq_units(300), "{balance:?}");
}

async fn querying_an_unknown_order_is_refused<B: Backend>() {
    let sandbox = sandbox().await;
    assert_eq!(refusal_code(client::<B>(&sandbox).send(&PayInQueryRequest::new("NOPE")).await), "9008");
}

/// The longest request the SDK sends (its remark filled with two-byte
/// characters) is paid and its notification, which echoes the remark,
/// verifies; one character more is refused before anything is sent.
async fn the_largest_request_the_sdk_sends_gets_a_notification_it_can_verify<B: Backend>() {
    let sandbox = sandbox().await;
    let receiver = Receiver::start(&[(200, "OK")]).await;
    let client = client::<B>(&sandbox);
    let with_remark = |chars: usize| {
        let mut order = ewallet_order("198.51.100.9", &receiver.url("/notify"));
        order.remark = Some("é".repeat(chars));
        order
    };
    let fits = |chars: usize| client.prepare(&with_remark(chars)).is_ok();
    // The most characters that fit, found by bisection.
    let (mut fitting, mut over) = (0, MAX_REQUEST_BYTES);
    while over - fitting > 1 {
        let middle = (fitting + over) / 2;
        if fits(middle) {
            fitting = middle;
        } else {
            over = middle;
        }
    }
    let largest = with_remark(fitting);
    assert!(client.prepare(&largest).is_ok_and(|prepared| prepared.body.len() > MAX_REQUEST_BYTES - 8));

    let before = sandbox.stats().requests;
    match client.send(&with_remark(fitting + 1)).await {
        Err(Error::Invalid(errors)) => {
            assert_eq!(errors.violations()[0].field, "remark");
            assert_eq!(errors.violations()[0].code, "request_too_large");
        }
        other => panic!("expected a request too large, got {other:?}"),
    }
    assert_eq!(sandbox.stats().requests, before, "nothing was sent");

    client.send(&largest).await.expect("accepted");
    pay(&sandbox, &largest.trade_no, "pay").await;
    let received = receiver.wait_for(1).await;
    let verified = notification::verify(&received[0].raw, &AppSecret::new(SECRET)).expect("verifiable");
    assert_eq!(verified.remark, largest.remark);
    assert!(received[0].raw.len() > MAX_REQUEST_BYTES / 2, "the notification echoed the remark");
}

/// One rule for a region's spelling, the SDK's and the sandbox's: a
/// segment spelled otherwise than the spec files (`/TAIWAN`, `/taiwan-usd`)
/// is refused when the configuration is built, so nothing is sent and no
/// outcome is left unknown; a spelling Vexora issues is served on both sides
/// once it is named (`region`, `--region-path`).
async fn a_region_is_spelled_the_same_way_by_the_sdk_and_the_sandbox<B: Backend>() {
    let sandbox = sandbox_with(SandboxConfig::default().region_path("Taiwan", "taiwan")).await;
    for segment in ["TAIWAN", "taiwan-usd", "Taiwan"] {
        let built = sandbox_config(format!("{}/{segment}", sandbox.url())).build();
        assert!(matches!(built, Err(vexora::ConfigError::Invalid { field: "base_url", .. })), "{segment}: {built:?}");
    }
    let before = sandbox.stats().requests;
    let config = sandbox_config(format!("{}/Taiwan", sandbox.url())).region("taiwan").build().expect("named");
    let client = Client::with_transport(config, B::transport());
    let request = order("198.51.100.10", "http://127.0.0.1:9/notify".into());
    let created = client.send(&request).await.expect("served under the issued spelling");
    assert_eq!(created.trade_no, request.trade_no.as_str());
    let found = client
        .send(&PayInQueryRequest::new(request.trade_no.clone()))
        .await
        .expect("queried under the issued spelling");
    assert_eq!(found.trade_no, request.trade_no);
    assert_eq!(sandbox.stats().requests, before + 2);
}

/// A query looks up any order number the provider accepts (a merchant may
/// have made the order another way); a create keeps the SDK's conservative
/// limit; a notification for such a number verifies.
async fn a_query_takes_any_trade_no_a_create_only_the_conservative_ones<B: Backend>() {
    let sandbox = sandbox().await;
    let client = client::<B>(&sandbox);
    let made_elsewhere = TradeNo::new(format!("ORDER.{}", "7".repeat(34)));
    assert_eq!(made_elsewhere.as_str().len(), 40);

    let before = sandbox.stats().requests;
    // Sent, and answered by the gateway: the sandbox has no such order.
    assert_eq!(refusal_code(client.send(&PayInQueryRequest::new(made_elsewhere.clone())).await), "9008");
    assert_eq!(sandbox.stats().requests, before + 1, "the query was sent");

    let mut create = order("198.51.100.11", "http://127.0.0.1:9/n".into());
    create.trade_no = made_elsewhere.clone();
    match client.send(&create).await {
        Err(Error::Invalid(errors)) => {
            let codes: Vec<_> = errors.violations().iter().map(|v| (v.field.as_str(), v.code.as_str())).collect();
            assert_eq!(codes, [("tradeNo", "max_length"), ("tradeNo", "pattern")]);
        }
        other => panic!("expected the create to be refused, got {other:?}"),
    }
    assert_eq!(sandbox.stats().requests, before + 1, "the create was not sent");

    let unsigned =
        serde_json::json!({ "tradeNo": made_elsewhere.as_str(), "status": "0000", "amount": "300" }).to_string();
    let sign = notification::signature(unsigned.as_bytes(), &AppSecret::new(SECRET)).expect("an object");
    let body = format!(r#"{{"sign":"{sign}",{}"#, &unsigned[1..]);
    let verified = Verifier::new(AppSecret::new(SECRET)).pay_in(body.as_bytes()).expect("verifies");
    assert_eq!(verified.trade_no, made_elsewhere);
}

/// A sandbox that loses notifications loses exactly the ones its seed
/// draws, whole ladders: the others arrive, and a query still finds every
/// order paid.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sandbox_loses_the_notifications_its_seed_draws() {
    let config = SandboxConfig::default().lose_notifications(50, 42);
    let loss = config.lost_notifications.expect("set");
    let sandbox = sandbox_with(config).await;
    let receiver = Receiver::start(&[(200, "OK")]).await;
    let client = client::<backends::Reqwest>(&sandbox);
    let mut expected = Vec::new();
    for n in 0..12 {
        let request = order(&format!("198.51.100.{}", 20 + n), receiver.url("/notify"));
        client.send(&request).await.expect("accepted");
        pay(&sandbox, &request.trade_no, "pay").await;
        if !loss.loses("order", request.trade_no.as_str()) {
            expected.push(request.trade_no.as_str().to_owned());
        }
        let result = client.send(&PayInQueryRequest::new(request.trade_no.clone())).await.expect("found");
        assert_eq!(result.status, TradeStatus::Success);
    }
    assert!(!expected.is_empty() && expected.len() < 12, "the seed draws some of the twelve: {}", expected.len());
    receiver.wait_for(expected.len()).await;
    // Time for a lost one to have arrived, had it been sent.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut arrived: Vec<String> = receiver
        .received()
        .iter()
        .filter_map(|received| serde_json::from_slice::<serde_json::Value>(&received.raw).ok())
        .filter_map(|body| body["tradeNo"].as_str().map(str::to_owned))
        .collect();
    arrived.sort();
    expected.sort();
    assert_eq!(arrived, expected);
}

on_every_backend!(
    a_query_takes_any_trade_no_a_create_only_the_conservative_ones,
    a_region_is_spelled_the_same_way_by_the_sdk_and_the_sandbox,
    the_largest_request_the_sdk_sends_gets_a_notification_it_can_verify,
    paid_in_full,
    paid_in_part,
    failed_payment,
    a_duplicate_trade_no_is_refused,
    a_wrong_signature_is_refused,
    a_stale_timestamp_is_refused,
    an_ip_gets_ten_orders_a_day,
    an_ip_gets_three_successful_payments_a_day,
    a_notification_is_retried_until_the_receiver_answers_ok,
    balance_counts_todays_payments,
    querying_an_unknown_order_is_refused,
);
