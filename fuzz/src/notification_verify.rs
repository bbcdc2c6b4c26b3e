//! `notification_verify`: arbitrary bytes as a notification body, through
//! `verify`, `canonical` and `signature`, then signed here so the typed
//! parse behind the signature is fuzzed too.
//!
//! Properties: nothing panics; verifying twice gives the same answer; the
//! three functions agree on which bodies parse; the signature equals MD5 of
//! the canonical string and the secret (md-5 directly); a verified
//! notification is consistent with its canonical string; a body signed with
//! the right secret always gets past the signature, and never with another.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::value::RawValue;
use vexora::AppSecret;
use vexora::clock::FixedClock;
use vexora::notification::{self, MAX_BODY_BYTES, Notification, NotificationError, Verifier, VerifyOptions};
use vexora::types::DecimalText;

use super::{SECRET, md5_hex, with_first_member};

/// Runs every property on `data` as a notification body; returns whether
/// a notification was verified (as it came, or once signed here).
pub fn check(data: &[u8]) -> bool {
    let secret = AppSecret::new(SECRET);
    let first = notification::verify(data, &secret);
    let second = notification::verify(data, &secret);
    assert_eq!(described(&first), described(&second), "verify is not deterministic");

    let canonical = notification::canonical(data);
    let signature = notification::signature(data, &secret);
    assert_eq!(canonical.is_ok(), signature.is_ok(), "canonical and signature read the body differently");
    if let (Ok(canonical), Ok(signature)) = (&canonical, &signature) {
        assert_eq!(signature.to_string(), md5_hex(canonical, SECRET), "signature is not MD5(canonical + secret)");
    }

    match &first {
        Ok(verified) => consistent(verified, canonical.as_deref().ok()),
        Err(error) => {
            let _ = error.to_string();
            // Refused before any value is read: canonical refuses alike.
            let unread = matches!(
                error,
                NotificationError::TooLarge { .. }
                    | NotificationError::NotAnObject
                    | NotificationError::InvalidKey { .. }
                    | NotificationError::DuplicateKey { .. }
            );
            if unread {
                assert_eq!(canonical.as_ref().err(), Some(error), "verify and canonical parse differently");
            }
            // Refused at or after the signature: every signed value was
            // read, so canonical (which reads the same values) works. Not
            // so for `NotJson` (bad syntax, or a string that cannot be
            // unescaped, maybe `sign`'s, which canonical leaves out) nor a
            // missing or malformed `sign` (checked before the values).
            let signed_values_read = !unread
                && !matches!(
                    error,
                    NotificationError::NotJson { .. }
                        | NotificationError::MissingSign
                        | NotificationError::MalformedSign
                );
            if signed_values_read {
                assert!(canonical.is_ok(), "{error:?}, but canonical failed: {canonical:?}");
            }
        }
    }

    // Sign the body ourselves: it must now get past the signature.
    let (Err(NotificationError::MissingSign), Ok(signature)) = (&first, &signature) else { return first.is_ok() };
    let Some(signed) = with_first_member(data, "sign", signature.as_str()) else { return false };
    if signed.len() > MAX_BODY_BYTES {
        return false;
    }
    let verified = notification::verify(&signed, &secret);
    match &verified {
        Ok(notification) => consistent(notification, notification::canonical(&signed).ok().as_deref()),
        Err(error) => assert!(
            !matches!(
                error,
                NotificationError::TooLarge { .. }
                    | NotificationError::NotJson { .. }
                    | NotificationError::NotAnObject
                    | NotificationError::InvalidKey { .. }
                    | NotificationError::DuplicateKey { .. }
                    | NotificationError::MissingSign
                    | NotificationError::MalformedSign
                    | NotificationError::SignatureMismatch
            ),
            "correctly signed body refused: {error:?}"
        ),
    }
    assert_eq!(
        notification::verify(&signed, &AppSecret::new("another-secret")).err(),
        Some(NotificationError::SignatureMismatch),
        "verified under another secret"
    );
    // A freshness window only ever adds refusals.
    let window = VerifyOptions::max_age(Duration::from_secs(300)).with_clock(FixedClock(1_764_115_200_000));
    let fresh = notification::verify_with(&signed, &secret, &window);
    match (&verified, &fresh) {
        (Ok(_), Err(NotificationError::Stale { .. })) => {}
        (verified, fresh) => {
            assert_eq!(described(verified), described(fresh), "the window changed more than freshness")
        }
    }
    verified.is_ok()
}

/// A result as comparable text (`Notification` has no `PartialEq`).
fn described(result: &Result<Notification, NotificationError>) -> String {
    format!("{result:?}")
}

/// What holds for every verified notification.
fn consistent(notification: &Notification, canonical: Option<&str>) {
    let Some(canonical) = canonical else { panic!("verified, but canonical refuses the same body") };
    let trade_no = notification.trade_no.as_str();
    assert!(!trade_no.is_empty(), "verified without a tradeNo");
    let verifier = Verifier::new(AppSecret::new(SECRET));
    let signed = signed_again(notification);
    let (pay_in, payout) = (verifier.pay_in(&signed), verifier.payout(&signed));
    if let (Ok(pay_in), Ok(payout)) = (&pay_in, &payout) {
        let (pay_in_key, payout_key) = (pay_in.dedup_key(), payout.dedup_key());
        assert_eq!((pay_in_key.trade_no.as_str(), pay_in_key.status.as_str()), (trade_no, notification.status.code()));
        assert_ne!(pay_in_key, payout_key, "a pay-in and a payout share a dedup key");
        if let Some(order_amount) = DecimalText::parse("300") {
            let _ = pay_in.settlement(&order_amount);
            let _ = payout.outcome(&order_amount);
        }
    }
    assert!(canonical.contains(&format!("tradeNo={trade_no}")), "tradeNo is not what was signed");
    assert!(canonical.contains(&format!("status={}", notification.status.code())), "status is not what was signed");
    for (key, value) in &notification.extra {
        let pair = format!("{key}={}", value.as_signed_text());
        assert!(canonical.contains(&pair), "extra {pair:?} was not signed");
    }
    // As text, the way the CLI writes it: number texts are kept as they
    // came (`to_value` would have to fit them in an f64, and a signed
    // `1e400` does not).
    let json = match serde_json::to_string(notification) {
        Ok(json) => json,
        Err(error) => panic!("a verified notification does not serialise: {error}"),
    };
    match serde_json::from_str::<BTreeMap<String, Box<RawValue>>>(&json) {
        Ok(members) => assert!(members.contains_key("tradeNo"), "tradeNo is missing from {json}"),
        Err(error) => panic!("a notification must serialise as a JSON object ({error}): {json}"),
    }
}

/// A verified notification's fields, signed again here: a body the kinds'
/// verification reads as genuine.
fn signed_again(notification: &Notification) -> Vec<u8> {
    let Ok(unsigned) = serde_json::to_string(notification) else { return Vec::new() };
    let Ok(sign) = notification::signature(unsigned.as_bytes(), &AppSecret::new(SECRET)) else { return Vec::new() };
    format!("{{\"sign\":\"{sign}\",{}", &unsigned[1..]).into_bytes()
}
