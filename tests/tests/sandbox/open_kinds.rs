//! A kind the sandbox has no handler of its own for is served from its
//! spec's data: `tests/spec/testland/refund.toml` (a create of kind
//! `refund`, money going back, keyed by `tradeNo` and `refundNo`) and its
//! read `refund-query.toml`. Created, refused as a duplicate, found by both
//! keys, finished through the control route and the dashboard, notified
//! signed, its amount taken from the balance and given back.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Value, json};
use vexora::AppSecret;
use vexora::notification::Verifier;
use vexora::types::TradeStatus;
use vexora_sandbox::{DeliveryOutcome, NotifiedKind, RunningSandbox, SandboxConfig};

use crate::sandbox_support::*;

const REFUND: &str = "/testland/v1/vexora/refund";
const REFUND_QUERY: &str = "/testland/v1/vexora/queryRefundResult";
const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");
/// Another merchant, with a secret of its own.
const OTHER_MERCHANT: &str = "0000000002";
const OTHER_SECRET: &str = "another-sandbox-secret";
/// The test merchant's opening balance, in whole units.
const OPENING: u64 = 1_000;

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("spec")
}

/// A sandbox on the test fixtures' specs, two merchants, the test
/// merchant with [`OPENING`] in every region.
fn config() -> SandboxConfig {
    SandboxConfig::default()
        .time_scale(0.001)
        .spec_dir(spec_dir())
        .merchant(OTHER_MERCHANT, OTHER_SECRET)
        .opening_balance(MERCHANT, OPENING)
}

fn refund(trade_no: &str, refund_no: &str, amount: &str) -> Value {
    json!({ "tradeNo": trade_no, "refundNo": refund_no, "amount": amount })
}

/// `(available, frozen, unsettled)` of the test merchant in testland, in hundredths.
fn balance(sandbox: &RunningSandbox) -> (u64, u64, u64) {
    let balance = sandbox.control().balance(MERCHANT, "testland").expect("within the books' bound");
    (balance.available_cents, balance.frozen_cents, balance.unsettled_cents)
}

/// A create that must be accepted; returns its `data`.
async fn create(sandbox: &RunningSandbox, fields: Value) -> Value {
    let envelope = call(sandbox.addr(), REFUND, fields).await;
    assert_eq!((&envelope["code"], &envelope["success"]), (&json!("0000"), &json!(true)), "{envelope}");
    envelope["data"].clone()
}

/// The platform id an answer carries: 16 of `[0-9a-z]`, like the gateway's.
fn platform_id(data: &Value) -> String {
    let id = data["platFormTradeNo"].as_str().unwrap_or_else(|| panic!("a platFormTradeNo in {data}"));
    assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()), "{id}");
    id.to_owned()
}

/// `POST /sandbox/records/{id}/{action}` as a script.
async fn finish(sandbox: &RunningSandbox, id: &str, action: &str) -> Reply {
    http(sandbox.addr(), "POST", &format!("/sandbox/records/{id}/{action}"), &[], b"").await
}

#[test]
fn the_fixtures_load_and_have_no_problem_alone_or_together() {
    let specs = vexora_spec::load_all(&spec_dir()).expect("the fixtures load");
    for spec in specs.values() {
        assert_eq!(spec.problems(), Vec::<String>::new(), "{}", spec.id());
    }
    assert_eq!(vexora_spec::problems_across(specs.values()), Vec::<String>::new());

    let route = |path: &str| specs.get(&("testland".to_owned(), path.to_owned())).expect("the spec");
    let refund = route("/v1/vexora/refund");
    assert_eq!((refund.endpoint.kind.known(), refund.endpoint.kind.name()), (None, "refund"));
    assert_eq!(refund.money(), vexora_spec::MoneyFlow::Back);
    assert_eq!(refund.keys(), ["tradeNo", "refundNo"]);
    assert_eq!(refund.endpoint.reconcile_with.as_deref(), Some("refund-query"));
    let query = route("/v1/vexora/queryRefundResult");
    assert_eq!((query.endpoint.kind.known(), query.endpoint.call), (None, vexora_spec::CallKind::Read));
    assert_eq!(query.merchant_fields().collect::<Vec<_>>(), ["tradeNo", "refundNo"]);
}

