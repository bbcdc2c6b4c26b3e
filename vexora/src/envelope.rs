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

/// `code` as text, whether the gateway sent `"0000"` or a number.
fn code_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Cow<'de, str>, D::Error> {
    let raw = <&RawValue>::deserialize(deserializer)?;
    let text = raw.get();
    if text.starts_with('"') {
        serde::Deserializer::deserialize_str(raw, BorrowedText).map_err(serde::de::Error::custom)
    } else {
        Ok(Cow::Borrowed(text))
    }
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

/// Decodes a response into `T`: the envelope first, a refusal as
/// [`Error::Refused`], then `data`.
pub fn decode<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, Error> {
    let bad = |reason: String| Error::BadResponse { status: response.status, reason, excerpt: excerpt(&response.body) };
    if response.body.len() > MAX_RESPONSE_BYTES {
        return Err(bad(format!("larger than {MAX_RESPONSE_BYTES} bytes")));
    }
    if let Some(content_type) = &response.content_type {
        // A missing type is tolerated (the gateway's is undocumented); a
        // declared non-JSON one (an HTML error page, plain text) is not.
        if !content_type.to_ascii_lowercase().contains("json") {
            return Err(bad(format!("Content-Type {content_type:?} is not JSON")));
        }
    }
    let envelope: RawEnvelope<'_> =
        serde_json::from_slice(&response.body).map_err(|e| bad(format!("not a gateway envelope: {e}")))?;
    if envelope.code != ACCEPTED {
        return Err(Error::Refused {
            code: envelope.code.into_owned(),
            msg: envelope.msg.map(Cow::into_owned).unwrap_or_default(),
        });
    }
    if !(200..300).contains(&response.status) {
        return Err(bad(format!("code {ACCEPTED} with HTTP status {}", response.status)));
    }
    let data = envelope.data.ok_or_else(|| bad("code 0000 without data".to_owned()))?;
    serde_json::from_str(data.get()).map_err(|e| bad(format!("unexpected data: {e}")))
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
    fn refusals_keep_code_and_message_in_every_form() {
        let refused = |body: &str| match decode::<Data>(&response(body)) {
            Err(Error::Refused { code, msg }) => (code, msg),
            other => panic!("{body}: expected a refusal, got {other:?}"),
        };
        assert_eq!(refused(r#"{"code":"8000","msg":"sign error"}"#), ("8000".into(), "sign error".into()));
        assert_eq!(refused(r#"{"code":8000,"msg":null}"#), ("8000".into(), String::new()));
        assert_eq!(
            refused(r#"{"code":"80\u0030","msg":"a \"quoted\" word"}"#),
            ("800".into(), "a \"quoted\" word".into())
        );
        assert_eq!(refused(r#"{"code":"9001"}"#), ("9001".into(), String::new()));
    }

    #[test]
    fn code_and_msg_are_borrowed_unless_escaped() {
        let read = |body: &'static str| match serde_json::from_str::<RawEnvelope<'_>>(body) {
            Ok(envelope) => (matches!(envelope.code, Cow::Borrowed(_)), matches!(envelope.msg, Some(Cow::Borrowed(_)))),
            Err(error) => panic!("{body}: {error}"),
        };
        assert_eq!(read(r#"{"code":"0000","msg":"success"}"#), (true, true));
        assert_eq!(read(r#"{"code":0,"msg":"success"}"#), (true, true));
        assert_eq!(read(r#"{"code":"00\u0030","msg":"a \"b\""}"#), (false, false));
    }

    #[test]
    fn malformed_envelopes_are_bad_responses() {
        for body in [r#"{"code":"0000","msg":7}"#, r#"{"msg":"x"}"#, r#"{"code":"0000"}"#, "[]", "{"] {
            assert!(matches!(decode::<Data>(&response(body)), Err(Error::BadResponse { .. })), "{body}");
        }
    }

    #[test]
    fn accepted_data_is_decoded() {
        let data = decode::<Data>(&response(r#"{"code":"0000","msg":"success","data":{"amount":"1.50"}}"#));
        assert_eq!(data.ok(), Some(Data { amount: DecimalText::parse("1.50").expect("a decimal") }));
    }
}
