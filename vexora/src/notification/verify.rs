//! Checking a notification: its size, its signature over the body as
//! received (with the current secret, else a previous one), its typed
//! fields, and what the signature cannot prove.

use super::error::NotificationError;
use super::strict::{self, VerifyOptions};
use super::typed::Notification;
use crate::config::AppSecret;
use crate::signing::{FieldValue, JsonError, JsonObject, Signature};

/// The largest body [`verify`] reads: 64 KiB.
///
/// A notification is a flat object of about ten short fields (well under
/// 1 KiB), so anything near this size is not one; refusing it before
/// parsing bounds the work an unauthenticated sender can cause. Your HTTP
/// server should also stop reading the request body at this size.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Verifies a notification's signature over its raw body, then reads it.
///
/// `raw_body` must be the request body exactly as received, before any
/// parsing: re-serialising it (e.g. through `serde_json::Value`) can change
/// number texts such as `150.00` and break the signature.
///
/// Checks, in order: size ([`MAX_BODY_BYTES`]), JSON object syntax, unique
/// keys, presence and form of `sign`, the signature (compared in constant
/// time, either letter case), and last the fields a [`Notification`]
/// requires. Any error means: do not acknowledge.
///
/// ```
/// use vexora::notification::{verify, NotificationError};
/// use vexora::types::TradeStatus;
/// use vexora::AppSecret;
///
/// let secret = AppSecret::new("test-app-secret-123");
/// let body = br#"{"tradeNo":"00000008","platFormTradeNo":"68o0uwogz7mnzutt","status":"0001","amount":150.00,"orderAmount":300,"sign":"9ee22021d0627b70ae90a2f22f28ddc9"}"#;
/// let notification = verify(body, &secret)?;
/// assert_eq!(notification.status, TradeStatus::Partial);
/// assert_eq!(notification.amount.as_ref().map(|a| a.as_str()), Some("150.00"));
/// assert_eq!(notification.extra["orderAmount"].as_signed_text(), "300");
///
/// assert_eq!(verify(body, &AppSecret::new("another secret")).err(), Some(NotificationError::SignatureMismatch));
/// # Ok::<(), NotificationError>(())
/// ```
pub fn verify(raw_body: &[u8], secret: &AppSecret) -> Result<Notification, NotificationError> {
    verify_with_secret_bytes(raw_body, secret.expose())
}

/// [`verify`] with the app secret as bytes, for secrets held outside an
/// [`AppSecret`] (a secrets manager's buffer, say).
pub fn verify_with_secret_bytes(raw_body: &[u8], secret: &[u8]) -> Result<Notification, NotificationError> {
    verify_checked(raw_body, secret, None, None).map(|(notification, _)| notification)
}

/// [`verify`] with options, such as a freshness window.
///
/// ```
/// use std::time::Duration;
/// use vexora::clock::FixedClock;
/// use vexora::notification::{verify_with, NotificationError, VerifyOptions};
/// use vexora::AppSecret;
///
/// let secret = AppSecret::new("k");
/// let body = br#"{"tradeNo":"T1","status":"0000","timestamp":"1764115200000","sign":"9ca57379319d34ba05a9c837352d15d5"}"#;
/// let five_minutes = VerifyOptions::max_age(Duration::from_secs(300));
/// let just_after = five_minutes.clone().with_clock(FixedClock(1_764_115_260_000));
/// assert!(verify_with(body, &secret, &just_after).is_ok());
/// let a_day_later = five_minutes.with_clock(FixedClock(1_764_201_600_000));
/// assert!(matches!(verify_with(body, &secret, &a_day_later), Err(NotificationError::Stale { .. })));
/// ```
pub fn verify_with(
    raw_body: &[u8],
    secret: &AppSecret,
    options: &VerifyOptions,
) -> Result<Notification, NotificationError> {
    verify_checked(raw_body, secret.expose(), None, Some(options)).map(|(notification, _)| notification)
}

/// [`verify_unrecorded`], with each refusal, and each notification signed
/// with a previous secret, told to `tracing` (with the `tracing` feature).
pub(super) fn verify_checked(
    raw_body: &[u8],
    secret: &[u8],
    previous: Option<&[u8]>,
    options: Option<&VerifyOptions>,
) -> Result<(Notification, SecretUsed), NotificationError> {
    let verified = verify_unrecorded(raw_body, secret, previous, options);
    match &verified {
        Ok((_, used)) => crate::trace::notification_verified(used.as_str()),
        Err(error) => crate::trace::notification_refused(error.label()),
    }
    verified
}