#[tokio::test]
async fn a_refund_takes_its_amount_and_a_second_with_the_same_keys_is_refused() {
    let sandbox = sandbox_with(config()).await;
    assert!(sandbox.routes().contains(&REFUND.to_owned()), "{:?}", sandbox.routes());
    assert_eq!(balance(&sandbox), (100_000, 0, 0));

    let data = create(&sandbox, refund("ORDER-1", "REFUND-1", "120.5")).await;
    let id = platform_id(&data);
    assert_eq!(
        data,
        json!({
            "tradeNo": "ORDER-1", "refundNo": "REFUND-1", "platFormTradeNo": id, "status": "0015", "amount": "120.50"
        })
    );
    let keys: Vec<&String> = data.as_object().expect("an object").keys().collect();
    assert_eq!(keys.len(), 5, "no other member: {data}");
    assert_eq!(balance(&sandbox), (100_000 - 12_050, 12_050, 0), "taken from the available balance, held");

    let again = call(sandbox.addr(), REFUND, refund("ORDER-1", "REFUND-1", "1")).await;
    assert_refused(&again, "9005", "tradeNo, refundNo: refund ORDER-1, REFUND-1 was already used by merchant");
    assert_eq!(balance(&sandbox), (100_000 - 12_050, 12_050, 0), "nothing taken twice");

    // One key the same is another refund (a second refund of the same order).
    let second = create(&sandbox, refund("ORDER-1", "REFUND-2", "10")).await;
    assert_ne!(platform_id(&second), id);
    assert_eq!(balance(&sandbox), (100_000 - 13_050, 13_050, 0));
    // Another merchant's keys are its own: refused for want of money, not as a duplicate.
    let fields = refund("ORDER-1", "REFUND-1", "1").as_object().expect("an object").clone();
    let body = Value::Object(signed(fields, OTHER_SECRET)).to_string();
    let other = post_json(sandbox.addr(), REFUND, Some(OTHER_MERCHANT), &body).await.json();
    assert_refused(&other, "9011", "amount: 1.00 is more than the available balance, 0.00");

    let records = get(sandbox.addr(), "/sandbox/records").await.json();
    assert_eq!(records.as_array().map(Vec::len), Some(2), "{records}");
    assert_eq!(records[0]["kind"], "refund");
    assert_eq!(records[0]["endpoint"], "testland/refund");
    assert_eq!(records[0]["money"], "back");
    assert_eq!(records[0]["keys"], json!({ "tradeNo": "ORDER-1", "refundNo": "REFUND-1" }));
    assert_eq!(records[0]["amount"], "120.50");
}

#[tokio::test]
async fn a_refund_more_than_the_available_balance_is_refused_and_not_stored() {
    let sandbox = sandbox_with(config()).await;
    let refused = call(sandbox.addr(), REFUND, refund("ORDER-2", "REFUND-1", "1000.01")).await;
    assert_refused(&refused, "9011", "amount: 1000.01 is more than the available balance, 1000.00");
    let query = call(sandbox.addr(), REFUND_QUERY, json!({ "tradeNo": "ORDER-2", "refundNo": "REFUND-1" })).await;
    assert_refused(&query, "9008", "tradeNo ORDER-2, refundNo REFUND-1: no refund for merchant");
    assert_eq!(balance(&sandbox), (100_000, 0, 0));
    // An amount the sandbox cannot keep exactly is refused, not rounded.
    let odd = call(sandbox.addr(), REFUND, refund("ORDER-2", "REFUND-2", "1.005")).await;
    assert_refused(&odd, "9004", "amount: the sandbox keeps amounts to the hundredth");
    assert_eq!(get(sandbox.addr(), "/sandbox/records").await.json(), json!([]));
}

