//! The response envelope `{msg, code, timestamp, success, data}` and its
//! decoding into an endpoint's typed `data`.
//!
//! The [`Client`](crate::Client) reads every answer this way. [`decode`] is
//! for an answer read outside it: one your own HTTP stack received for a
//! request built with [`Client::prepare`](crate::Client::prepare), a
//! recorded one, or one of an endpoint this SDK does not model yet.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeOwned, Visitor};
use serde_json::value::RawValue;

use crate::borrowed::BorrowedText;
use crate::error::Error;
use crate::record_keys::RecordKeys;
use crate::transport::{HttpResponse, MAX_RESPONSE_BYTES};

/// The `code` that means "request accepted". Only that: the business
/// outcome is `data.status`.
pub const ACCEPTED: &str = "0000";

/// How many characters of an undecodable body an error keeps.
const EXCERPT_CHARS: usize = 200;

/// The envelope as received. `timestamp` and `success` are documented as
/// strings but sent as a number and a boolean; both forms are accepted and
/// neither is needed, so they are not kept.
/// Text is borrowed from the body unless it has escapes: an accepted
/// response copies nothing but its `data`.
#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(borrow, default, deserialize_with = "optional_text")]
    msg: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "code_text")]
    code: Cow<'a, str>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

/// `code` as text. Only a JSON string is a code: a number, `null` or an
/// object in its place is not the gateway's envelope (a proxy's `{"code":504}`
/// is not a refusal).
fn code_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Cow<'de, str>, D::Error> {
    let raw = <&RawValue>::deserialize(deserializer)?;
    if !raw.get().starts_with('"') {
        return Err(serde::de::Error::custom("`code` is not a JSON string"));
    }
    serde::Deserializer::deserialize_str(raw, BorrowedText).map_err(serde::de::Error::custom)
}

/// A string or `null`, borrowed unless it has escapes.
fn optional_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    deserializer.deserialize_option(OptionalText)
}

/// [`BorrowedText`], or nothing for `null`.
struct OptionalText;

impl<'de> Visitor<'de> for OptionalText {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or null")
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(BorrowedText).map(Some)
    }
}

/// Decodes a response into `T`: the status first, then the envelope, a
/// refusal as [`Error::Refused`], then `data`.
///
/// Only a 2xx answer is read as the gateway's verdict. Anything else, even
/// with a JSON body carrying a `code` (a proxy's `502 {"code":"BAD_GATEWAY"}`),
/// is [`Error::BadResponse`] with its status: the order may or may not
/// exist, so it must never read as "refused, nothing created". Within a
/// 2xx, `code` must be a JSON string: `"0000"` is accepted and any other
/// string is [`Error::Refused`].
///
/// Unlike the client, it cannot tell an answer about another record than
/// the one asked about ([`Error::AnswerForAnotherRecord`]): it has no
/// request to compare with.
///
/// ```
/// use vexora::data::CheckoutData;
/// use vexora::transport::HttpResponse;
/// use vexora::Error;
///
/// let answer = |body: &str| HttpResponse {
///     status: 200,
///     content_type: Some("application/json".to_owned()),
///     body: body.as_bytes().to_vec(),
/// };
/// let accepted = answer(r#"{"code":"0000","msg":"success","data":{"tradeNo":"T1","platFormTradeNo":"P1","status":"0015"}}"#);
/// let data: CheckoutData = vexora::envelope::decode(&accepted)?;
/// assert_eq!(data.trade_no.as_str(), "T1");
///
/// let refused = answer(r#"{"code":"1003","msg":"duplicate tradeNo"}"#);
/// assert!(matches!(vexora::envelope::decode::<CheckoutData>(&refused), Err(Error::Refused { code, .. }) if code == "1003"));
/// # Ok::<(), Error>(())
/// ```
pub fn decode<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, Error> {
    decode_about(response, &RecordKeys::default())
}

