//! The response envelope `{msg, code, timestamp, success, data}` and its
//! decoding into an endpoint's typed `data`.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeOwned, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::Error;
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

/// Reads a string without copying it unless it has escapes.
struct BorrowedText;

impl<'de> Visitor<'de> for BorrowedText {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.to_owned()))
    }
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

/// The envelope of an accepted response read with its `data` in the same
/// pass: what [`decode`] tries first.
#[derive(Deserialize)]
struct Accepted<'a, T> {
    // Not used, but read exactly as `RawEnvelope` reads it, so that a body
    // this accepts is one the two-step reading accepts too.
    #[serde(rename = "msg", borrow, default, deserialize_with = "optional_text")]
    _msg: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "code_text")]
    code: Cow<'a, str>,
    #[serde(default = "none")]
    data: Option<T>,
}

/// `data` missing: `#[serde(default)]` would require `T: Default`.
fn none<T>() -> Option<T> {
    None
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
/// An accepted response is read in one pass, its `data` straight into `T`.
/// Anything else is read again in two steps, envelope then `data`, which
/// says what is wrong. The one pass only ever returns what the two steps
/// would (`one_pass_agrees_with_two_steps`).
pub fn decode<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, Error> {
    if response.body.len() <= MAX_RESPONSE_BYTES && declares_json_or_nothing(response) && is_success(response) {
        // One UTF-8 check of the whole body: serde_json reading bytes
        // checks each string on its own, a fifth of the decoding time.
        let accepted = std::str::from_utf8(&response.body).ok().map(serde_json::from_str::<Accepted<'_, T>>);
        if let Some(Ok(Accepted { code, data: Some(data), .. })) = accepted {
            if code == ACCEPTED {
                return Ok(data);
            }
        }
    }
    decode_in_two_steps(response)
}

/// [`decode`] by the status, the envelope, then `data`: every outcome explained.
fn decode_in_two_steps<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, Error> {
    let bad = |reason: String| Error::BadResponse { status: response.status, reason, excerpt: excerpt(&response.body) };
    if !is_success(response) {
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
    serde_json::from_str(data.get()).map_err(|e| bad(format!("unexpected data: {e}")))
}

/// A missing `Content-Type` is tolerated (the gateway's is undocumented);
/// a declared non-JSON one (an HTML error page, plain text) is not.
fn declares_json_or_nothing(response: &HttpResponse) -> bool {
    response.content_type.as_deref().is_none_or(|content_type| {
        content_type == "application/json"
            || content_type.as_bytes().windows(4).any(|word| word.eq_ignore_ascii_case(b"json"))
    })
}

fn is_success(response: &HttpResponse) -> bool {
    (200..300).contains(&response.status)
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

    /// `decode` (one pass, two steps when that does not succeed) against
    /// the two steps alone: the one pass may only ever shorten the way.
    fn assert_one_pass_agrees(response: &HttpResponse) {
        #[derive(Debug, Deserialize, PartialEq)]
        struct Order {
            amount: DecimalText,
            #[serde(default)]
            note: Option<String>,
        }
        let one_pass = format!("{:?}", decode::<Order>(response));
        let two_steps = format!("{:?}", decode_in_two_steps::<Order>(response));
        assert_eq!(one_pass, two_steps, "{:?} {}", response.status, String::from_utf8_lossy(&response.body));
    }

    #[test]
    fn one_pass_agrees_with_two_steps() {
        let bodies: &[&[u8]] = &[
            br#"{"msg":"success","code":"0000","timestamp":1,"success":true,"data":{"amount":"1.50","note":"a\"b"}}"#,
            br#"{"data":{"amount":"1.50"},"code":"0000"}"#,
            br#"{"code":0,"data":{"amount":"1.50"}}"#,
            br#"{"code":8000,"data":{"amount":"1.50"}}"#,
            br#"{"code":"0000","msg":null,"data":{"amount":"1.50","amount":"2"}}"#,
            br#"{"code":"0000","data":{"amount":"1.50"},"data":{"amount":"1.50"}}"#,
            br#"{"code":"0000","code":"0000","data":{"amount":"1.50"}}"#,
            br#"{"code":"0000","msg":7,"data":{"amount":"1.50"}}"#,
            br#"{"code":"0000","data":null}"#,
            br#"{"code":"0000"}"#,
            br#"{"code":"0000","data":{"amount":"x"}}"#,
            br#"{"code":"0000","data":[1]}"#,
            br#"{"code":"8000","msg":"sign error","data":{"amount":"1.50"}}"#,
            br#"{"code":"8000","data":"not an order"}"#,
            br#"{"code":"0000","data":{"amount":"1.50"}} trailing"#,
            b"{\"code\":\"0000\",\"data\":{\"amount\":\"1.50\",\"note\":\"\xff\"}}",
            b"",
            b"<html>",
        ];
        for body in bodies {
            for status in [200, 201, 299, 300, 400, 500] {
                for content_type in
                    [None, Some("application/json"), Some("Application/JSON; charset=utf-8"), Some("text/html")]
                {
                    assert_one_pass_agrees(&answer(status, content_type, body));
                }
            }
        }
        let mut oversized = br#"{"code":"0000","data":{"amount":"1.50","note":""#.to_vec();
        oversized.resize(MAX_RESPONSE_BYTES, b'a');
        oversized.extend_from_slice(br#""}}"#);
        assert_one_pass_agrees(&answer(200, None, &oversized));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]

        #[test]
        fn one_pass_agrees_with_two_steps_on_mutated_bodies(
            code in proptest::sample::select(vec![r#""0000""#, "0", r#""8000""#, "null", r#""00\u0030""#]),
            data in proptest::sample::select(vec![
                r#"{"amount":"1.50"}"#, r#"{"amount":"1.50","note":"n"}"#, r#"{"note":"n"}"#,
                "null", r#""1.50""#, r#"{"amount":1.5}"#, r#"{"amount":"1.50","x":[{}]}"#,
            ]),
            at in proptest::prelude::any::<proptest::sample::Index>(),
            byte in proptest::prelude::any::<u8>(),
            edit in 0..4u8,
            status in proptest::sample::select(vec![200u16, 202, 404, 502]),
        ) {
            let mut body = format!(r#"{{"msg":"m","code":{code},"timestamp":1,"data":{data}}}"#).into_bytes();
            assert_one_pass_agrees(&answer(status, Some("application/json"), &body));
            let index = at.index(body.len());
            crate::mutation::edit_one_byte(&mut body, index, byte, edit);
            assert_one_pass_agrees(&answer(status, Some("application/json"), &body));
        }
    }

    #[test]
    fn accepted_data_is_decoded() {
        let data = decode::<Data>(&response(r#"{"code":"0000","msg":"success","data":{"amount":"1.50"}}"#));
        assert_eq!(data.ok(), Some(Data { amount: DecimalText::parse("1.50").expect("a decimal") }));
    }
}