/// Signature (with the current secret, else the previous one), then typed
/// fields, then the checks the signature cannot make.
fn verify_unrecorded(
    raw_body: &[u8],
    secret: &[u8],
    previous: Option<&[u8]>,
    options: Option<&VerifyOptions>,
) -> Result<(Notification, SecretUsed), NotificationError> {
    let object = parse(raw_body)?;
    let received = received_sign(&object)?;
    let used = if object.signature(secret).matches(received) {
        SecretUsed::Current
    } else if previous.is_some_and(|previous| object.signature(previous).matches(received)) {
        SecretUsed::Previous
    } else {
        return Err(NotificationError::SignatureMismatch);
    };
    let notification = Notification::from_verified(object)?;
    strict::check(&notification)?;
    if let Some(options) = options {
        options.check_freshness(&notification)?;
    }
    Ok((notification, used))
}

/// The canonical string of a raw body: the signed `key=value` pairs in
/// order, before the secret is appended. `sign` is left out, so the body
/// need not carry one.
///
/// A debugging aid for signature mismatches (compare it with what the other
/// side signed); the SDK never logs it, and neither should you in
/// production, since it holds the payer's data.
///
/// ```
/// let body = br#"{"tradeNo":"X9","status":"00029","success":false,"paymentDetails":[{"amount":"1"}],"remark":""}"#;
/// assert_eq!(vexora::notification::canonical(body)?, "status=00029success=falsetradeNo=X9");
/// # Ok::<(), vexora::notification::NotificationError>(())
/// ```
pub fn canonical(raw_body: &[u8]) -> Result<String, NotificationError> {
    Ok(parse(raw_body)?.canonical())
}

/// The signature a raw body should carry under `secret` (any `sign` in it
/// is ignored).
///
/// For senders: the sandbox and tests that produce notifications. To check
/// a received notification use [`verify`], which compares in constant time.
pub fn signature(raw_body: &[u8], secret: &AppSecret) -> Result<Signature, NotificationError> {
    Ok(parse(raw_body)?.signature(secret.expose()))
}

/// Which of a [`Verifier`](super::Verifier)'s secrets a notification was
/// signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretUsed {
    /// The current secret.
    Current,
    /// The previous secret, within its rotation window.
    Previous,
}

impl SecretUsed {
    /// `current` or `previous`, as tracing shows it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Previous => "previous",
        }
    }
}

/// The body as a JSON object to verify: the size limit first, then what
/// any signed object must be.
fn parse(raw_body: &[u8]) -> Result<JsonObject<'_>, NotificationError> {
    if raw_body.len() > MAX_BODY_BYTES {
        return Err(NotificationError::TooLarge { len: raw_body.len(), max: MAX_BODY_BYTES });
    }
    JsonObject::parse(raw_body).map_err(|error| match error {
        JsonError::NotAnObject => NotificationError::NotAnObject,
        // The key came from an unauthenticated sender: only its place is kept.
        JsonError::InvalidKey { position, .. } => NotificationError::InvalidKey { position },
        JsonError::DuplicateKey { key } => NotificationError::DuplicateKey { key },
        JsonError::NotJson { reason } => NotificationError::NotJson { reason },
    })
}