/// [`decode`] for a request that carried `keys`: an accepted answer whose
/// `data` names another record is [`Error::AnswerForAnotherRecord`].
pub(crate) fn decode_about<T: DeserializeOwned>(response: &HttpResponse, keys: &RecordKeys) -> Result<T, Error> {
    let bad = |reason: String| Error::BadResponse { status: response.status, reason, excerpt: excerpt(&response.body) };
    if !(200..300).contains(&response.status) {
        return Err(bad(format!("HTTP status {} is not a 2xx answer", response.status)));
    }
    if response.body.len() > MAX_RESPONSE_BYTES {
        return Err(bad(format!("larger than {MAX_RESPONSE_BYTES} bytes")));
    }
    if !declares_json_or_nothing(response) {
        let content_type = response.content_type.as_deref().unwrap_or_default();
        return Err(bad(format!("Content-Type {content_type:?} is not JSON")));
    }
    let envelope: RawEnvelope<'_> =
        serde_json::from_slice(&response.body).map_err(|e| bad(format!("not a gateway envelope: {e}")))?;
    if envelope.code != ACCEPTED {
        return Err(Error::Refused {
            code: envelope.code.into_owned(),
            msg: envelope.msg.map(Cow::into_owned).unwrap_or_default(),
        });
    }
    let data = envelope.data.ok_or_else(|| bad("code 0000 without data".to_owned()))?;
    let data = keys.check(data).map_err(|mismatch| Error::AnswerForAnotherRecord {
        key: mismatch.key,
        sent: mismatch.sent,
        answered: mismatch.answered,
    })?;
    serde_json::from_str(&data).map_err(|e| bad(format!("unexpected data: {e}")))
}

/// A missing `Content-Type` is tolerated (the gateway's is undocumented);
/// a declared non-JSON one (an HTML error page, plain text) is not.
fn declares_json_or_nothing(response: &HttpResponse) -> bool {
    response
        .content_type
        .as_deref()
        .is_none_or(|content_type| content_type.as_bytes().windows(4).any(|word| word.eq_ignore_ascii_case(b"json")))
}

