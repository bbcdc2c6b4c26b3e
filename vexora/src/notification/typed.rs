//! The typed view of a notification, built only after its signature checks out.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde_json::value::RawValue;

use super::error::NotificationError;
use crate::signing::{FieldValue, JsonObject};
use crate::types::{DecimalText, TradeNo, TradeStatus};

/// A payment notification whose signature has been verified.
///
/// Only [`verify`](super::verify) makes one, so holding a `Notification`
/// means the signed fields really come from the gateway.
///
/// Required fields (without them the notification cannot be matched to an
/// order or understood, and [`verify`](super::verify) returns
/// [`NotificationError::InvalidField`]): `tradeNo` and `status`, both
/// non-empty JSON strings. Every other field is optional, because the
/// gateway documents its notification fields only in part.
///
/// Fields this SDK does not name are kept too: signed scalars in
/// [`extra`](Notification::extra), objects and arrays in
/// [`unsigned`](Notification::unsigned). `null` and `""` mean "not sent".
///
/// `Serialize` writes it back as JSON under the wire names (for logs of
/// verified events and the CLI's `webhook verify`).
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Notification {
    /// `tradeNo`: your order number, as sent in the checkout. Required.
    pub trade_no: TradeNo,
    /// `platFormTradeNo`: Vexora's order number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plat_form_trade_no: Option<String>,
    /// `status`: the business outcome. Required. Unknown codes arrive as
    /// [`TradeStatus::Other`]; treat them as not paid.
    pub status: TradeStatus,
    /// `amount`: the amount actually paid, exactly as written on the wire
    /// (`"300.00"` or `150.00`; a JSON string or number). For `0001` it is
    /// the part paid. Use [`PayInNotification::settlement`](super::PayInNotification::settlement)
    /// or [`PayoutNotification::outcome`](super::PayoutNotification::outcome)
    /// rather than reading it directly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<DecimalText>,
    /// `message`: the gateway's description of the outcome.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `remark`: the checkout's `remark`, echoed back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// `successTime`: when the payment succeeded, in the gateway's local
    /// time and format, as received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_time: Option<String>,
    /// `timestamp`: as text, whether it arrived as a string or a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Every other string, number or boolean field, keyed by wire name.
    /// These are covered by the signature.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, ExtraValue>,
    /// Every object or array field, as its raw JSON text.
    ///
    /// **Not covered by the signature** (the signing rule leaves objects
    /// and arrays out), so anyone on the path could have changed them: do
    /// not base crediting on them.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub unsigned: BTreeMap<String, Box<RawValue>>,
}

impl Notification {
    /// Reads the typed fields of an object whose signature has been checked.
    pub(crate) fn from_verified(object: JsonObject<'_>) -> Result<Self, NotificationError> {
        let mut trade_no = None;
        let mut plat_form_trade_no = None;
        let mut status = None;
        let mut amount = None;
        let mut message = None;
        let mut remark = None;
        let mut success_time = None;
        let mut timestamp = None;
        let mut extra = BTreeMap::new();
        let mut unsigned = BTreeMap::new();

        for field in object.into_fields() {
            let value = field.value;
            match field.key.as_ref() {
                "sign" => {}
                "tradeNo" => trade_no = string("tradeNo", value)?.map(Cow::into_owned),
                "platFormTradeNo" => plat_form_trade_no = string("platFormTradeNo", value)?.map(Cow::into_owned),
                // Known codes need no copy of the text.
                "status" => status = string("status", value)?.map(|code| TradeStatus::from_code(&code)),
                "amount" => amount = decimal("amount", value)?,
                "message" => message = scalar_text("message", value)?,
                "remark" => remark = scalar_text("remark", value)?,
                "successTime" => success_time = scalar_text("successTime", value)?,
                "timestamp" => timestamp = scalar_text("timestamp", value)?,
                key => {
                    let extra_value = match value {
                        FieldValue::Text(text) => ExtraValue::String(text.into_owned()),
                        FieldValue::Number(text) => ExtraValue::Number(text.to_owned()),
                        FieldValue::Bool(flag) => ExtraValue::Bool(flag),
                        FieldValue::Absent => continue,
                        FieldValue::Nested => {
                            // The scanner checked this text is one JSON value.
                            let raw = RawValue::from_string(field.raw.to_owned())
                                .map_err(|error| NotificationError::NotJson { reason: error.to_string() })?;
                            unsigned.insert(key.to_owned(), raw);
                            continue;
                        }
                    };
                    extra.insert(key.to_owned(), extra_value);
                }
            }
        }

        let trade_no =
            trade_no.ok_or(NotificationError::InvalidField { field: "tradeNo", reason: "is missing or empty" })?;
        let status =
            status.ok_or(NotificationError::InvalidField { field: "status", reason: "is missing or empty" })?;
        Ok(Self {
            trade_no: TradeNo::new(trade_no),
            plat_form_trade_no,
            status,
            amount,
            message,
            remark,
            success_time,
            timestamp,
            extra,
            unsigned,
        })
    }
}

