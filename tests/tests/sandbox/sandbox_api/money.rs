//! The sandbox's books: checked sums (an amount that does not fit is
//! refused, never clamped), balances per merchant and region, and partial
//! payments that never pay more than the order.

use serde_json::json;
use vexora_sandbox::{Sandbox, SandboxConfig, SandboxError};

use crate::sandbox_support::*;

/// The largest whole amount the sandbox keeps: its hundredths are just
/// under `u64::MAX` (184467440737095516.15).
const MOST_WHOLE: u64 = 184_467_440_737_095_516;

#[tokio::test]
async fn a_checkout_that_would_overflow_the_balance_is_refused_and_nothing_changes() {
    let config = SandboxConfig::default().time_scale(0.001).opening_balance(MERCHANT, MOST_WHOLE);
    let sandbox = sandbox_with(config).await;
    let full = json!({
        "availableAmount": "184467440737095516.0000",
        "freezeAmount": "0.0000",
        "unsettledAmount": "0.0000"
    });
    assert_eq!(call(sandbox.addr(), BALANCE, json!({})).await["data"], full);

    let mut fields = checkout_fields("OVER-1", "203.0.113.90", "http://127.0.0.1:9/n");
    fields["amount"] = json!("1");
    let refused = call(sandbox.addr(), CHECKOUT, fields).await;
    assert_refused(&refused, "9012", "amount");

    // Nothing changed: no order, the same balance today and tomorrow.
    let query = call(sandbox.addr(), QUERY, json!({ "tradeNo": "OVER-1" })).await;
    assert_refused(&query, "9008", "OVER-1");
    assert_eq!(call(sandbox.addr(), BALANCE, json!({})).await["data"], full);
    let day = 86_400_000;
    sandbox.set_clock_offset_ms(day);
    let tomorrow = call(sandbox.addr(), BALANCE, json!({ "timestamp": (now_ms() + day).to_string() })).await;
    assert_eq!(tomorrow["data"], full);
}

#[tokio::test]
async fn orders_whose_sum_would_overflow_are_refused_while_each_alone_fits() {
    // Two paying orders of half the largest amount and one more: the third
    // would take the sum of what may be paid in past what the books hold.
    let half = MOST_WHOLE / 2;
    let sandbox = sandbox().await;
    for trade_no in ["HALF-1", "HALF-2"] {
        let mut fields = checkout_fields(trade_no, "203.0.113.91", "http://127.0.0.1:9/n");
        fields["amount"] = json!(half.to_string());
        checkout(sandbox.addr(), fields).await;
    }
    let mut fields = checkout_fields("HALF-3", "203.0.113.91", "http://127.0.0.1:9/n");
    fields["amount"] = json!("1");
    assert_refused(&call(sandbox.addr(), CHECKOUT, fields).await, "9012", "amount");

    // Both paid: the books hold the exact sum, not a clamped one.
    for trade_no in ["HALF-1", "HALF-2"] {
        let paid = http(sandbox.addr(), "POST", &format!("/sandbox/orders/{trade_no}/pay"), &[], b"").await;
        assert_eq!(paid.status, 200, "{}", paid.body);
    }
    let balance = call(sandbox.addr(), BALANCE, json!({})).await;
    assert_eq!(balance["data"]["unsettledAmount"], "184467440737095516.0000", "{balance}");
}

#[tokio::test]
async fn an_opening_balance_the_books_cannot_hold_is_refused_at_start() {
    let config = SandboxConfig::default().opening_balance(MERCHANT, MOST_WHOLE + 1);
    match Sandbox::start(config).await {
        Err(SandboxError::Config(message)) => assert!(message.contains("opening balance"), "{message}"),
        Err(other) => panic!("refused for another reason: {other}"),
        Ok(_) => panic!("started with an opening balance it cannot hold"),
    }
}

const THAILAND_PAYOUT: &str = "/thailand/v1/vexora/disbursements";
const THAILAND_BALANCE: &str = "/thailand/v1/vexora/queryBalance";

fn thailand_payout(trade_no: &str, amount: &str) -> serde_json::Value {
    json!({
        "tradeNo": trade_no,
        "amount": amount,
        "bankCode": "002",
        "bankNumber": "12345678901234",
        "name": "Somchai Prasert",
        "email": "somchai.prasert@example.com",
        "mobile": "912345678",
        "notifyUrl": "http://127.0.0.1:9/n"
    })
}

#[tokio::test]
async fn a_taiwan_collection_is_taiwans_balance_and_does_not_fund_a_thailand_payout() {
    let sandbox = sandbox().await;
    checkout(sandbox.addr(), checkout_fields("TW-1", "203.0.113.92", "http://127.0.0.1:9/n")).await;
    let paid = http(sandbox.addr(), "POST", "/sandbox/orders/TW-1/pay", &[], b"").await;
    assert_eq!(paid.status, 200, "{}", paid.body);

    // T+1: the collection is available, in Taiwan only.
    let day = 86_400_000;
    sandbox.set_clock_offset_ms(day);
    let tomorrow = || json!({ "timestamp": (now_ms() + day).to_string() });
    let zero = json!({ "availableAmount": "0.0000", "freezeAmount": "0.0000", "unsettledAmount": "0.0000" });
    let taiwan = json!({ "availableAmount": "300.0000", "freezeAmount": "0.0000", "unsettledAmount": "0.0000" });
    assert_eq!(call(sandbox.addr(), BALANCE, tomorrow()).await["data"], taiwan);
    assert_eq!(call(sandbox.addr(), THAILAND_BALANCE, tomorrow()).await["data"], zero);

    let mut payout = thailand_payout("TH-OUT-1", "100");
    payout["timestamp"] = json!((now_ms() + day).to_string());
    let refused = call(sandbox.addr(), THAILAND_PAYOUT, payout).await;
    assert_refused(&refused, "9011", "available balance");

    // Nothing moved.
    assert_eq!(call(sandbox.addr(), BALANCE, tomorrow()).await["data"], taiwan);
    assert_eq!(call(sandbox.addr(), THAILAND_BALANCE, tomorrow()).await["data"], zero);
}

#[tokio::test]
async fn the_dashboard_shows_each_regions_balance_on_its_own_row() {
    let sandbox = sandbox().await;
    checkout(sandbox.addr(), checkout_fields("TW-2", "203.0.113.93", "http://127.0.0.1:9/n")).await;
    http(sandbox.addr(), "POST", "/sandbox/orders/TW-2/pay", &[], b"").await;
    let page = get(sandbox.addr(), "/sandbox").await;
    assert_eq!(page.status, 200);
    let balances = &page.body[page.body.find(r#"id="balances""#).expect("the balances panel")..];
    let balances = &balances[..balances.find("</section>").expect("its end")];
    assert!(balances.contains("<th>Region</th>"), "{balances}");
    assert!(balances.contains("<td>taiwan</td>"), "{balances}");
    assert!(!balances.contains("<td>thailand</td>"), "no money moved in Thailand: {balances}");
}
