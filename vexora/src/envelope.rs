//! The response envelope `{msg, code, timestamp, success, data}` and its
//! decoding into an endpoint's typed `data`.

use serde::de::DeserializeOwned;
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
#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(default)]
    msg: Option<String>,
    #[serde(deserialize_with = "code_text")]
    code: String,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

/// `code` as text, whether the gateway sent `"0000"` or a number.
fn code_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let raw = <&RawValue>::deserialize(deserializer)?;
    let text = raw.get();
    if text.starts_with('"') {
        serde_json::from_str(text).map_err(serde::de::Error::custom)
    } else {
        Ok(text.to_owned())
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
        return Err(Error::Refused { code: envelope.code, msg: envelope.msg.unwrap_or_default() });
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
