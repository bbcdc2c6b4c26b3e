//! The sandbox's cashier page, scripted outcomes, and the signed
//! notifications with their retry ladder.

use std::time::Duration;

use serde_json::{Value, json};
use vexora_sandbox::{DeliveryOutcome, RETRY_LADDER, SandboxConfig};

use crate::sandbox_support::*;

/// The path of a `paymentUrl`.
fn cashier_path(data: &Value) -> String {
    let url = data["paymentUrl"].as_str().expect("a paymentUrl");
    let path = url.split_once("://").expect("an absolute URL").1;
    path[path.find('/').expect("a path")..].to_owned()
}

fn assert_local_time(text: &str) {
    let digits: Vec<_> = text.split(['-', ' ', ':']).collect();
    assert_eq!(text.len(), 19, "{text}");
    assert_eq!(digits.len(), 6, "{text}");
    assert!(digits.iter().all(|part| part.bytes().all(|b| b.is_ascii_digit())), "{text}");
}

#[tokio::test]
async fn the_cashier_page_shows_the_order_and_three_buttons() {
    let sandbox = sandbox().await;
    let data = checkout(sandbox.addr(), checkout_fields("CASHIER-1", "203.0.113.20", "http://127.0.0.1:9/n")).await;
    let id = data["platFormTradeNo"].as_str().unwrap();
    let page = get(sandbox.addr(), &cashier_path(&data)).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    for needle in [
        "<!DOCTYPE html>",
        r#"<dd id="amount">300.00</dd>"#,
        "CASHIER-1",
        MERCHANT,
        r#"id="pay-full""#,
        r#"id="pay-partial""#,
        r#"id="pay-fail""#,
        &format!(r#"action="/cashier/{id}/pay""#),
        &format!(r#"action="/cashier/{id}/partial""#),
        &format!(r#"action="/cashier/{id}/fail""#),
    ] {
        assert!(page.body.contains(needle), "{needle} not in {}", page.body);
    }
    assert_eq!(get(sandbox.addr(), "/cashier/nosuchorder0000").await.status, 404);
}

#[tokio::test]
async fn paying_at_the_cashier_redirects_and_sends_a_signed_notification() {
    let sandbox = sandbox().await;
    let receiver = Receiver::start(&[(200, "OK")]).await;
    let fields = checkout_fields("CASHIER-2", "203.0.113.21", &receiver.url("/vexora/notify?shop=1"));
    let data = checkout(sandbox.addr(), fields).await;
    let page = cashier_path(&data);

    let reply = http(sandbox.addr(), "POST", &format!("{page}/pay"), &[], b"").await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some("http://127.0.0.1:9/return"));

    let received = receiver.wait_for(1).await;
    let notification = &received[0];
    assert_eq!(notification.path, "/vexora/notify?shop=1");
    let content_type = notification.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    assert_eq!(content_type.map(|(_, v)| v.as_str()), Some("application/json"));
    assert_signed(&notification.body, SECRET);
    let body = notification.body.as_object().unwrap();
    let mut keys: Vec<_> = body.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["amount", "message", "platFormTradeNo", "remark", "sign", "status", "successTime", "timestamp", "tradeNo"]
    );
    assert_eq!(body["platFormTradeNo"], data["platFormTradeNo"]);
    assert_eq!(body["tradeNo"], "CASHIER-2");
    assert_eq!(body["amount"], "300.00");
    assert_eq!(body["status"], "0000");
    assert_eq!(body["message"], "success");
    assert_eq!(body["remark"], "000000");
    assert_local_time(body["successTime"].as_str().unwrap());
    let timestamp: i64 = body["timestamp"].as_str().unwrap().parse().unwrap();
    assert!((timestamp - now_ms()).abs() < 60_000);

    // A second choice is refused, and the page now shows the outcome.
    let again = http(sandbox.addr(), "POST", &format!("{page}/fail"), &[], b"").await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("already finished"), "{}", again.body);
    let finished = get(sandbox.addr(), &page).await;
    assert!(finished.body.contains("0000") && !finished.body.contains("pay-full"), "{}", finished.body);

    let deliveries = sandbox.deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].outcome, DeliveryOutcome::Acknowledged);
    assert_eq!(deliveries[0].response_status, Some(200));
    assert_eq!(deliveries[0].response_body.as_deref(), Some("OK"));
    assert_eq!(deliveries[0].next_attempt_in_ms, None);
}