#[tokio::test]
async fn the_query_finds_a_refund_by_both_keys_and_only_by_both() {
    let sandbox = sandbox_with(config()).await;
    let created = create(&sandbox, refund("ORDER-3", "REFUND-1", "50")).await;

    let found = call(sandbox.addr(), REFUND_QUERY, json!({ "tradeNo": "ORDER-3", "refundNo": "REFUND-1" })).await;
    assert_eq!(found["code"], "0000", "{found}");
    assert_eq!(found["data"], created, "answered as the create was, while it is processing");

    for (trade_no, refund_no) in [("ORDER-3", "REFUND-9"), ("ORDER-9", "REFUND-1")] {
        let missed = call(sandbox.addr(), REFUND_QUERY, json!({ "tradeNo": trade_no, "refundNo": refund_no })).await;
        let searched = format!("tradeNo {trade_no}, refundNo {refund_no}: no refund for merchant {MERCHANT}");
        assert_refused(&missed, "9008", &searched);
    }

    // The same keys, another merchant: nothing.
    let fields = json!({ "tradeNo": "ORDER-3", "refundNo": "REFUND-1" }).as_object().expect("an object").clone();
    let body = Value::Object(signed(fields, OTHER_SECRET)).to_string();
    let other = post_json(sandbox.addr(), REFUND_QUERY, Some(OTHER_MERCHANT), &body).await.json();
    assert_refused(&other, "9008", &format!("no refund for merchant {OTHER_MERCHANT}"));

    // Both keys are required by the read's spec.
    let one_key = call(sandbox.addr(), REFUND_QUERY, json!({ "tradeNo": "ORDER-3" })).await;
    assert_refused(&one_key, "9004", "refundNo");
}

