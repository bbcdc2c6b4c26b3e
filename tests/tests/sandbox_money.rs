//! The sandbox's books: checked sums (an amount that does not fit is
//! refused, never clamped), balances per merchant and region, and partial
//! payments that never pay more than the order.

mod sandbox_support;

use serde_json::json;
use vexora_sandbox::{Sandbox, SandboxConfig, SandboxError};

use sandbox_support::*;

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
