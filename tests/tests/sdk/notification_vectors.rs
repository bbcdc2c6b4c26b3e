//! The independent signing vectors (`fixtures/sign-vectors.json`, a
//! byte-identical copy of the shared vectors) run through notification
//! verification: every notification case must verify and produce the
//! vector's canonical string.

use serde_json::Value;
use vexora::AppSecret;
use vexora::notification::{self, NotificationError};
use vexora::types::TradeStatus;

struct Case {
    name: String,
    kind: String,
    secret: String,
    /// The body without `sign`, exactly as it goes over the wire.
    raw_body: String,
    canonical: String,
    sign: String,
}

fn text<'a>(case: &'a Value, key: &str) -> &'a str {
    match case.get(key).and_then(Value::as_str) {
        Some(text) => text,
        None => panic!("vector without a string {key:?}: {case}"),
    }
}

fn cases() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/sign-vectors.json");
    let json = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"));
    let vectors: Vec<Value> = serde_json::from_str(&json).unwrap_or_else(|error| panic!("bad {path}: {error}"));
    vectors
        .iter()
        .map(|case| {
            // `rawBody` is authoritative where present: number texts matter.
            let raw_body = match case.get("rawBody") {
                Some(raw) => raw.as_str().unwrap_or_else(|| panic!("rawBody is not a string: {case}")).to_owned(),
                None => serde_json::to_string(&case["body"]).unwrap_or_else(|error| panic!("{error}")),
            };
            Case {
                name: text(case, "name").to_owned(),
                kind: text(case, "kind").to_owned(),
                secret: text(case, "secret").to_owned(),
                raw_body,
                canonical: text(case, "canonical").to_owned(),
                sign: text(case, "sign").to_owned(),
            }
        })
        .collect()
}

/// Adds `"sign":"…"` as the first member, without re-serialising the body.
fn with_sign(raw_body: &str, sign: &str) -> String {
    let Some(members) = raw_body.trim_start().strip_prefix('{') else { panic!("not an object: {raw_body}") };
    let separator = if members.trim_start().starts_with('}') { "" } else { "," };
    format!("{{\"sign\":\"{sign}\"{separator}{members}")
}

#[test]
fn every_notification_vector_verifies_with_the_vector_canonical_string() {
    let cases: Vec<_> = cases().into_iter().filter(|case| case.kind == "notification").collect();
    assert!(cases.len() >= 3, "expected the notification vectors, found {}", cases.len());
    for case in &cases {
        let secret = AppSecret::new(case.secret.clone());
        let body = with_sign(&case.raw_body, &case.sign);

        assert_eq!(notification::canonical(case.raw_body.as_bytes()).as_ref(), Ok(&case.canonical), "{}", case.name);
        assert_eq!(
            notification::canonical(body.as_bytes()).as_ref(),
            Ok(&case.canonical),
            "{}: sign is not signed",
            case.name
        );
        let signature = notification::signature(body.as_bytes(), &secret).map(|sign| sign.to_string());
        assert_eq!(signature.as_ref(), Ok(&case.sign), "{}", case.name);

        let notification = match notification::verify(body.as_bytes(), &secret) {
            Ok(notification) => notification,
            Err(error) => panic!("{}: refused: {error}", case.name),
        };
        assert!(!notification.trade_no.as_str().is_empty(), "{}", case.name);

        let upper = with_sign(&case.raw_body, &case.sign.to_ascii_uppercase());
        assert!(notification::verify(upper.as_bytes(), &secret).is_ok(), "{}: uppercase sign refused", case.name);
        let other_secret = AppSecret::new(format!("{}x", case.secret));
        assert_eq!(
            notification::verify(body.as_bytes(), &other_secret).err(),
            Some(NotificationError::SignatureMismatch),
            "{}",
            case.name
        );
    }
}

#[test]
fn notification_vectors_read_as_documented() {
    let cases = cases();
    let find = |name: &str| {
        let Some(case) = cases.iter().find(|case| case.name == name) else { panic!("vector {name} is gone") };
        let body = with_sign(&case.raw_body, &case.sign);
        notification::verify(body.as_bytes(), &AppSecret::new(case.secret.clone()))
            .unwrap_or_else(|error| panic!("{name}: {error}"))
    };

    let paid = find("notification_paid");
    assert_eq!(paid.status, TradeStatus::Success);
    assert_eq!(paid.trade_no.as_str(), "00000007");
    assert_eq!(paid.plat_form_trade_no.as_deref(), Some("c167o1itir0fypid"));
    assert_eq!(paid.amount.as_ref().map(|amount| amount.as_str()), Some("300"));
    assert_eq!(paid.message.as_deref(), Some("success"));
    assert_eq!(paid.remark.as_deref(), Some("000000"));

    let partial = find("notification_number_amount_uses_raw_text");
    assert_eq!(partial.status, TradeStatus::Partial);
    assert_eq!(partial.amount.as_ref().map(|amount| amount.as_str()), Some("150.00"));
    assert_eq!(partial.extra.get("orderAmount").map(|value| value.as_signed_text()), Some("300"));

    let failed = find("notification_boolean_and_nested_values");
    assert_eq!(failed.status, TradeStatus::Failed);
    assert_eq!(failed.extra.get("success").map(|value| value.as_signed_text()), Some("false"));
    let unsigned: Vec<_> = failed.unsigned.iter().map(|(key, raw)| (key.as_str(), raw.get())).collect();
    assert_eq!(unsigned, [("extra", r#"{"a":1}"#), ("paymentDetails", r#"[{"amount":"1"}]"#)]);
}

/// The rule is the same for requests and notifications, so the request
/// vectors must produce their canonical strings and signatures here too.
#[test]
fn request_vectors_give_the_same_canonical_strings_and_signatures() {
    let cases: Vec<_> = cases().into_iter().filter(|case| case.kind == "request").collect();
    assert!(!cases.is_empty());
    for case in &cases {
        let body = case.raw_body.as_bytes();
        assert_eq!(notification::canonical(body).as_ref(), Ok(&case.canonical), "{}", case.name);
        let signature = notification::signature(body, &AppSecret::new(case.secret.clone())).map(|s| s.to_string());
        assert_eq!(signature.as_ref(), Ok(&case.sign), "{}", case.name);
    }
}