#[tokio::test]
async fn a_refund_hidden_by_a_fault_or_the_hook_is_found_once_its_delay_has_passed() {
    let hook: vexora_sandbox::VisibilityDelay =
        Arc::new(|kind, trade_no| (kind == "refund" && trade_no == "ORDER-5").then_some(30_000));
    let sandbox = sandbox_with(config().visibility_delay(hook)).await;
    let fault = json!({ "visible_after_ms": 60_000, "path": REFUND }).to_string();
    assert_eq!(post_json(sandbox.addr(), "/sandbox/faults", None, &fault).await.status, 200);
    let query = |trade_no: &'static str, refund_no: &'static str| {
        let addr = sandbox.addr();
        async move { call(addr, REFUND_QUERY, json!({ "tradeNo": trade_no, "refundNo": refund_no })).await }
    };

    create(&sandbox, refund("ORDER-4", "REFUND-1", "10")).await;
    create(&sandbox, refund("ORDER-5", "REFUND-1", "10")).await;
    create(&sandbox, refund("ORDER-6", "REFUND-1", "10")).await;
    assert_refused(&query("ORDER-4", "REFUND-1").await, "9008", "tradeNo ORDER-4, refundNo REFUND-1: no refund");
    assert_refused(&query("ORDER-5", "REFUND-1").await, "9008", "tradeNo ORDER-5, refundNo REFUND-1: no refund");
    assert_eq!(query("ORDER-6", "REFUND-1").await["code"], "0000", "neither the fault nor the hook hides it");

    // Hidden from reads only: its keys are taken and its amount is held.
    let again = call(sandbox.addr(), REFUND, refund("ORDER-4", "REFUND-1", "10")).await;
    assert_refused(&again, "9005", "REFUND-1");
    assert_eq!(balance(&sandbox).1, 3_000, "three refunds of 10 held");

    let advanced = post_json(sandbox.addr(), "/sandbox/clock/advance", None, r#"{"seconds": 31}"#).await;
    assert_eq!(advanced.status, 200, "{}", advanced.body);
    assert_eq!(query("ORDER-5", "REFUND-1").await["code"], "0000", "the hook's 30 s have passed");
    assert_refused(&query("ORDER-4", "REFUND-1").await, "9008", "no refund");
    let advanced = post_json(sandbox.addr(), "/sandbox/clock/advance", None, r#"{"seconds": 30}"#).await;
    assert_eq!(advanced.status, 200, "{}", advanced.body);
    assert_eq!(query("ORDER-4", "REFUND-1").await["code"], "0000", "the fault's 60 s have passed");
}

#[tokio::test]
async fn a_refund_that_succeeds_is_notified_signed_and_verified_by_the_sdk() {
    let sandbox = sandbox_with(config()).await;
    let receiver = Receiver::start(&[(200, "OK")]).await;
    let mut fields = refund("ORDER-4", "REFUND-1", "99.99");
    fields["notifyUrl"] = json!(receiver.url("/refunds"));
    let id = platform_id(&create(&sandbox, fields).await);

    let done = finish(&sandbox, &id, "success").await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.json()["status"], "0000");
    assert!(done.json()["finishedAtMs"].is_i64(), "{}", done.body);
    assert_eq!(balance(&sandbox), (100_000 - 9_999, 0, 0), "the money is gone, no longer held");

    let received = receiver.wait_for(1).await;
    assert_eq!(received[0].path, "/refunds");
    let body = received[0].body.as_object().expect("an object");
    let mut members: Vec<&str> = body.keys().map(String::as_str).collect();
    members.sort_unstable();
    assert_eq!(
        members,
        ["amount", "platFormTradeNo", "refundNo", "sign", "status", "successTime", "timestamp", "tradeNo"]
    );
    assert_eq!(
        (&body["tradeNo"], &body["refundNo"], &body["platFormTradeNo"], &body["status"], &body["amount"]),
        (&json!("ORDER-4"), &json!("REFUND-1"), &json!(id), &json!("0000"), &json!("99.99"))
    );
    assert_signed(&received[0].body, SECRET);
    let verified = Verifier::new(AppSecret::new(SECRET)).verify(&received[0].raw).expect("a genuine notification");
    assert_eq!(verified.trade_no.as_str(), "ORDER-4");
    assert_eq!(verified.plat_form_trade_no.as_deref(), Some(id.as_str()));
    assert_eq!(verified.status, TradeStatus::Success);
    assert_eq!(verified.amount.as_ref().map(|amount| amount.as_str()), Some("99.99"));
    assert_eq!(verified.extra["refundNo"].as_signed_text(), "REFUND-1");
    let forged = Verifier::new(AppSecret::new("another secret")).verify(&received[0].raw);
    assert!(forged.is_err(), "signed with the merchant's secret, not any");

    // Logged like the others, under the kind's name.
    let log = eventually(|| {
        let log = sandbox.deliveries();
        log.first().is_some_and(|attempt| attempt.outcome == DeliveryOutcome::Acknowledged).then_some(log)
    })
    .await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].kind, NotifiedKind::Other("refund".to_owned()));
    assert_eq!((log[0].trade_no.as_str(), log[0].plat_form_trade_no.as_str()), ("ORDER-4", id.as_str()));
    assert_eq!(log[0].status, "0000");
    let deliveries = get(sandbox.addr(), "/sandbox/deliveries").await.json();
    assert_eq!(deliveries[0]["kind"], "refund", "{deliveries}");

    // The query reads it finished, with the time it succeeded.
    let found = call(sandbox.addr(), REFUND_QUERY, json!({ "tradeNo": "ORDER-4", "refundNo": "REFUND-1" })).await;
    assert_eq!(found["data"]["status"], "0000", "{found}");
    assert_eq!(found["data"]["successTime"], body["successTime"], "{found}");

    // Finished is final; a resend sends the same bytes again.
    let twice = finish(&sandbox, &id, "failed").await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    assert!(twice.json()["error"].as_str().is_some_and(|error| error.contains("already finished with status 0000")));
    assert_eq!(balance(&sandbox), (100_000 - 9_999, 0, 0), "nothing given back");
    let resent = finish(&sandbox, &id, "resend").await;
    assert_eq!(resent.status, 200, "{}", resent.body);
    assert_eq!(receiver.wait_for(2).await[1].raw, received[0].raw);
}

