//! Reading verified notifications: statuses, amounts, and what they mean
//! for the order (`settlement`, `dedup_key`).

use md5::{Digest, Md5};
use vexora::AppSecret;
use vexora::notification::{
    self, DedupKey, Notification, NotificationError, NotificationKind, PayInNotification, Settlement, Verifier,
};
use vexora::types::{DecimalText, TradeNo, TradeStatus};

const SECRET: &str = "typed-test-secret";

/// Signs `(key, raw JSON value)` members whose values are plain strings
/// (no escapes) or numbers, independently of the SDK, and renders the body.
fn signed_body(members: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(&str, &str)> =
        members.iter().map(|(key, raw)| (*key, raw.trim_matches('"'))).filter(|(_, text)| !text.is_empty()).collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let canonical: String = pairs.iter().map(|(key, text)| format!("{key}={text}")).collect();
    let sign: String =
        Md5::digest(format!("{canonical}{SECRET}").as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect();
    let inner: Vec<String> = members.iter().map(|(key, raw)| format!("\"{key}\":{raw}")).collect();
    format!("{{{},\"sign\":\"{sign}\"}}", inner.join(","))
}

fn verify(members: &[(&str, &str)]) -> Result<Notification, NotificationError> {
    notification::verify(signed_body(members).as_bytes(), &AppSecret::new(SECRET))
}

fn body(status: &str, amount: Option<&str>) -> String {
    let status = format!("\"{status}\"");
    let mut members = vec![("tradeNo", r#""20251126000000123456""#), ("status", status.as_str())];
    if let Some(amount) = amount {
        members.push(("amount", amount));
    }
    signed_body(&members)
}

/// The notification as it arrived at the pay-in `notifyUrl`.
fn notification(status: &str, amount: Option<&str>) -> PayInNotification {
    let verifier = Verifier::new(AppSecret::new(SECRET));
    verifier.pay_in(body(status, amount).as_bytes()).unwrap_or_else(|error| panic!("refused: {error}"))
}

fn decimal(text: &str) -> DecimalText {
    DecimalText::parse(text).unwrap_or_else(|| panic!("{text} is not a decimal"))
}

#[test]
fn every_status_code_is_read() {
    let cases = [
        ("0000", TradeStatus::Success),
        ("0001", TradeStatus::Partial),
        ("0015", TradeStatus::Processing),
        ("00029", TradeStatus::Failed),
        ("0042", TradeStatus::Other("0042".to_owned())),
        ("8000", TradeStatus::Other("8000".to_owned())),
    ];
    for (code, expected) in cases {
        let notification = notification(code, None);
        assert_eq!(notification.status, expected, "{code}");
        assert_eq!(notification.status.code(), code);
    }
}

#[test]
fn amounts_keep_their_exact_text() {
    let read = |raw: &str| notification("0000", Some(raw)).amount.as_ref().map(|amount| amount.as_str().to_owned());
    assert_eq!(read("150.00").as_deref(), Some("150.00"));
    assert_eq!(read(r#""300.00""#).as_deref(), Some("300.00"));
    assert_eq!(read("300").as_deref(), Some("300"));
    assert_eq!(read("50002.0000").as_deref(), Some("50002.0000"));
    assert_eq!(read(r#""""#), None);
    assert_eq!(notification("0000", None).amount, None);
}

#[test]
fn optional_fields_are_read_in_either_documented_form() {
    let notification = verify(&[
        ("tradeNo", r#""T1""#),
        ("platFormTradeNo", r#""P1""#),
        ("status", r#""0000""#),
        ("amount", r#""300""#),
        ("message", r#""success""#),
        ("remark", r#""000000""#),
        ("successTime", r#""2025-11-26 10:00:00""#),
        ("timestamp", "1764115200000"),
    ])
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(notification.plat_form_trade_no.as_deref(), Some("P1"));
    assert_eq!(notification.message.as_deref(), Some("success"));
    assert_eq!(notification.remark.as_deref(), Some("000000"));
    assert_eq!(notification.success_time.as_deref(), Some("2025-11-26 10:00:00"));
    assert_eq!(notification.timestamp.as_deref(), Some("1764115200000"));
    assert!(notification.extra.is_empty());

    let stringly = verify(&[("tradeNo", r#""T1""#), ("status", r#""0000""#), ("timestamp", r#""1764115200000""#)]);
    assert_eq!(stringly.ok().and_then(|n| n.timestamp).as_deref(), Some("1764115200000"));
}

#[test]
fn missing_required_fields_are_refused_after_a_valid_signature() {
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[("status", r#""0000""#)], "tradeNo"),
        (&[("tradeNo", r#""T1""#)], "status"),
        (&[("tradeNo", r#""T1""#), ("status", r#""""#)], "status"),
        (&[("tradeNo", r#""T1""#), ("status", r#""0000""#), ("amount", r#""3,00""#)], "amount"),
    ];
    for (members, field) in cases {
        match verify(members) {
            Err(error @ NotificationError::InvalidField { field: f, .. }) if f == field => {
                assert!(error.signature_verified());
            }
            other => panic!("{members:?}: {other:?}"),
        }
    }
}

#[test]
fn settlement_for_each_outcome() {
    let order = decimal("300");
    let settle = |status: &str, amount: Option<&str>| notification(status, amount).settlement(&order);

    let full = settle("0000", Some(r#""300.00""#));
    assert_eq!(full, Settlement::PaidInFull { amount: decimal("300.00") });
    assert_eq!(full.credit(), Some(&decimal("300.00")));
    assert_eq!(settle("0000", Some("300")), Settlement::PaidInFull { amount: decimal("300") });

    for wrong in ["299.99", "300.01", "3000", "30", "0", r#""-300""#] {
        assert_eq!(
            settle("0000", Some(wrong)),
            Settlement::AmountMismatch { expected: decimal("300"), received: Some(decimal(wrong.trim_matches('"'))) },
            "0000 with {wrong}"
        );
    }
    let no_amount = settle("0000", None);
    assert_eq!(no_amount, Settlement::AmountMismatch { expected: decimal("300"), received: None });
    assert_eq!(no_amount.credit(), None);

    // 0001: credit what was paid, never the order amount.
    let part = settle("0001", Some("150.00"));
    assert_eq!(part, Settlement::PaidInPart { amount: decimal("150.00") });
    assert_eq!(part.credit(), Some(&decimal("150.00")));
    assert_eq!(settle("0001", Some(r#""299.99""#)), Settlement::PaidInPart { amount: decimal("299.99") });
    for wrong in ["300", "300.00", "300.01", "0.00", r#""-1""#] {
        assert!(
            matches!(settle("0001", Some(wrong)), Settlement::AmountMismatch { .. }),
            "0001 with {wrong} is no partial payment of 300"
        );
    }
    assert!(matches!(settle("0001", None), Settlement::AmountMismatch { received: None, .. }));

    assert_eq!(settle("0015", None), Settlement::Pending);
    assert_eq!(settle("0015", Some("300")), Settlement::Pending);
    assert_eq!(settle("00029", Some("300")), Settlement::Failed);
    assert_eq!(settle("0042", Some("300")), Settlement::Unknown("0042".to_owned()));
    for nothing in [Settlement::Pending, Settlement::Failed, Settlement::Unknown("0042".to_owned())] {
        assert_eq!(nothing.credit(), None);
    }
}

#[test]
fn settlement_compares_decimals_exactly() {
    let paid = notification("0000", Some("0.30"));
    assert_eq!(paid.settlement(&decimal("0.3")), Settlement::PaidInFull { amount: decimal("0.30") });
    assert!(matches!(paid.settlement(&decimal("0.300000000000000001")), Settlement::AmountMismatch { .. }));
    let large = notification("0000", Some("18446744073709551616.00"));
    assert!(matches!(large.settlement(&decimal("18446744073709551616")), Settlement::PaidInFull { .. }));
    assert!(matches!(large.settlement(&decimal("18446744073709551615")), Settlement::AmountMismatch { .. }));
}

#[test]
fn dedup_key_is_kind_trade_no_and_status() {
    let first = notification("0000", Some("300"));
    let repeat = notification("0000", Some("300"));
    let late_pending = notification("0015", None);
    let key = DedupKey {
        kind: NotificationKind::PayIn,
        trade_no: TradeNo::new("20251126000000123456"),
        status: "0000".into(),
    };
    assert_eq!(first.dedup_key(), key);
    assert_eq!(first.dedup_key(), repeat.dedup_key());
    assert_ne!(first.dedup_key(), late_pending.dedup_key());
}

/// A merchant may use one `tradeNo` for an order and a payout; their
/// notifications carry the same fields. The same bytes, arrived at the
/// payout `notifyUrl`, are a payout's, under a key of their own: a ledger
/// that applied the order's `0000` still applies the payout's.
#[test]
fn an_order_and_a_payout_with_one_trade_no_never_share_a_key() {
    let verifier = Verifier::new(AppSecret::new(SECRET));
    let same_bytes = body("0000", Some("300"));
    let order = verifier.pay_in(same_bytes.as_bytes()).expect("verified");
    let payout = verifier.payout(same_bytes.as_bytes()).expect("verified");
    assert_ne!(order.dedup_key(), payout.dedup_key());
    assert_eq!(payout.dedup_key().kind, NotificationKind::Payout);
    let mut applied = std::collections::HashSet::new();
    assert!(applied.insert(order.dedup_key()));
    assert!(applied.insert(payout.dedup_key()), "the payout's notification is not dropped as a duplicate");
    // Each is read as what it is: the order's settlement, the payout's outcome.
    assert!(matches!(order.settlement(&decimal("300")), Settlement::PaidInFull { .. }));
    assert!(matches!(payout.outcome(&decimal("300")), notification::PayoutOutcome::PaidOut { .. }));
}
