//! The sandbox's gateway API over raw HTTP: what it accepts, what it refuses
//! and with which sandbox code, and what it answers.

mod allowed_hosts;
mod money;
mod origin;
mod region_paths;

use std::collections::HashSet;

use serde_json::{Value, json};
use vexora_sandbox::SandboxConfig;

use crate::sandbox_support::*;

#[tokio::test]
async fn a_correctly_signed_checkout_is_accepted() {
    let sandbox = sandbox().await;
    let fields = checkout_fields("20261126150405001", "203.0.113.7", "http://127.0.0.1:9/notify");
    let body = Value::Object(signed(fields.as_object().unwrap().clone(), SECRET)).to_string();
    let reply = post_json(sandbox.addr(), CHECKOUT, Some(MERCHANT), &body).await;

    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("x-vexora-sandbox-version"), Some(env!("CARGO_PKG_VERSION")));
    let envelope = reply.json();
    assert_eq!(envelope["msg"], "success");
    assert_eq!(envelope["code"], "0000");
    assert_eq!(envelope["success"], true);
    assert!((envelope["timestamp"].as_i64().unwrap() - now_ms()).abs() < 60_000, "{envelope}");
    // The members in the provider's example order.
    assert!(reply.body.starts_with(r#"{"msg":"success","code":"0000","timestamp":"#), "{}", reply.body);

    let data = &envelope["data"];
    let id = data["platFormTradeNo"].as_str().unwrap();
    assert_eq!(id.len(), 16);
    assert_eq!(
        data,
        &json!({
            "tradeNo": "20261126150405001",
            "platFormTradeNo": id,
            "status": "0015",
            "desc": "Paying",
            "remark": "000000",
            "paymentUrl": format!("{}/cashier/{id}", sandbox.url()),
        })
    );
}

#[tokio::test]
async fn the_store_example_and_numbers_signed_as_written_are_accepted() {
    let sandbox = sandbox().await;
    let mut fields = checkout_fields("STORE-1", "203.0.113.8", "http://127.0.0.1:9/notify");
    fields["channelCode"] = json!("STORE");
    fields["wayCode"] = json!("711");
    fields["postcode"] = json!("123");
    fields["address"] = json!("Taipei \"101\" / 台北");
    fields.as_object_mut().unwrap().remove("bankNumber");
    fields.as_object_mut().unwrap().remove("remark");
    let data = checkout(sandbox.addr(), fields).await;
    assert_eq!(data["remark"], "");

    // A timestamp sent as a JSON number is signed as its text, then refused
    // by the spec's type (every request value is a string on the wire).
    let mut fields = checkout_fields("NUM-1", "203.0.113.8", "http://127.0.0.1:9/notify");
    fields["timestamp"] = json!(now_ms());
    let envelope = call(sandbox.addr(), CHECKOUT, fields).await;
    assert_refused(&envelope, "9004", "timestamp: must be a JSON string, not a number");
}

#[tokio::test]
async fn a_bad_or_missing_signature_is_refused_9002() {
    let sandbox = sandbox().await;
    let fields = checkout_fields("SIGN-1", "203.0.113.9", "http://127.0.0.1:9/notify");
    let mut tampered = signed(fields.as_object().unwrap().clone(), SECRET);
    tampered.insert("amount".into(), json!("301"));
    let reply = post_json(sandbox.addr(), CHECKOUT, Some(MERCHANT), &Value::Object(tampered).to_string()).await;
    assert_refused(&reply.json(), "9002", "sign: signature mismatch");

    let wrong_secret = signed(fields.as_object().unwrap().clone(), "not-the-secret");
    let reply = post_json(sandbox.addr(), CHECKOUT, Some(MERCHANT), &Value::Object(wrong_secret).to_string()).await;
    assert_refused(&reply.json(), "9002", "sign: signature mismatch");

    let mut unsigned = fields.clone();
    unsigned["timestamp"] = json!(now_ms().to_string());
    let reply = post_json(sandbox.addr(), CHECKOUT, Some(MERCHANT), &unsigned.to_string()).await;
    assert_refused(&reply.json(), "9002", "sign: missing");

    // Nothing was created by any of them.
    let envelope = call(sandbox.addr(), QUERY, json!({ "tradeNo": "SIGN-1" })).await;
    assert_refused(&envelope, "9008", "SIGN-1");
}

#[tokio::test]
async fn an_unknown_or_missing_merchant_is_refused_9001() {
    let sandbox = sandbox().await;
    let body = Value::Object(signed(json!({ "tradeNo": "T1" }).as_object().unwrap().clone(), SECRET)).to_string();
    let reply = post_json(sandbox.addr(), QUERY, Some("0000000099"), &body).await;
    assert_refused(&reply.json(), "9001", "merchantNo: 0000000099 is not a merchant of this sandbox");
    let reply = post_json(sandbox.addr(), QUERY, None, &body).await;
    assert_refused(&reply.json(), "9001", "merchantNo: header missing");
}

#[tokio::test]
async fn a_stale_timestamp_is_refused_9003() {
    let sandbox = sandbox().await;
    for (offset, accepted) in [(-6 * 60_000, false), (6 * 60_000, false), (-4 * 60_000, true), (4 * 60_000, true)] {
        let fields = json!({ "timestamp": (now_ms() + offset).to_string() });
        let envelope = call(sandbox.addr(), BALANCE, fields).await;
        if accepted {
            assert_eq!(envelope["code"], "0000", "{offset}: {envelope}");
        } else {
            assert_refused(&envelope, "9003", "ms away from the sandbox clock");
        }
    }
    let envelope = call(sandbox.addr(), BALANCE, json!({ "timestamp": "yesterday" })).await;
    assert_refused(&envelope, "9003", "timestamp: must be milliseconds since the Unix epoch");
}

#[tokio::test]
async fn every_kind_of_field_rule_is_enforced_9004_naming_the_field() {
    let sandbox = sandbox().await;
    type Case = (&'static str, fn(&mut Value), Vec<&'static str>);
    let cases: Vec<Case> = vec![
        ("pattern", |f| f["mobile"] = json!("912345678"), vec![r"mobile: must match the pattern ^0\d{9}$"]),
        ("email", |f| f["email"] = json!("not-an-email"), vec!["email: must be an email address"]),
        ("ip", |f| f["ipAddress"] = json!("1.2.3"), vec!["ipAddress: must be an IPv4 or IPv6 address"]),
        ("http_url", |f| f["notifyUrl"] = json!("ftp://x/y"), vec!["notifyUrl: must be an http:// or https:// URL"]),
        (
            "one_of",
            |f| f["channelCode"] = json!("CASH"),
            vec!["channelCode: must be one of NET_BANKING, STORE, EWALLET"],
        ),
        (
            "required_if STORE",
            |f| f["channelCode"] = json!("STORE"),
            vec!["postcode: is required when channelCode is STORE", "address: is required when channelCode is STORE"],
        ),
        (
            "required_if NET_BANKING",
            |f| {
                f.as_object_mut().unwrap().remove("bankNumber");
            },
            vec!["bankNumber: is required when channelCode is NET_BANKING"],
        ),
        (
            "custom",
            |f| f["bankNumber"] = json!("12-3456"),
            vec![
                "bankNumber: must match the pattern ^[0-9]{3}-[0-9]+( *, *[0-9]{3}-[0-9]+)*$ (custom rule bank_numbers)",
            ],
        ),
        (
            "max_length",
            |f| f["tradeNo"] = json!("A".repeat(33)),
            vec!["tradeNo: must be at most 32 characters long (got 33)"],
        ),
        ("tradeNo pattern", |f| f["tradeNo"] = json!("T 1"), vec!["tradeNo: must match the pattern ^[0-9A-Za-z_-]+$"]),
        ("amount pattern", |f| f["amount"] = json!("300.00"), vec!["amount: must match the pattern ^[1-9][0-9]*$"]),
        ("type", |f| f["amount"] = json!(300), vec!["amount: must be a JSON string, not a number"]),
        (
            "required",
            |f| {
                f.as_object_mut().unwrap().remove("firstname");
            },
            vec!["firstname: is required"],
        ),
        ("required, empty", |f| f["lastname"] = json!(""), vec!["lastname: is required"]),
        ("required, null", |f| f["wayCode"] = Value::Null, vec!["wayCode: is required"]),
        ("unknown field", |f| f["currency"] = json!("TWD"), vec!["currency: unknown field"]),
        (
            "several at once",
            |f| {
                f["mobile"] = json!("x");
                f["email"] = json!("y");
            },
            vec!["mobile: must match", "email: must be an email address"],
        ),
    ];
    for (index, (name, mutate, needles)) in cases.into_iter().enumerate() {
        let mut fields = checkout_fields(&format!("RULE-{index}"), "203.0.113.10", "http://127.0.0.1:9/notify");
        mutate(&mut fields);
        let envelope = call(sandbox.addr(), CHECKOUT, fields).await;
        for needle in needles {
            assert_refused(&envelope, "9004", needle);
        }
        assert!(!envelope["msg"].as_str().unwrap().is_empty(), "{name}");
    }
}

#[tokio::test]
async fn bodies_that_are_not_json_objects_of_scalars_are_refused_9009() {
    let sandbox = sandbox().await;
    for (body, needle) in [
        ("not json", "body:"),
        ("[1, 2]", "body: invalid type"),
        (r#"{"tradeNo": {"a": 1}}"#, "tradeNo: objects and arrays are not accepted"),
        (r#"{"tradeNo": "a", "tradeNo": "b"}"#, "tradeNo: appears twice"),
        ("", "body: empty"),
    ] {
        let reply = post_json(sandbox.addr(), QUERY, Some(MERCHANT), body).await;
        assert_refused(&reply.json(), "9009", needle);
    }
    let reply = http(
        sandbox.addr(),
        "POST",
        QUERY,
        &[("merchantNo", MERCHANT), ("Content-Type", "application/x-www-form-urlencoded")],
        b"tradeNo=1",
    )
    .await;
    assert_refused(&reply.json(), "9009", "Content-Type: must be application/json");
}

#[tokio::test]
async fn a_duplicate_trade_no_is_refused_9005_per_merchant() {
    let sandbox =
        sandbox_with(SandboxConfig::default().time_scale(0.001).merchant("0000000002", "second-secret")).await;
    let fields = checkout_fields("DUP-1", "203.0.113.11", "http://127.0.0.1:9/notify");
    checkout(sandbox.addr(), fields.clone()).await;
    let envelope = call(sandbox.addr(), CHECKOUT, fields.clone()).await;
    assert_refused(&envelope, "9005", "tradeNo: DUP-1 was already used by merchant 0000000001");

    // Another merchant may use the same tradeNo.
    let body = Value::Object(signed(fields.as_object().unwrap().clone(), "second-secret")).to_string();
    let reply = post_json(sandbox.addr(), CHECKOUT, Some("0000000002"), &body).await;
    assert_eq!(reply.json()["code"], "0000", "{}", reply.body);
}

#[tokio::test]
async fn a_payer_ip_gets_10_orders_a_day_9006() {
    let sandbox = sandbox().await;
    let ip = "203.0.113.12";
    for n in 0..10 {
        checkout(sandbox.addr(), checkout_fields(&format!("IP-{n}"), ip, "http://127.0.0.1:9/notify")).await;
    }
    let envelope = call(sandbox.addr(), CHECKOUT, checkout_fields("IP-10", ip, "http://127.0.0.1:9/notify")).await;
    assert_refused(&envelope, "9006", "ipAddress: 203.0.113.12 already has 10 orders today (limit 10)");
    // Other payers are not affected.
    checkout(sandbox.addr(), checkout_fields("IP-11", "203.0.113.13", "http://127.0.0.1:9/notify")).await;
}

#[tokio::test]
async fn a_payer_ip_gets_3_successful_orders_a_day_9007() {
    let sandbox = sandbox().await;
    let ip = "203.0.113.14";
    for n in 0..4 {
        checkout(sandbox.addr(), checkout_fields(&format!("OK-{n}"), ip, "http://127.0.0.1:9/notify")).await;
    }
    // Failed and partial payments do not count as successful.
    let reply = http(sandbox.addr(), "POST", "/sandbox/orders/OK-3/fail", &[], b"").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    for n in 0..3 {
        let reply = http(sandbox.addr(), "POST", &format!("/sandbox/orders/OK-{n}/pay"), &[], b"").await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let envelope = call(sandbox.addr(), CHECKOUT, checkout_fields("OK-4", ip, "http://127.0.0.1:9/notify")).await;
    assert_refused(&envelope, "9007", "ipAddress: 203.0.113.14 already has 3 successful orders today (limit 3)");
}

#[tokio::test]
async fn queries_follow_the_order_9008_when_unknown() {
    let sandbox = sandbox().await;
    let envelope = call(sandbox.addr(), QUERY, json!({ "tradeNo": "NOPE-1" })).await;
    assert_refused(&envelope, "9008", "tradeNo: no order NOPE-1 for merchant 0000000001");

    for (trade_no, action, status, amount, message) in [
        ("Q-PAY", "pay", "0000", "300.00", "success"),
        ("Q-PART", "partial", "0001", "150.00", "partial payment"),
        ("Q-FAIL", "fail", "00029", "0.00", "failed"),
    ] {
        let created = checkout(sandbox.addr(), checkout_fields(trade_no, "203.0.113.15", "http://127.0.0.1:9/n")).await;
        let paying = call(sandbox.addr(), QUERY, json!({ "tradeNo": trade_no })).await;
        assert_eq!(
            paying["data"],
            json!({
                "tradeNo": trade_no,
                "platFormTradeNo": created["platFormTradeNo"],
                "status": "0015",
                "amount": "0.00",
                "message": "Paying",
            })
        );
        let reply = http(sandbox.addr(), "POST", &format!("/sandbox/orders/{trade_no}/{action}"), &[], b"").await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let finished = call(sandbox.addr(), QUERY, json!({ "tradeNo": trade_no })).await;
        assert_eq!(finished["code"], "0000");
        assert_eq!(finished["data"]["status"], status);
        assert_eq!(finished["data"]["amount"], amount);
        assert_eq!(finished["data"]["message"], message);
    }
}

#[tokio::test]
async fn balances_count_todays_payments_as_unsettled_until_the_next_day() {
    let sandbox = sandbox().await;
    let zero = json!({ "availableAmount": "0.0000", "freezeAmount": "0.0000", "unsettledAmount": "0.0000" });
    assert_eq!(call(sandbox.addr(), BALANCE, json!({})).await["data"], zero);

    for (trade_no, action) in [("B-1", "pay"), ("B-2", "partial"), ("B-3", "fail")] {
        checkout(sandbox.addr(), checkout_fields(trade_no, "203.0.113.16", "http://127.0.0.1:9/n")).await;
        http(sandbox.addr(), "POST", &format!("/sandbox/orders/{trade_no}/{action}"), &[], b"").await;
    }
    let today = call(sandbox.addr(), BALANCE, json!({})).await;
    assert_eq!(
        today["data"],
        json!({ "availableAmount": "0.0000", "freezeAmount": "0.0000", "unsettledAmount": "450.0000" })
    );

    // T+1: the sandbox's clock moves a day; requests must follow its clock.
    let day = 86_400_000;
    sandbox.set_clock_offset_ms(day);
    let tomorrow = call(sandbox.addr(), BALANCE, json!({ "timestamp": (now_ms() + day).to_string() })).await;
    assert_eq!(
        tomorrow["data"],
        json!({ "availableAmount": "450.0000", "freezeAmount": "0.0000", "unsettledAmount": "0.0000" })
    );
}

#[tokio::test]
async fn unknown_paths_are_404_and_every_response_has_the_version_header() {
    let sandbox = sandbox().await;
    for (method, path) in [("POST", "/taiwan/v1/vexora/refunds"), ("GET", "/"), ("POST", "/mexico/v1/vexora/checkout")]
    {
        let reply = http(sandbox.addr(), method, path, &[("Content-Type", "application/json")], b"{}").await;
        assert_eq!(reply.status, 404, "{method} {path}");
        assert!(reply.body.contains(path), "{}", reply.body);
        assert_eq!(reply.header("x-vexora-sandbox-version"), Some(env!("CARGO_PKG_VERSION")));
    }
    let routes = sandbox.routes();
    for route in [CHECKOUT, BALANCE, QUERY] {
        assert!(routes.iter().any(|known| known == route), "{route} in {routes:?}");
    }
    let reply = get(sandbox.addr(), "/sandbox/stats").await;
    assert_eq!(reply.header("x-vexora-sandbox-version"), Some(env!("CARGO_PKG_VERSION")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_parallel_checkouts_get_distinct_platform_numbers() {
    let sandbox = sandbox().await;
    let addr = sandbox.addr();
    let tasks: Vec<_> = (0..50)
        .map(|n| {
            let fields = checkout_fields(&format!("PAR-{n}"), &format!("198.51.100.{n}"), "http://127.0.0.1:9/n");
            tokio::spawn(async move { checkout(addr, fields).await })
        })
        .collect();
    let mut ids = HashSet::new();
    for task in tasks {
        let data = task.await.unwrap();
        assert!(ids.insert(data["platFormTradeNo"].as_str().unwrap().to_owned()), "a platFormTradeNo repeated");
    }
    assert_eq!(ids.len(), 50);
    let orders = get(addr, "/sandbox/orders").await.json();
    assert_eq!(orders.as_array().unwrap().len(), 50);
}
