//! A notification's top-level members, read by serde_json: each key
//! unescaped, each value's exact text kept (`RawValue`, so `150.00` stays
//! `150.00`), and the value read once for signing.
//!
//! Duplicate keys are all kept here and refused by the caller; nested
//! values are kept as text and never signed.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::raw::{FieldValue, RawField};
use super::NotificationError;
use crate::borrowed::BorrowedText;

/// The members of the object that is all of `text`, in the order received;
/// anything that is not exactly one JSON object is
/// [`NotificationError::NotJson`].
pub(super) fn object_members(text: &str) -> Result<Vec<RawField<'_>>, NotificationError> {
    let not_json = |error: serde_json::Error| NotificationError::NotJson { reason: error.to_string() };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let members = deserializer.deserialize_map(Members).map_err(not_json)?;
    deserializer.end().map_err(not_json)?;
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
            if text.is_empty() {
                FieldValue::Absent
            } else {
                FieldValue::Text(text)
            }
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