/// The first characters of a body, lossily decoded, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    String::from_utf8_lossy(head).chars().take(EXCERPT_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::DecimalText;

    fn response(body: &str) -> HttpResponse {
        HttpResponse { status: 200, content_type: Some("application/json".into()), body: body.as_bytes().to_vec() }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Data {
        amount: DecimalText,
    }

    #[test]
    fn refusals_keep_code_and_message() {
        let refused = |body: &str| match decode::<Data>(&response(body)) {
            Err(Error::Refused { code, msg }) => (code, msg),
            other => panic!("{body}: expected a refusal, got {other:?}"),
        };
        assert_eq!(refused(r#"{"code":"8000","msg":"sign error"}"#), ("8000".into(), "sign error".into()));
        assert_eq!(refused(r#"{"code":"8000","msg":null}"#), ("8000".into(), String::new()));
        assert_eq!(
            refused(r#"{"code":"80\u0030","msg":"a \"quoted\" word"}"#),
            ("800".into(), "a \"quoted\" word".into())
        );
        assert_eq!(refused(r#"{"code":"9001"}"#), ("9001".into(), String::new()));
    }

    /// Every (status class, body class) pair and what it decodes to: the
    /// table in the README's failure section.
    #[test]
    fn only_a_2xx_with_a_string_code_is_a_verdict() {
        #[derive(Debug, PartialEq)]
        enum Verdict {
            Data,
            Refused,
            Bad,
        }
        let verdict = |status: u16, body: &str| match decode::<Data>(&answer(
            status,
            Some("application/json"),
            body.as_bytes(),
        )) {
            Ok(_) => Verdict::Data,
            Err(Error::Refused { .. }) => Verdict::Refused,
            Err(Error::BadResponse { status: got, .. }) => {
                assert_eq!(got, status);
                Verdict::Bad
            }
            Err(other) => panic!("{status} {body}: {other:?}"),
        };
        let accepted = r#"{"code":"0000","msg":"success","data":{"amount":"1.50"}}"#;
        let refused = r#"{"code":"8000","msg":"request failed"}"#;
        for status in [100, 101, 199, 300, 301, 302, 303, 307, 308, 400, 401, 404, 429, 500, 502, 503, 504, 599] {
            for body in [accepted, refused, r#"{"code":"BAD_GATEWAY"}"#, r#"{"code":504}"#, "<html>", ""] {
                assert_eq!(verdict(status, body), Verdict::Bad, "{status} {body}");
            }
        }
        for status in [200, 201, 204, 218, 299] {
            assert_eq!(verdict(status, accepted), Verdict::Data, "{status}");
            assert_eq!(verdict(status, refused), Verdict::Refused, "{status}");
            assert_eq!(verdict(status, r#"{"code":"5000","msg":"system exception"}"#), Verdict::Refused);
            for code in ["null", "0", "8000", "0.0", "{}", r#"{"code":"8000"}"#, "[\"8000\"]", "true"] {
                let body = format!(r#"{{"code":{code},"msg":"m","data":{{"amount":"1.50"}}}}"#);
                assert_eq!(verdict(status, &body), Verdict::Bad, "{status} {body}");
            }
            for body in [r#"{"code":"0000"}"#, r#"{"code":"0000","data":null}"#, "{", "", "[]", r#"{"msg":"x"}"#] {
                assert_eq!(verdict(status, body), Verdict::Bad, "{status} {body}");
            }
        }
    }

    #[test]
    fn code_and_msg_are_borrowed_unless_escaped() {
        let read = |body: &'static str| match serde_json::from_str::<RawEnvelope<'_>>(body) {
            Ok(envelope) => (matches!(envelope.code, Cow::Borrowed(_)), matches!(envelope.msg, Some(Cow::Borrowed(_)))),
            Err(error) => panic!("{body}: {error}"),
        };
        assert_eq!(read(r#"{"code":"0000","msg":"success"}"#), (true, true));
        assert_eq!(read(r#"{"code":"00\u0030","msg":"a \"b\""}"#), (false, false));
    }

    #[test]
    fn malformed_envelopes_are_bad_responses() {
        for body in [r#"{"code":"0000","msg":7}"#, r#"{"msg":"x"}"#, r#"{"code":"0000"}"#, "[]", "{"] {
            assert!(matches!(decode::<Data>(&response(body)), Err(Error::BadResponse { .. })), "{body}");
        }
    }

    /// A response with this status, declared type and body.
    fn answer(status: u16, content_type: Option<&str>, body: &[u8]) -> HttpResponse {
        HttpResponse { status, content_type: content_type.map(str::to_owned), body: body.to_vec() }
    }

    #[test]
    fn content_types_that_are_not_json_are_bad_responses() {
        let body = br#"{"code":"0000","data":{"amount":"1.50"}}"#;
        for (content_type, decoded) in [
            (None, true),
            (Some("application/json"), true),
            (Some("Application/JSON; charset=utf-8"), true),
            (Some("application/problem+json"), true),
            (Some("text/html"), false),
            (Some("text/plain"), false),
        ] {
            let result = decode::<Data>(&answer(200, content_type, body));
            assert_eq!(result.is_ok(), decoded, "{content_type:?}: {result:?}");
        }
        let mut oversized = br#"{"code":"0000","data":{"amount":"1.50"},"msg":""#.to_vec();
        oversized.resize(MAX_RESPONSE_BYTES, b'a');
        oversized.extend_from_slice(br#""}"#);
        assert!(matches!(decode::<Data>(&answer(200, None, &oversized)), Err(Error::BadResponse { .. })));
    }

    #[test]
    fn accepted_data_is_decoded() {
        let data = decode::<Data>(&response(r#"{"code":"0000","msg":"success","data":{"amount":"1.50"}}"#));
        assert_eq!(data.ok(), Some(Data { amount: DecimalText::parse("1.50").expect("a decimal") }));
    }
}