/// A field that must be a JSON string (identifiers and codes: a number
/// would already have lost leading zeros at the sender).
fn string<'a>(field: &'static str, value: FieldValue<'a>) -> Result<Option<Cow<'a, str>>, NotificationError> {
    match value {
        FieldValue::Text(text) => Ok(Some(text)),
        FieldValue::Absent => Ok(None),
        FieldValue::Number(_) | FieldValue::Bool(_) | FieldValue::Nested => {
            Err(NotificationError::InvalidField { field, reason: "must be a JSON string" })
        }
    }
}

/// A descriptive field: any scalar is taken as its wire text, since the
/// documents disagree on such types (a `timestamp` is a string or a number).
fn scalar_text(field: &'static str, value: FieldValue<'_>) -> Result<Option<String>, NotificationError> {
    match value {
        FieldValue::Nested => {
            Err(NotificationError::InvalidField { field, reason: "must be a string, number or boolean" })
        }
        value => Ok(value.signed_text().map(str::to_owned)),
    }
}

/// An amount: a JSON number or a string, in plain decimal form either way.
fn decimal(field: &'static str, value: FieldValue<'_>) -> Result<Option<DecimalText>, NotificationError> {
    let text = match &value {
        FieldValue::Text(text) => text.as_ref(),
        FieldValue::Number(text) => text,
        FieldValue::Absent => return Ok(None),
        FieldValue::Bool(_) | FieldValue::Nested => {
            return Err(NotificationError::InvalidField { field, reason: "must be a decimal number or string" });
        }
    };
    DecimalText::parse(text)
        .map(Some)
        .ok_or(NotificationError::InvalidField { field, reason: "is not a plain decimal number" })
}

/// A field the SDK does not name, as received (its signed form).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExtraValue {
    /// A JSON string, unescaped.
    String(String),
    /// A JSON number, as its original text (`300.0000` keeps its zeros).
    Number(String),
    /// A JSON boolean.
    Bool(bool),
}

impl ExtraValue {
    /// The text the signature covers: the string itself, the number's
    /// original text, or `true`/`false`.
    pub fn as_signed_text(&self) -> &str {
        match self {
            Self::String(text) | Self::Number(text) => text,
            Self::Bool(true) => "true",
            Self::Bool(false) => "false",
        }
    }
}

impl serde::Serialize for ExtraValue {
    /// As received: a string, a number with its original text, a boolean.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::String(text) => serializer.serialize_str(text),
            Self::Bool(flag) => serializer.serialize_bool(*flag),
            Self::Number(text) => match RawValue::from_string(text.clone()) {
                Ok(raw) => raw.serialize(serializer),
                // Only verified number text is stored here; should it ever not
                // be valid JSON, keep the text rather than fail the whole write.
                Err(_) => serializer.serialize_str(text),
            },
        }
    }
}

impl fmt::Display for ExtraValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_signed_text())
    }
}
