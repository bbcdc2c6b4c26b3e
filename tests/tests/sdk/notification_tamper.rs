//! Tamper suite: every change to a signed notification that the signature
//! covers must be refused, with the right error; changes that do not alter
//! what was signed (member order, whitespace, escapes, the case of `sign`)
//! must be accepted.
//!
//! Bodies are built as lists of `(key, raw JSON value)` and signed here with
//! an independent implementation of the rule (sort, `key=value`, MD5), so
//! the SDK's parser is never used to produce what it is tested against.

use md5::{Digest, Md5};
use vexora::AppSecret;
use vexora::notification::{self, ExtraValue, MAX_BODY_BYTES, Notification, NotificationError};

const SECRET: &str = "tamper-test-secret";

type Members = Vec<(String, String)>;

fn members(list: &[(&str, &str)]) -> Members {
    list.iter().map(|(key, raw)| ((*key).to_owned(), (*raw).to_owned())).collect()
}

/// The text a raw value contributes to the signature (independent of the SDK).
fn signed_text(raw: &str) -> Option<String> {
    match raw.as_bytes().first() {
        Some(b'{' | b'[') => None,
        _ if raw == "null" || raw == "\"\"" => None,
        Some(b'"') => Some(serde_json::from_str::<String>(raw).unwrap_or_else(|error| panic!("{raw}: {error}"))),
        _ => Some(raw.to_owned()),
    }
}

fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The correct `sign` for `members` (any `sign` among them is ignored).
fn sign_of(members: &Members, secret: &str) -> String {
    let mut pairs: Vec<(&str, String)> = members
        .iter()
        .filter(|(key, _)| key != "sign")
        .filter_map(|(key, raw)| signed_text(raw).map(|text| (key.as_str(), text)))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let canonical: String = pairs.iter().map(|(key, text)| format!("{key}={text}")).collect();
    md5_hex(&format!("{canonical}{secret}"))
}

/// `members` plus a correct `sign`, as the first member.
fn signed(mut list: Members) -> Members {
    let sign = sign_of(&list, SECRET);
    list.insert(0, ("sign".to_owned(), format!("\"{sign}\"")));
    list
}

fn render(members: &Members) -> String {
    let inner: Vec<String> = members.iter().map(|(key, raw)| format!("\"{key}\":{raw}")).collect();
    format!("{{{}}}", inner.join(","))
}

fn verify(body: &str) -> Result<Notification, NotificationError> {
    notification::verify(body.as_bytes(), &AppSecret::new(SECRET))
}

fn assert_refused(body: &str, expected: &NotificationError, change: &str) {
    match verify(body) {
        Ok(_) => panic!("accepted after {change}: {body}"),
        Err(error) => assert_eq!(&error, expected, "after {change}: {body}"),
    }
}

fn assert_accepted(body: &str, change: &str) -> Notification {
    verify(body).unwrap_or_else(|error| panic!("refused after {change} ({error}): {body}"))
}