/// The received `sign`, checked for form: a JSON string of 32 hex digits.
fn received_sign<'a>(object: &'a JsonObject<'_>) -> Result<&'a str, NotificationError> {
    let field = object.get("sign").ok_or(NotificationError::MissingSign)?;
    let FieldValue::Text(sign) = &field.value else {
        return Err(NotificationError::MalformedSign);
    };
    if sign.len() != 32 || !sign.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(NotificationError::MalformedSign);
    }
    Ok(sign)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notification::{DedupKey, ExtraValue, NotificationKind, PayInNotification, PayoutNotification};
    use crate::types::{DecimalText, TradeNo, TradeStatus};

    const SECRET: &[u8] = b"test-app-secret-123";

    /// Appends a correct `sign` to an object body that has none.
    fn signed(body: &str) -> String {
        let secret = AppSecret::new("test-app-secret-123");
        let sign = match signature(body.as_bytes(), &secret) {
            Ok(sign) => sign,
            Err(error) => panic!("cannot sign {body}: {error}"),
        };
        format!("{{\"sign\":\"{sign}\",{}", &body[1..])
    }

    fn verified(body: &str) -> Notification {
        match verify_with_secret_bytes(signed(body).as_bytes(), SECRET) {
            Ok(notification) => notification,
            Err(error) => panic!("refused {body}: {error}"),
        }
    }

    #[test]
    fn typed_fields() {
        let notification = verified(
            r#"{"tradeNo":"T1","platFormTradeNo":"P1","status":"0000","amount":"300.00","message":"ok",
                "remark":"r","successTime":"2025-01-02 03:04:05","timestamp":1764115200000,
                "channel":"STORE","fee":1.50,"test":true,"note":"","gone":null,"details":[{"a":1}]}"#,
        );
        assert_eq!(notification.trade_no.as_str(), "T1");
        assert_eq!(notification.plat_form_trade_no.as_deref(), Some("P1"));
        assert_eq!(notification.status, TradeStatus::Success);
        assert_eq!(notification.amount, DecimalText::parse("300.00"));
        assert_eq!(notification.message.as_deref(), Some("ok"));
        assert_eq!(notification.remark.as_deref(), Some("r"));
        assert_eq!(notification.success_time.as_deref(), Some("2025-01-02 03:04:05"));
        assert_eq!(notification.timestamp.as_deref(), Some("1764115200000"));
        let extra: Vec<_> = notification.extra.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        assert_eq!(
            extra,
            [
                ("channel", ExtraValue::String("STORE".into())),
                ("fee", ExtraValue::Number("1.50".into())),
                ("test", ExtraValue::Bool(true)),
            ]
        );
        let unsigned: Vec<_> = notification.unsigned.iter().map(|(k, v)| (k.as_str(), v.get())).collect();
        assert_eq!(unsigned, [("details", r#"[{"a":1}]"#)]);
        let pay_in = PayInNotification::new(notification.clone());
        let payout = PayoutNotification::new(notification);
        assert_eq!(
            pay_in.dedup_key(),
            DedupKey { kind: NotificationKind::PayIn, trade_no: TradeNo::new("T1"), status: "0000".into() }
        );
        assert_ne!(pay_in.dedup_key(), payout.dedup_key(), "an order and a payout never share a key");
    }

    #[test]
    fn amounts_with_leading_zeros_are_compared_by_value() {
        use crate::notification::Settlement;
        let order = DecimalText::parse("300").expect("a decimal");
        for amount in [r#""0300""#, r#""00300.00""#] {
            let notification = verified(&format!(r#"{{"tradeNo":"T1","status":"0000","amount":{amount}}}"#));
            let paid = PayInNotification::new(notification).settlement(&order);
            assert!(
                matches!(&paid, Settlement::PaidInFull { amount: got } if got.as_str() == &amount[1..amount.len() - 1]),
                "{paid:?}"
            );
        }
        let notification = PayInNotification::new(verified(r#"{"tradeNo":"T1","status":"0000","amount":"0301"}"#));
        assert!(matches!(notification.settlement(&order), Settlement::AmountMismatch { .. }));
    }

    #[test]
    fn required_and_typed_fields_are_checked_after_the_signature() {
        let invalid = |body: &str, field: &'static str| {
            let error = verify_with_secret_bytes(signed(body).as_bytes(), SECRET).err();
            assert!(
                matches!(error, Some(NotificationError::InvalidField { field: f, .. }) if f == field),
                "{body}: {error:?}"
            );
            assert!(error.is_some_and(|error| error.signature_verified()));
        };
        invalid(r#"{"status":"0000"}"#, "tradeNo");
        invalid(r#"{"tradeNo":"","status":"0000"}"#, "tradeNo");
        invalid(r#"{"tradeNo":7,"status":"0000"}"#, "tradeNo");
        invalid(r#"{"tradeNo":"T"}"#, "status");
        invalid(r#"{"tradeNo":"T","status":null}"#, "status");
        invalid(r#"{"tradeNo":"T","status":{"code":"0000"}}"#, "status");
        invalid(r#"{"tradeNo":"T","status":"0000","amount":"3oo"}"#, "amount");
        invalid(r#"{"tradeNo":"T","status":"0000","amount":3e2}"#, "amount");
        invalid(r#"{"tradeNo":"T","status":"0000","amount":true}"#, "amount");
        invalid(r#"{"tradeNo":"T","status":"0000","platFormTradeNo":12}"#, "platFormTradeNo");
        invalid(r#"{"tradeNo":"T","status":"0000","message":["x"]}"#, "message");
    }

    #[test]
    fn errors_never_show_the_secret_or_a_signature() {
        let body = signed(r#"{"tradeNo":"T","status":"0000","amount":"300"}"#);
        let sign = &body[9..41];
        let tampered = body.replace("300", "301");
        let Some(error) = verify_with_secret_bytes(tampered.as_bytes(), SECRET).err() else {
            panic!("tampered body accepted")
        };
        let expected = match signature(tampered.as_bytes(), &AppSecret::new("test-app-secret-123")) {
            Ok(sign) => sign.to_string(),
            Err(error) => panic!("{error}"),
        };
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains("test-app-secret-123"), "{text}");
            assert!(!text.contains(sign), "{text}");
            assert!(!text.contains(&expected), "{text}");
        }
    }
}