#[tokio::test]
async fn partial_and_failed_payments_notify_what_was_paid() {
    let sandbox = sandbox().await;
    let receiver = Receiver::start(&[(200, "OK")]).await;
    let mut one = checkout_fields("CASHIER-ONE", "203.0.113.22", &receiver.url("/n"));
    one["amount"] = json!("1");
    one.as_object_mut().unwrap().remove("remark");
    for (fields, action, amount, status, message) in [
        (
            checkout_fields("CASHIER-3", "203.0.113.22", &receiver.url("/n")),
            "partial",
            "150.00",
            "0001",
            "partial payment",
        ),
        (checkout_fields("CASHIER-4", "203.0.113.22", &receiver.url("/n")), "fail", "0.00", "00029", "failed"),
        (one, "partial", "0.01", "0001", "partial payment"),
    ] {
        let count = receiver.received().len();
        let data = checkout(sandbox.addr(), fields).await;
        let reply = http(sandbox.addr(), "POST", &format!("{}/{action}", cashier_path(&data)), &[], b"").await;
        assert_eq!(reply.status, 303);
        let received = receiver.wait_for(count + 1).await;
        let body = &received[count].body;
        assert_signed(body, SECRET);
        assert_eq!(body["tradeNo"], data["tradeNo"]);
        assert_eq!(body["amount"], amount);
        assert_eq!(body["status"], status);
        assert_eq!(body["message"], message);
        // successTime only for money received; remark only when the order had one.
        assert_eq!(body.get("successTime").is_some(), status != "00029", "{body}");
        assert_eq!(body.get("remark").is_some(), data["remark"] != "", "{body}");
    }
}

#[tokio::test]
async fn scripted_outcomes_act_like_the_cashier_buttons() {
    let sandbox =
        sandbox_with(SandboxConfig::default().time_scale(0.001).merchant("0000000002", "second-secret")).await;
    let receiver = Receiver::start(&[(200, "OK")]).await;
    let data = checkout(sandbox.addr(), checkout_fields("SCRIPT-1", "203.0.113.23", &receiver.url("/n"))).await;

    let reply = http(sandbox.addr(), "POST", "/sandbox/orders/SCRIPT-1/pay", &[("merchantNo", MERCHANT)], b"").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let order = reply.json();
    assert_eq!(order["merchantNo"], MERCHANT);
    assert_eq!(order["tradeNo"], "SCRIPT-1");
    assert_eq!(order["platFormTradeNo"], data["platFormTradeNo"]);
    assert_eq!(order["status"], "0000");
    assert_eq!(order["amount"], "300.00");
    assert_eq!(order["paidAmount"], "300.00");
    let received = receiver.wait_for(1).await;
    assert_eq!(received[0].body["status"], "0000");
    assert_signed(&received[0].body, SECRET);

    let again = http(sandbox.addr(), "POST", "/sandbox/orders/SCRIPT-1/fail", &[], b"").await;
    assert_eq!(again.status, 409);
    assert!(again.json()["error"].as_str().unwrap().contains("already finished with status 0000"));
    assert_eq!(http(sandbox.addr(), "POST", "/sandbox/orders/NOPE/pay", &[], b"").await.status, 404);
    assert_eq!(http(sandbox.addr(), "POST", "/sandbox/orders/SCRIPT-1/refund", &[], b"").await.status, 404);

    // The same tradeNo at two merchants: the header decides.
    checkout(sandbox.addr(), checkout_fields("SCRIPT-2", "203.0.113.23", &receiver.url("/n"))).await;
    let second = checkout_fields("SCRIPT-2", "203.0.113.23", &receiver.url("/second"));
    let body = Value::Object(signed(second.as_object().unwrap().clone(), "second-secret")).to_string();
    assert_eq!(post_json(sandbox.addr(), CHECKOUT, Some("0000000002"), &body).await.json()["code"], "0000");
    let ambiguous = http(sandbox.addr(), "POST", "/sandbox/orders/SCRIPT-2/fail", &[], b"").await;
    assert_eq!(ambiguous.status, 409);
    assert!(ambiguous.body.contains("merchantNo"), "{}", ambiguous.body);
    let reply =
        http(sandbox.addr(), "POST", "/sandbox/orders/SCRIPT-2/fail", &[("merchantNo", "0000000002")], b"").await;
    assert_eq!(reply.json()["merchantNo"], "0000000002");
    // Signed with that merchant's secret.
    let received = receiver.wait_for(2).await;
    assert_eq!(received[1].path, "/second");
    assert_signed(&received[1].body, "second-secret");
}

#[tokio::test]
async fn a_receiver_failing_twice_gets_exactly_three_attempts() {
    let sandbox = sandbox().await;
    let receiver = Receiver::start(&[(200, "FAIL"), (200, "FAIL"), (200, "OK")]).await;
    checkout(sandbox.addr(), checkout_fields("RETRY-1", "203.0.113.24", &receiver.url("/n"))).await;
    http(sandbox.addr(), "POST", "/sandbox/orders/RETRY-1/pay", &[], b"").await;

    let deliveries = eventually(|| {
        let deliveries = sandbox.deliveries();
        deliveries.iter().any(|d| d.outcome == DeliveryOutcome::Acknowledged).then_some(deliveries)
    })
    .await;
    // Nothing more comes after the OK.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(sandbox.deliveries(), deliveries);
    assert_eq!(receiver.received().len(), 3);

    let summary: Vec<_> =
        deliveries.iter().map(|d| (d.attempt, d.outcome, d.response_body.as_deref(), d.next_attempt_in_ms)).collect();
    assert_eq!(
        summary,
        [
            (1, DeliveryOutcome::Rejected, Some("FAIL"), Some(2)),
            (2, DeliveryOutcome::Rejected, Some("FAIL"), Some(5)),
            (3, DeliveryOutcome::Acknowledged, Some("OK"), None),
        ]
    );
    assert!(deliveries.iter().all(|d| d.trade_no == "RETRY-1" && d.status == "0000" && d.url == receiver.url("/n")));

    // The same log over HTTP.
    let log = get(sandbox.addr(), "/sandbox/deliveries").await.json();
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0]["tradeNo"], "RETRY-1");
    assert_eq!(log[0]["attempt"], 1);
    assert_eq!(log[0]["responseStatus"], 200);
    assert_eq!(log[0]["responseBody"], "FAIL");
    assert_eq!(log[0]["outcome"], "rejected");
    assert_eq!(log[2]["outcome"], "acknowledged");
    assert!(log[0]["time"].is_string() && log[0]["url"].is_string());
    // Each attempt is stamped and signed anew.
    for received in receiver.received() {
        assert_signed(&received.body, SECRET);
    }
}

