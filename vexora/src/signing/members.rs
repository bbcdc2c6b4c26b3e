//! A JSON object's top-level members, read by serde_json: each key
//! unescaped, each value's exact text kept (`RawValue`, so `150.00` stays
//! `150.00`), and the value read once for signing.
//!
//! Duplicate keys are all kept here and refused by the caller; nested
//! values are kept as text and never signed.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::borrowed::BorrowedText;

/// One top-level field.
pub(crate) struct RawField<'a> {
    /// The key, unescaped; borrowed from the body unless it had escapes.
    pub(crate) key: Cow<'a, str>,
    /// The value's exact JSON text.
    pub(crate) raw: &'a str,
    /// The value, read once while parsing: signing, the `sign` check and
    /// the typed view all use this reading.
    pub(crate) value: FieldValue<'a>,
}

/// A field value, read for signing.
pub(crate) enum FieldValue<'a> {
    /// A non-empty JSON string, unescaped.
    Text(Cow<'a, str>),
    /// A JSON number, as its original text.
    Number(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// `null` or `""`: left out of the signature, as if not sent.
    Absent,
    /// An object or an array: left out of the signature.
    Nested,
}

impl<'a> FieldValue<'a> {
    /// The text this value contributes to the signature, if any.
    pub(crate) fn signed_text(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            Self::Number(text) => Some(text),
            Self::Bool(true) => Some("true"),
            Self::Bool(false) => Some("false"),
            Self::Absent | Self::Nested => None,
        }
    }
}

/// The members of the object that is all of `text`, in the order received,
/// or why `text` is not exactly one JSON object.
pub(super) fn object_members(text: &str) -> Result<Vec<RawField<'_>>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let members = deserializer.deserialize_map(Members)?;
    deserializer.end()?;
    Ok(members)
}

/// Collects every member of a map, duplicates included.
struct Members;

impl<'de> Visitor<'de> for Members {
    type Value = Vec<RawField<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::with_capacity(12);
        while let Some(key) = map.next_key_seed(Text)? {
            let raw: &'de RawValue = map.next_value()?;
            let raw = raw.get();
            members.push(RawField { key, raw, value: read_value(raw).map_err(de::Error::custom)? });
        }
        Ok(members)
    }
}

/// A value read for signing from its exact JSON text.
fn read_value(raw: &str) -> Result<FieldValue<'_>, serde_json::Error> {
    Ok(match raw.as_bytes().first() {
        Some(b'"') => {
            let text = serde_json::Deserializer::from_str(raw).deserialize_str(BorrowedText)?;
            if text.is_empty() { FieldValue::Absent } else { FieldValue::Text(text) }
        }
        Some(b'n') => FieldValue::Absent,
        Some(b't') => FieldValue::Bool(true),
        Some(b'f') => FieldValue::Bool(false),
        Some(b'{' | b'[') => FieldValue::Nested,
        _ => FieldValue::Number(raw),
    })
}

/// A string, borrowed from the body unless it had escapes.
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(BorrowedText)
    }
}