/// Signed notifications to tamper with: every kind of signed value.
fn bases() -> Vec<Members> {
    vec![
        signed(members(&[
            ("platFormTradeNo", r#""c167o1itir0fypid""#),
            ("tradeNo", r#""00000007""#),
            ("amount", r#""300.00""#),
            ("status", r#""0000""#),
            ("message", r#""success""#),
            ("remark", r#""備註 remark""#),
            ("successTime", r#""2025-11-26 10:00:00""#),
            ("timestamp", "1764115200000"),
            ("channelCode", r#""STORE""#),
            ("fee", "1.50"),
            ("test", "false"),
        ])),
        signed(members(&[
            ("tradeNo", r#""00000008""#),
            ("platFormTradeNo", r#""68o0uwogz7mnzutt""#),
            ("status", r#""0001""#),
            ("amount", "150.00"),
            ("orderAmount", "300"),
        ])),
    ]
}

/// Changed versions of a value, each signing differently from the original.
fn changed_values(raw: &str) -> Vec<String> {
    let mut changed = vec!["\"\"".to_owned(), "null".to_owned()];
    match raw.as_bytes().first() {
        Some(b'"') => {
            let inner = &raw[1..raw.len() - 1];
            changed.push(format!("\"{inner}x\""));
            changed.push(format!("\"x{inner}\""));
            changed.push(format!("\"{inner} \""));
            // The last character replaced by another.
            let mut chars: Vec<char> = inner.chars().collect();
            if let Some(last) = chars.last_mut() {
                *last = if *last == '1' { '2' } else { '1' };
            }
            changed.push(format!("\"{}\"", chars.into_iter().collect::<String>()));
        }
        Some(b't') => changed.push("false".to_owned()),
        Some(b'f') => changed.push("true".to_owned()),
        _ => {
            // Same number, other text: the signature covers the text.
            changed.push(format!("{raw}0"));
            changed.push(if raw.contains('.') {
                raw.trim_end_matches('0').trim_end_matches('.').to_owned()
            } else {
                format!("{raw}.0")
            });
            changed.push(format!("1{raw}"));
        }
    }
    changed
}

#[test]
fn bases_verify_and_the_independent_signer_matches_the_vectors() {
    for base in bases() {
        assert_accepted(&render(&base), "nothing");
    }
    // The signer used here reproduces two of the shared vectors.
    let paid = members(&[
        ("platFormTradeNo", r#""c167o1itir0fypid""#),
        ("tradeNo", r#""00000007""#),
        ("amount", r#""300""#),
        ("status", r#""0000""#),
        ("message", r#""success""#),
        ("remark", r#""000000""#),
    ]);
    assert_eq!(sign_of(&paid, "test-app-secret-123"), "d2a1dfad392f7d937b2cc1660401a647");
    let nested = members(&[
        ("tradeNo", r#""X9""#),
        ("status", r#""00029""#),
        ("success", "false"),
        ("paymentDetails", r#"[{"amount":"1"}]"#),
        ("extra", r#"{"a":1}"#),
    ]);
    assert_eq!(sign_of(&nested, "k2"), "0b6c65f0e79f02f7c499e8d59f99051e");
}

#[test]
fn every_changed_value_is_refused() {
    let mut checked = 0;
    for base in bases() {
        for (index, (key, raw)) in base.iter().enumerate() {
            if key == "sign" {
                continue;
            }
            for value in changed_values(raw) {
                let mut tampered = base.clone();
                tampered[index].1 = value.clone();
                let change = format!("{key}: {raw} -> {value}");
                assert_refused(&render(&tampered), &NotificationError::SignatureMismatch, &change);
                checked += 1;
            }
        }
    }
    assert!(checked > 80, "only {checked} changes tried");
}

#[test]
fn every_removed_field_is_refused() {
    for base in bases() {
        for index in 0..base.len() {
            let mut tampered = base.clone();
            let (key, _) = tampered.remove(index);
            let expected =
                if key == "sign" { NotificationError::MissingSign } else { NotificationError::SignatureMismatch };
            assert_refused(&render(&tampered), &expected, &format!("removing {key}"));
        }
    }
}

#[test]
fn every_key_with_changed_case_is_refused() {
    for base in bases() {
        for index in 0..base.len() {
            let mut tampered = base.clone();
            let key = &mut tampered[index].0;
            let original = key.clone();
            let mut chars: Vec<char> = key.chars().collect();
            let Some(first) = chars.first_mut() else { continue };
            *first = if first.is_ascii_uppercase() { first.to_ascii_lowercase() } else { first.to_ascii_uppercase() };
            *key = chars.into_iter().collect();
            let expected =
                if original == "sign" { NotificationError::MissingSign } else { NotificationError::SignatureMismatch };
            assert_refused(&render(&tampered), &expected, &format!("renaming {original} to {}", tampered[index].0));

            // Case changed inside the key, too (platFormTradeNo -> platformTradeNo).
            if let Some(position) = original.chars().skip(1).position(|c| c.is_ascii_uppercase()) {
                let mut tampered = base.clone();
                let mut chars: Vec<char> = original.chars().collect();
                chars[position + 1] = chars[position + 1].to_ascii_lowercase();
                tampered[index].0 = chars.into_iter().collect();
                let change = format!("renaming {original} to {}", tampered[index].0);
                assert_refused(&render(&tampered), &NotificationError::SignatureMismatch, &change);
            }
        }
    }
}

#[test]
fn every_added_signed_field_is_refused() {
    for base in bases() {
        for raw in [r#""1""#, "0", "true", "false", r#""x y""#] {
            for position in [0, base.len() / 2, base.len()] {
                let mut tampered = base.clone();
                tampered.insert(position, ("addedField".to_owned(), raw.to_owned()));
                let change = format!("adding addedField: {raw} at {position}");
                assert_refused(&render(&tampered), &NotificationError::SignatureMismatch, &change);
            }
        }
    }
}

/// By the signing rule, `null`, `""`, objects and arrays are not signed:
/// adding them cannot be detected, and the SDK neither signs nor trusts them
/// (objects and arrays only appear in `unsigned`).
#[test]
fn added_unsigned_fields_do_not_change_the_signature_and_are_kept_apart() {
    for base in bases() {
        for raw in ["null", r#""""#, "{}", r#"{"amount":"999"}"#, "[1,2]"] {
            let mut tampered = base.clone();
            tampered.push(("addedField".to_owned(), raw.to_owned()));
            let notification = assert_accepted(&render(&tampered), &format!("adding addedField: {raw}"));
            assert!(!notification.extra.contains_key("addedField"));
            let unsigned = notification.unsigned.get("addedField").map(|raw| raw.get());
            let expected = if raw.starts_with(['{', '[']) { Some(raw) } else { None };
            assert_eq!(unsigned, expected);
        }
    }
}

#[test]
fn every_altered_sign_digit_is_refused() {
    for base in bases() {
        let sign = base[0].1.trim_matches('"').to_owned();
        assert_eq!(sign.len(), 32);
        for position in 0..32 {
            let mut altered: Vec<char> = sign.chars().collect();
            altered[position] = if altered[position] == '0' { '1' } else { '0' };
            let altered: String = altered.into_iter().collect();
            let mut tampered = base.clone();
            tampered[0].1 = format!("\"{altered}\"");
            let change = format!("sign digit {position}");
            assert_refused(&render(&tampered), &NotificationError::SignatureMismatch, &change);
        }
    }
}

#[test]
fn every_duplicated_key_is_refused_even_with_the_same_value() {
    for base in bases() {
        for index in 0..base.len() {
            for position in [0, base.len()] {
                let mut tampered = base.clone();
                let duplicate = tampered[index].clone();
                let key = duplicate.0.clone();
                tampered.insert(position, duplicate);
                let expected = NotificationError::DuplicateKey { key: key.clone() };
                assert_refused(&render(&tampered), &expected, &format!("duplicating {key}"));
            }
        }
        // The same key, written with an escape, is still the same key.
        let mut tampered = base.clone();
        tampered.push((r"\u0074radeNo".to_owned(), r#""other""#.to_owned()));
        let expected = NotificationError::DuplicateKey { key: "tradeNo".to_owned() };
        assert_refused(&render(&tampered), &expected, "duplicating tradeNo with an escape");
    }
}

#[test]
fn reordered_members_are_accepted() {
    for base in bases() {
        let mut reversed = base.clone();
        reversed.reverse();
        assert_accepted(&render(&reversed), "reversing");
        for shift in 1..base.len() {
            let mut rotated = base.clone();
            rotated.rotate_left(shift);
            assert_accepted(&render(&rotated), &format!("rotating by {shift}"));
        }
    }
}

#[test]
fn whitespace_is_accepted() {
    for base in bases() {
        let inner: Vec<String> = base.iter().map(|(key, raw)| format!("\n\t\"{key}\" \r\n:  {raw} ")).collect();
        let pretty = format!(" \n{{{}\n}}\n\t ", inner.join(",\n"));
        let plain = assert_accepted(&render(&base), "nothing");
        let spaced = assert_accepted(&pretty, "adding whitespace");
        assert_eq!((&spaced.trade_no, &spaced.status), (&plain.trade_no, &plain.status));
        assert_eq!(spaced.extra, plain.extra);
    }
}

#[test]
fn escaped_spellings_of_the_same_values_are_accepted() {
    for base in bases() {
        let mut escaped = base.clone();
        for (key, raw) in &mut escaped {
            if key == "tradeNo" {
                // "00000007" -> "\u0030…": the same string.
                *raw = format!("\"\\u0030{}", &raw[2..]);
            }
            if key == "status" {
                *key = r"st\u0061tus".to_owned();
            }
        }
        let notification = assert_accepted(&render(&escaped), "escaping");
        assert!(notification.trade_no.as_str().starts_with("0000000"));
    }
    let url = signed(members(&[
        ("tradeNo", r#""T1""#),
        ("status", r#""0000""#),
        ("returnUrl", r#""https://m.example.com/r?a=1&b=2#top""#),
    ]));
    let mut escaped = url.clone();
    escaped[3].1 = r#""https:\/\/m.example.com\/r?a=1\u0026b=2#top""#.to_owned();
    assert_accepted(&render(&escaped), "escaping slashes");
}

#[test]
fn sign_is_accepted_in_either_letter_case() {
    for base in bases() {
        let mut upper = base.clone();
        upper[0].1 = upper[0].1.to_ascii_uppercase();
        assert_accepted(&render(&upper), "upper-casing sign");
        let mut mixed = base.clone();
        mixed[0].1 =
            mixed[0].1.chars().enumerate().map(|(i, c)| if i % 2 == 0 { c.to_ascii_uppercase() } else { c }).collect();
        assert_accepted(&render(&mixed), "mixing the case of sign");
    }
}

#[test]
fn bodies_that_are_not_json_objects_are_refused() {
    let base = render(&bases()[0]);
    let not_json = [
        String::new(),
        " ".to_owned(),
        "OK".to_owned(),
        "tradeNo=1&status=0000".to_owned(),
        base[..base.len() - 1].to_owned(),
        format!("{base},"),
        format!("{base}{{}}"),
        format!("{base} x"),
        base.replace(':', "="),
        base.replacen(",", ",,", 1),
        "[1,".to_owned(),
    ];
    for body in &not_json {
        assert!(matches!(verify(body), Err(NotificationError::NotJson { .. })), "{body:?}: {:?}", verify(body).err());
    }
    let mut invalid_utf8 = base.clone().into_bytes();
    invalid_utf8[20] = 0xff;
    let secret = AppSecret::new(SECRET);
    assert!(matches!(notification::verify(&invalid_utf8, &secret), Err(NotificationError::NotJson { .. })));

    for body in [format!("[{base}]"), "[]".to_owned(), "\"text\"".to_owned(), "42".to_owned(), "null".to_owned()] {
        assert_refused(&body, &NotificationError::NotAnObject, "a top level that is no object");
    }
}

#[test]
fn bodies_over_the_limit_are_refused_before_parsing() {
    let base = render(&bases()[0]);
    // Padded with whitespace to exactly the limit: still a valid notification.
    let at_limit = format!("{base}{}", " ".repeat(MAX_BODY_BYTES - base.len()));
    assert_eq!(at_limit.len(), MAX_BODY_BYTES);
    assert_accepted(&at_limit, "padding to the limit");

    let over = format!("{at_limit} ");
    let expected = NotificationError::TooLarge { len: MAX_BODY_BYTES + 1, max: MAX_BODY_BYTES };
    assert_refused(&over, &expected, "padding over the limit");
    // Size comes first: not even parsed.
    assert_refused(&"x".repeat(MAX_BODY_BYTES + 1), &expected, "a large non-JSON body");
}

#[test]
fn missing_or_malformed_sign_is_refused() {
    let base = bases().remove(0);
    let unsigned = base[1..].to_vec();
    assert_refused(&render(&unsigned), &NotificationError::MissingSign, "no sign");

    let sign = base[0].1.trim_matches('"').to_owned();
    let malformed = [
        format!("\"{}\"", &sign[..31]),
        format!("\"{sign}0\""),
        format!("\"{}g\"", &sign[..31]),
        format!("\" {}\"", &sign[..31]),
        "\"\"".to_owned(),
        "null".to_owned(),
        "12345678901234567890123456789012".to_owned(),
        format!("[\"{sign}\"]"),
        format!("{{\"sign\":\"{sign}\"}}"),
    ];
    for raw in malformed {
        let mut tampered = base.clone();
        tampered[0].1 = raw.clone();
        assert_refused(&render(&tampered), &NotificationError::MalformedSign, &format!("sign {raw}"));
    }
}

#[test]
fn unknown_fields_are_kept_and_signed() {
    let base = signed(members(&[
        ("tradeNo", r#""T7""#),
        ("status", r#""0000""#),
        ("amount", r#""300""#),
        ("subMerchantNo", r#""SUB-1""#),
        ("rate", "0.0350"),
        ("retry", "true"),
    ]));
    let notification = assert_accepted(&render(&base), "nothing");
    assert_eq!(notification.extra.get("subMerchantNo"), Some(&ExtraValue::String("SUB-1".to_owned())));
    assert_eq!(notification.extra.get("rate"), Some(&ExtraValue::Number("0.0350".to_owned())));
    assert_eq!(notification.extra.get("retry"), Some(&ExtraValue::Bool(true)));
    assert_eq!(notification.extra.len(), 3);

    // They are part of the signature: the canonical string has them ...
    let canonical = notification::canonical(render(&base).as_bytes());
    assert_eq!(canonical.as_deref(), Ok("amount=300rate=0.0350retry=truestatus=0000subMerchantNo=SUB-1tradeNo=T7"));
    // ... and a body signed without them is refused once they are added.
    let mut without = base[1..].to_vec();
    without.retain(|(key, _)| !matches!(key.as_str(), "subMerchantNo" | "rate" | "retry"));
    let mut smuggled = signed(without);
    smuggled.push(("subMerchantNo".to_owned(), r#""SUB-1""#.to_owned()));
    assert_refused(&render(&smuggled), &NotificationError::SignatureMismatch, "smuggling an unknown field");
}

#[test]
fn a_notification_signed_with_another_secret_is_refused() {
    let list = members(&[("tradeNo", r#""T1""#), ("status", r#""0000""#)]);
    let sign = sign_of(&list, "another-secret");
    let mut body = list;
    body.push(("sign".to_owned(), format!("\"{sign}\"")));
    assert_refused(&render(&body), &NotificationError::SignatureMismatch, "signing with another secret");
}

/// `(key, text)` pairs as members whose values are JSON strings.
fn string_members(pairs: &[(String, String)]) -> Members {
    pairs.iter().map(|(key, text)| (key.clone(), serde_json::Value::from(text.as_str()).to_string())).collect()
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(key, text)| ((*key).to_owned(), (*text).to_owned())).collect()
}

/// `key=value` pairs concatenated, as the string-to-sign joins them.
fn joined(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(key, value)| format!("{key}={value}")).collect()
}

/// A genuine notification whose free-text `host` field carries the text of
/// forged pairs, and a forgery that re-partitions it through a key holding
/// `=`: the forgery's `target` is `forged_value`, and both bodies have the
/// same canonical string, so the genuine `sign` is valid for the forgery.
fn repartition(host: &str, target: &str, forged_value: &str) -> (String, String) {
    let mut fields =
        owned(&[("amount", "300"), ("platFormTradeNo", "P7"), ("status", "0002"), ("tradeNo", "T7"), (host, "")]);
    fields.sort();
    let host_at = fields.iter().position(|(key, _)| key == host).expect("the host field");
    // The pairs that sort after the host, as they are and as forged.
    let tail = fields[host_at + 1..].to_vec();
    let forged_tail: Vec<(String, String)> = tail
        .iter()
        .map(|(key, value)| (key.clone(), if key == target { forged_value.to_owned() } else { value.clone() }))
        .collect();
    fields[host_at].1 = format!("y{}u", joined(&forged_tail));
    let genuine = signed(string_members(&fields));
    let sign = genuine[0].1.clone();

    // The forgery: the host keeps "y", the forged pairs stand on their own,
    // and one key starting with "u" (sorting last) swallows the genuine tail.
    let mut forged = fields[..host_at].to_vec();
    forged.push((host.to_owned(), "y".to_owned()));
    forged.extend(forged_tail);
    let (last_key, last_value) = tail.last().expect("a field after the host").clone();
    forged.push((format!("u{}{last_key}", joined(&tail[..tail.len() - 1])), last_value));
    let mut forged = string_members(&forged);
    assert_eq!(sign_of(&forged, SECRET), sign[1..sign.len() - 1], "the forgery signs like the genuine body");
    forged.insert(0, ("sign".to_owned(), sign));
    (render(&genuine), render(&forged))
}

/// Keys may hold `=` in JSON, and the string-to-sign has no separators: a
/// genuine FAILED notification can be re-split into a valid-looking PAID
/// one. Every such key is refused before anything else.
#[test]
fn every_key_based_repartition_of_a_known_field_is_refused() {
    // A host that sorts before each target, so the target is in its tail.
    let cases = [
        ("remark", "status", "0000"),
        ("remark", "tradeNo", "T8"),
        ("aNote", "amount", "30000"),
        ("note", "platFormTradeNo", "P8"),
    ];
    for (host, target, forged_value) in cases {
        let (genuine, forged) = repartition(host, target, forged_value);
        assert!(!matches!(verify(&genuine), Err(NotificationError::SignatureMismatch)), "{genuine}");
        match verify(&forged) {
            Err(NotificationError::InvalidKey { .. }) => {}
            other => panic!("re-partitioning {target} through {host} was not refused: {other:?}\n{forged}"),
        }
    }
}

/// Two adjacent fields folded into one key so that one of them disappears
/// (`amount=300message` with the value of `message`).
#[test]
fn folding_fields_into_one_key_is_refused() {
    let genuine = signed(string_members(&owned(&[
        ("amount", "300"),
        ("message", "Fail"),
        ("status", "0000"),
        ("tradeNo", "T9"),
    ])));
    let sign = genuine[0].1.clone();
    let mut folded = string_members(&owned(&[("amount=300message", "Fail"), ("status", "0000"), ("tradeNo", "T9")]));
    assert_eq!(sign_of(&folded, SECRET), sign[1..sign.len() - 1]);
    folded.insert(0, ("sign".to_owned(), sign));
    assert_refused(&render(&folded), &NotificationError::InvalidKey { position: 2 }, "folding amount into a key");
}