#[tokio::test]
async fn only_http_200_with_exactly_ok_acknowledges() {
    let sandbox = sandbox().await;
    let receiver = Receiver::start(&[(200, "OK\n"), (500, "OK"), (200, "ok"), (201, "OK"), (200, "OK")]).await;
    checkout(sandbox.addr(), checkout_fields("EXACT-1", "203.0.113.25", &receiver.url("/n"))).await;
    http(sandbox.addr(), "POST", "/sandbox/orders/EXACT-1/fail", &[], b"").await;
    let deliveries = eventually(|| {
        let deliveries = sandbox.deliveries();
        (deliveries.len() == 5).then_some(deliveries)
    })
    .await;
    let outcomes: Vec<_> = deliveries.iter().map(|d| d.outcome).collect();
    assert_eq!(outcomes[..4], [DeliveryOutcome::Rejected; 4]);
    assert_eq!(outcomes[4], DeliveryOutcome::Acknowledged);
    assert_eq!(deliveries[1].response_status, Some(500));
}

#[tokio::test]
async fn the_ladder_ends_after_eight_retries() {
    // 1e-5: the 3 h waits take about 0.1 s.
    let sandbox = sandbox_with(SandboxConfig::default().time_scale(0.000_01)).await;
    let receiver = Receiver::start(&[(503, "busy")]).await;
    checkout(sandbox.addr(), checkout_fields("LADDER-1", "203.0.113.26", &receiver.url("/n"))).await;
    http(sandbox.addr(), "POST", "/sandbox/orders/LADDER-1/pay", &[], b"").await;
    let deliveries = eventually(|| {
        let deliveries = sandbox.deliveries();
        deliveries.last().filter(|d| d.next_attempt_in_ms.is_none()).map(|_| deliveries.clone())
    })
    .await;
    assert_eq!(deliveries.len(), RETRY_LADDER.len() + 1);
    for (delivery, wait) in deliveries.iter().zip(RETRY_LADDER) {
        let expected_ms = wait.as_secs_f64() * 0.000_01 * 1000.0;
        let actual_ms = delivery.next_attempt_in_ms.expect("a next attempt") as f64;
        assert!((actual_ms - expected_ms).abs() <= 1.0, "attempt {}: {actual_ms} ms", delivery.attempt);
    }
    assert_eq!(deliveries.last().unwrap().attempt, 9);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(receiver.received().len(), RETRY_LADDER.len() + 1);
}

#[tokio::test]
async fn undeliverable_urls_are_logged_as_failed() {
    let sandbox = sandbox().await;
    checkout(sandbox.addr(), checkout_fields("HTTPS-1", "203.0.113.27", "https://merchant.example/notify")).await;
    http(sandbox.addr(), "POST", "/sandbox/orders/HTTPS-1/pay", &[], b"").await;
    let deliveries = eventually(|| Some(sandbox.deliveries()).filter(|d| !d.is_empty())).await;
    assert_eq!(deliveries[0].outcome, DeliveryOutcome::Failed);
    assert!(deliveries[0].error.as_deref().unwrap().contains("http:// only"), "{deliveries:?}");
    assert_eq!(deliveries[0].next_attempt_in_ms, None, "retrying cannot help");

    // Nobody listens on port 9 here: refused, then retried.
    checkout(sandbox.addr(), checkout_fields("REFUSED-1", "203.0.113.27", "http://127.0.0.1:9/n")).await;
    http(sandbox.addr(), "POST", "/sandbox/orders/REFUSED-1/pay", &[], b"").await;
    let refused = eventually(|| {
        let refused: Vec<_> = sandbox.deliveries().into_iter().filter(|d| d.trade_no == "REFUSED-1").collect();
        (refused.len() >= 2).then_some(refused)
    })
    .await;
    assert_eq!(refused[0].outcome, DeliveryOutcome::Failed);
    assert!(refused[0].error.as_deref().unwrap().contains("cannot connect"), "{refused:?}");
    assert_eq!(refused[0].next_attempt_in_ms, Some(2));
}
