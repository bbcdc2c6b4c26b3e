//! The string-to-sign is ambiguous: `{a:"1b=2"}` and `{a:"1",b:"2"}` sign
//! the same. These payloads carry *valid* signatures, built by
//! re-partitioning genuine ones, and every one must still be refused.

use std::time::Duration;

use serde_json::{Map, Value};
use vexora::AppSecret;
use vexora::clock::FixedClock;
use vexora::notification::{NotificationError, VerifyOptions, canonical, verify, verify_with};
use vexora_tests::{generic_canonical, md5_hex};

const SECRET: &str = "test-app-secret-123";

/// Signs `body` (without `sign`) by the rule, with md5 directly.
fn signed(body: &str) -> String {
    let object: Map<String, Value> = serde_json::from_str(body).expect("an object");
    let sign = md5_hex(&generic_canonical(&object), SECRET);
    format!("{{\"sign\":\"{sign}\",{}", &body[1..])
}

/// `forged` carries the signature of `genuine` (same canonical string).
fn forged_from(genuine: &str, forged: &str) -> String {
    assert_eq!(
        canonical(genuine.as_bytes()).expect("canonical"),
        canonical(forged.as_bytes()).expect("canonical"),
        "the forgery re-partitions the same signed string"
    );
    let sign = md5_hex(&canonical(genuine.as_bytes()).expect("canonical"), SECRET);
    format!("{{\"sign\":\"{sign}\",{}", &forged[1..])
}

fn verdict(body: &str) -> Result<(), NotificationError> {
    verify(body.as_bytes(), &AppSecret::new(SECRET)).map(|_| ())
}

#[test]
fn a_failed_payment_cannot_be_turned_into_a_success() {
    // The merchant's own remark happens to contain "status=0000"...
    let genuine = r#"{"remark":"xstatus=0000","status":"00029","tradeNo":"T1"}"#;
    // ...which lets the remark's tail become the status.
    let forged = r#"{"remark":"x","status":"0000status=00029","tradeNo":"T1"}"#;
    let forged = forged_from(genuine, forged);
    assert!(
        matches!(verdict(&forged), Err(NotificationError::InvalidField { field: "status", .. })),
        "{:?}",
        verdict(&forged)
    );
    // And the genuine one is refused too: it cannot be told apart.
    assert!(matches!(
        verdict(&signed(genuine)),
        Err(NotificationError::AmbiguousValue { ref field, name: "status" }) if field == "remark"
    ));
}

#[test]
fn an_amount_cannot_absorb_the_next_field() {
    let genuine = r#"{"amount":"150","message":"success","status":"0001","tradeNo":"T2"}"#;
    let forged = forged_from(genuine, r#"{"amount":"150message=success","status":"0001","tradeNo":"T2"}"#);
    assert!(matches!(verdict(&forged), Err(NotificationError::InvalidField { field: "amount", .. })));
}

#[test]
fn a_message_cannot_swallow_a_field() {
    let genuine = r#"{"amount":"150","message":"ok","status":"0001","tradeNo":"T3"}"#;
    // Swallowing `status` entirely leaves no status: refused as missing.
    let forged = forged_from(genuine, r#"{"amount":"150","message":"okstatus=0001","tradeNo":"T3"}"#);
    assert!(matches!(verdict(&forged), Err(NotificationError::InvalidField { field: "status", .. })));
    // Swallowing an optional field leaves a notification that would parse:
    // the smuggled name gives it away.
    let genuine = r#"{"message":"ok","remark":"r1","status":"0001","tradeNo":"T3"}"#;
    let forged = forged_from(genuine, r#"{"message":"okremark=r1","status":"0001","tradeNo":"T3"}"#);
    assert!(matches!(
        verdict(&forged),
        Err(NotificationError::AmbiguousValue { ref field, name: "remark" }) if field == "message"
    ));
}

#[test]
fn unknown_fields_are_checked_too() {
    let genuine = r#"{"orderAmount":"300","status":"0001","tradeNo":"T4"}"#;
    let forged = forged_from(genuine, r#"{"orderAmount":"300status=0001","tradeNo":"T4"}"#);
    assert!(verdict(&forged).is_err());
    let ambiguous = signed(r#"{"orderAmount":"300tradeNo=T9","status":"0000","tradeNo":"T4"}"#);
    assert!(matches!(
        verdict(&ambiguous),
        Err(NotificationError::AmbiguousValue { ref field, name: "tradeNo" }) if field == "orderAmount"
    ));
}

#[test]
fn identifiers_and_codes_have_strict_formats() {
    for (body, field) in [
        (r#"{"status":"00O0","tradeNo":"T5"}"#, "status"),
        (r#"{"status":"0","tradeNo":"T5"}"#, "status"),
        (r#"{"status":"0000","tradeNo":"T5","platFormTradeNo":"p=1"}"#, "platFormTradeNo"),
    ] {
        match verdict(&signed(body)) {
            Err(NotificationError::InvalidField { field: got, .. }) => assert_eq!(got, field, "{body}"),
            other => panic!("{body}: expected an invalid {field}, got {other:?}"),
        }
    }
    // A tradeNo is any text a query takes (an order made outside the SDK).
    assert!(verdict(&signed(r#"{"status":"0000","tradeNo":"T 5.x"}"#)).is_ok());
    // A well-formed unknown status is kept, not refused.
    assert!(verdict(&signed(r#"{"status":"0042","tradeNo":"T5"}"#)).is_ok());
    // An ordinary notification passes every check.
    let ordinary = r#"{"amount":"300.00","message":"success","platFormTradeNo":"c167o1itir0fypid","remark":"order 42","status":"0000","successTime":"2026-11-26 15:04:05","timestamp":"1764115200000","tradeNo":"20261126000000123456"}"#;
    assert!(verdict(&signed(ordinary)).is_ok());
}

#[test]
fn the_freshness_window_is_off_by_default_and_enforced_when_set() {
    let old = signed(r#"{"status":"0000","timestamp":"1000","tradeNo":"T6"}"#);
    assert!(verdict(&old).is_ok(), "no window by default: retries may keep their first timestamp");

    let secret = AppSecret::new(SECRET);
    let now = 1_764_115_200_000;
    let window = VerifyOptions::max_age(Duration::from_secs(300)).with_clock(FixedClock(now));
    let at = |ms: u64| signed(&format!(r#"{{"status":"0000","timestamp":"{ms}","tradeNo":"T6"}}"#));
    assert!(verify_with(at(now - 299_000).as_bytes(), &secret, &window).is_ok());
    assert!(verify_with(at(now + 299_000).as_bytes(), &secret, &window).is_ok());
    for stale in [at(now - 301_000), at(now + 301_000), old.clone()] {
        let error = verify_with(stale.as_bytes(), &secret, &window).expect_err("outside the window");
        assert!(matches!(error, NotificationError::Stale { .. }), "{error}");
        assert!(error.signature_verified());
    }
    let untimed = signed(r#"{"status":"0000","tradeNo":"T6"}"#);
    assert!(matches!(verify_with(untimed.as_bytes(), &secret, &window), Err(NotificationError::Stale { .. })));
}
