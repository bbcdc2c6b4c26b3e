//! The gateway's answer envelope and the sandbox's own refusal codes.
//!
//! The provider's error-code table is not public, so the
//! 9xxx codes are the sandbox's invention, documented in the crate's README.
//! Refusals are answered with HTTP 200, as the gateway answers in envelopes.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::value::{RawValue, to_raw_value};

use crate::book::refusals::{Reason, Refused};

/// A top-level `code` the sandbox answers with. The 9xxx codes are
/// **sandbox codes**: the real gateway's table is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SandboxCode {
    /// `0000`: the request was accepted.
    Accepted,
    /// `5000`: system exception; only sent when a fault asks for it.
    SystemException,
    /// `9001`: the `merchantNo` header is missing or names no merchant.
    UnknownMerchant,
    /// `9002`: `sign` is missing or does not match.
    BadSignature,
    /// `9003`: `timestamp` is missing, not milliseconds, or too far from
    /// the sandbox's clock.
    StaleTimestamp,
    /// `9004`: a field breaks a rule of the endpoint's spec, or is unknown.
    InvalidField,
    /// `9005`: the merchant already used this `tradeNo`.
    DuplicateTradeNo,
    /// `9006`: the payer's IP already has 10 orders today.
    IpDailyOrderLimit,
    /// `9007`: the payer's IP already has 3 successful orders today.
    IpSuccessLimit,
    /// `9008`: no order with this `tradeNo` for this merchant.
    OrderNotFound,
    /// `9009`: the body is not a JSON object of scalar values, or is not
    /// sent as `application/json`.
    MalformedBody,
    /// `9011`: a payout larger than the merchant's available balance. The
    /// sandbox's own code: the provider documents no such refusal.
    InsufficientBalance,
    /// `9012`: an amount the merchant's balance could not hold (it would
    /// pass the largest amount the sandbox keeps, 184467440737095516.15).
    /// The sandbox's own code; nothing changes.
    AmountOverflow,
}

impl SandboxCode {
    /// The code as it travels in the envelope.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "0000",
            Self::SystemException => "5000",
            Self::UnknownMerchant => "9001",
            Self::BadSignature => "9002",
            Self::StaleTimestamp => "9003",
            Self::InvalidField => "9004",
            Self::DuplicateTradeNo => "9005",
            Self::IpDailyOrderLimit => "9006",
            Self::IpSuccessLimit => "9007",
            Self::OrderNotFound => "9008",
            Self::MalformedBody => "9009",
            Self::InsufficientBalance => "9011",
            Self::AmountOverflow => "9012",
        }
    }
}

/// Why a request was refused: a code and a message naming the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) code: SandboxCode,
    pub(crate) message: String,
}

impl Refusal {
    pub(crate) fn new(code: SandboxCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

impl From<Refused> for Refusal {
    fn from(refused: Refused) -> Self {
        let code = match refused.reason {
            Reason::DuplicateTradeNo => SandboxCode::DuplicateTradeNo,
            Reason::IpDailyOrderLimit => SandboxCode::IpDailyOrderLimit,
            Reason::IpSuccessLimit => SandboxCode::IpSuccessLimit,
            Reason::InsufficientBalance => SandboxCode::InsufficientBalance,
            Reason::AmountOverflow => SandboxCode::AmountOverflow,
        };
        Self::new(code, refused.message)
    }
}

/// The envelope, members in the order of the provider's examples.
#[derive(Serialize)]
struct Envelope<'a> {
    msg: &'a str,
    code: &'a str,
    timestamp: i64,
    success: bool,
    data: Option<&'a RawValue>,
}

/// `{"msg":"success","code":"0000","timestamp":…,"success":true,"data":…}`.
pub(crate) fn accepted(data: &RawValue, now_ms: i64) -> Response {
    envelope("success", SandboxCode::Accepted.as_str(), now_ms, Some(data))
}

/// The envelope of a refusal, with HTTP 200 like the gateway's.
pub(crate) fn refused(refusal: &Refusal, now_ms: i64) -> Response {
    envelope(&refusal.message, refusal.code.as_str(), now_ms, None)
}

/// An envelope with any code (the fault switch's `gateway_code`).
pub(crate) fn with_code(code: &str, message: &str, now_ms: i64) -> Response {
    envelope(message, code, now_ms, None)
}

fn envelope(msg: &str, code: &str, now_ms: i64, data: Option<&RawValue>) -> Response {
    let success = code == SandboxCode::Accepted.as_str();
    let envelope = Envelope { msg, code, timestamp: now_ms, success, data };
    // Strings, numbers and already valid JSON: this cannot fail.
    let body = serde_json::to_string(&envelope).unwrap_or_default();
    with_json_type((StatusCode::OK, body).into_response())
}

fn with_json_type(mut response: Response) -> Response {
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// At most 40 characters of a received value, for messages.
pub(crate) fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// `data` as JSON, members in declaration order.
pub(crate) fn data<T: Serialize>(data: &T) -> Result<Box<RawValue>, Refusal> {
    to_raw_value(data).map_err(|error| Refusal::new(SandboxCode::SystemException, format!("sandbox error: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct() {
        let all = [
            SandboxCode::Accepted,
            SandboxCode::SystemException,
            SandboxCode::UnknownMerchant,
            SandboxCode::BadSignature,
            SandboxCode::StaleTimestamp,
            SandboxCode::InvalidField,
            SandboxCode::DuplicateTradeNo,
            SandboxCode::IpDailyOrderLimit,
            SandboxCode::IpSuccessLimit,
            SandboxCode::OrderNotFound,
            SandboxCode::MalformedBody,
            SandboxCode::InsufficientBalance,
        ];
        let mut texts: Vec<_> = all.iter().map(|code| code.as_str()).collect();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), all.len());
    }
}