#[tokio::test]
async fn a_refund_that_fails_gives_its_amount_back_and_without_a_notify_url_notifies_nobody() {
    let sandbox = sandbox_with(config()).await;
    let id = platform_id(&create(&sandbox, refund("ORDER-5", "REFUND-1", "300")).await);
    assert_eq!(balance(&sandbox), (70_000, 30_000, 0));

    let failed = finish(&sandbox, &id, "failed").await;
    assert_eq!(failed.status, 200, "{}", failed.body);
    assert_eq!(failed.json()["status"], "00029");
    assert_eq!(balance(&sandbox), (100_000, 0, 0), "the amount is back");

    let found = call(sandbox.addr(), REFUND_QUERY, json!({ "tradeNo": "ORDER-5", "refundNo": "REFUND-1" })).await;
    assert_eq!(
        found["data"],
        json!({ "tradeNo": "ORDER-5", "refundNo": "REFUND-1", "platFormTradeNo": id, "status": "00029", "amount": "300.00" })
    );
    assert_eq!(sandbox.deliveries(), Vec::new(), "no notifyUrl, no notification");
    let resend = finish(&sandbox, &id, "resend").await;
    assert_eq!(resend.status, 409, "{}", resend.body);

    let unknown = finish(&sandbox, "nosuchrecord0000", "success").await;
    assert_eq!((unknown.status, unknown.json()["error"].clone()), (404, json!("no record nosuchrecord0000")));
    let no_such_action = finish(&sandbox, &id, "pay").await;
    assert_eq!(no_such_action.status, 404, "{}", no_such_action.body);
}

#[tokio::test]
async fn the_dashboard_lists_a_refund_escaped_and_its_buttons_finish_it() {
    // A refund number with markup in it, which the fixture's own pattern refuses.
    const HOSTILE: &str = r#"<b>"&amp;'</b>"#;
    let config = config().field_pattern("testland/refund", "refundNo", "^.+$");
    let sandbox = sandbox_with(config).await;
    let receiver = Receiver::start(&[(200, "OK")]).await;
    let mut fields = refund("ORDER-6", HOSTILE, "25");
    fields["notifyUrl"] = json!(receiver.url("/n"));
    let id = platform_id(&create(&sandbox, fields).await);

    let page = get(sandbox.addr(), "/sandbox?q=ORDER-6").await;
    assert_eq!(page.status, 200);
    let row = &page.body[page.body.find(&format!(r#"id="row-{id}""#)).expect("the refund's row")..];
    let row = &row[..row.find("</article>").expect("its end")];
    assert!(row.contains(r#"<span class="kind kind-record">refund</span>"#), "{row}");
    assert!(row.contains(r#"<h3 class="trade-no">ORDER-6</h3>"#), "{row}");
    assert!(row.contains("<span class=\"pill wait status\">0015 processing</span>"), "{row}");
    assert!(row.contains(r#"<span class="amount">25.00</span>"#), "{row}");
    let escaped = "&lt;b&gt;&quot;&amp;amp;'&lt;/b&gt;";
    assert!(
        row.contains(&format!(
            r#"<span class="key">tradeNo = ORDER-6</span>, <span class="key">refundNo = {escaped}</span>"#
        )),
        "{row}"
    );
    assert!(!row.contains("<b>") && !row.contains("&amp;'"), "nothing unescaped: {row}");
    assert!(row.contains(&format!(r#"action="/sandbox/records/{id}/success""#)), "{row}");
    assert!(row.contains(&format!(r#"action="/sandbox/records/{id}/failed""#)), "{row}");
    // Searching by a key finds it too.
    let by_key = get(sandbox.addr(), "/sandbox?q=%3Cb%3E").await.body;
    assert!(by_key.contains(&format!(r#"id="row-{id}""#)), "found by its refundNo");

    // The page's button: a form, answered with a 303 back to the page.
    let origin = format!("http://{}", sandbox.addr());
    let pressed = http(
        sandbox.addr(),
        "POST",
        &format!("/sandbox/records/{id}/success"),
        &[FORM, ("Origin", &origin)],
        b"merchant_no=0000000001&back=q%3DORDER-6",
    )
    .await;
    assert_eq!(pressed.status, 303, "{}", pressed.body);
    assert_eq!(pressed.header("location"), Some("/sandbox?q=ORDER-6"));
    receiver.wait_for(1).await;
    eventually(|| (sandbox.deliveries().len() == 1).then_some(())).await;
    assert_eq!(balance(&sandbox), (100_000 - 2_500, 0, 0));
    let page = get(sandbox.addr(), "/sandbox?q=ORDER-6").await.body;
    assert!(page.contains("<span class=\"pill good status\">0000 success</span>"), "{page}");
    assert!(!page.contains(&format!(r#"action="/sandbox/records/{id}/success""#)), "no button once finished");
    assert!(page.contains(&format!(r#"action="/sandbox/records/{id}/resend""#)), "a resend button once notified");
}
