//! The body as received: every top-level field, its key unescaped and its
//! value kept as raw JSON text, so that nothing is reformatted before it is
//! signed (`150.00` stays `150.00`).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::error::Category;
use serde_json::value::RawValue;

use super::{NotificationError, MAX_BODY_BYTES};
use crate::signing::{CanonicalHasher, Signature};
use crate::wire::any_escape;

/// One top-level field.
pub(crate) struct RawField<'a> {
    /// The key, unescaped; borrowed from the body unless it had escapes.
    pub(crate) key: Cow<'a, str>,
    /// The value's exact JSON text.
    pub(crate) value: &'a RawValue,
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
    /// Reads a raw value. Only an escaped string allocates.
    pub(crate) fn of(raw: &'a RawValue) -> Result<Self, NotificationError> {
        let text = raw.get();
        Ok(match text.as_bytes().first() {
            Some(b'"') => match unescape_string(text)? {
                value if value.is_empty() => Self::Absent,
                value => Self::Text(value),
            },
            Some(b't') => Self::Bool(true),
            Some(b'f') => Self::Bool(false),
            Some(b'n') => Self::Absent,
            Some(b'{' | b'[') => Self::Nested,
            // The parser accepted it as a value, so anything else is a number.
            _ => Self::Number(text),
        })
    }

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

/// The value of a JSON string literal (quotes included in `literal`).
fn unescape_string(literal: &str) -> Result<Cow<'_, str>, NotificationError> {
    let inner = literal.strip_prefix('"').and_then(|rest| rest.strip_suffix('"'));
    match inner {
        // Without a backslash the literal's content is the value itself.
        // The parser has already refused raw control characters and bare
        // quotes inside a string, so the word-at-a-time escape test is a
        // backslash test here (and were it ever more, the slow path below
        // would still give the right value).
        Some(inner) if !any_escape(inner.as_bytes()) => Ok(Cow::Borrowed(inner)),
        _ => serde_json::from_str::<String>(literal)
            .map(Cow::Owned)
            .map_err(|error| NotificationError::NotJson { reason: error.to_string() }),
    }
}

/// Code-point order of two keys (byte order of their UTF-8).
///
/// Notification keys mostly differ in their first byte, so that byte is
/// compared first, inline; a whole-key comparison is a `memcmp` call.
#[inline]
fn key_order(a: &str, b: &str) -> Ordering {
    match (a.as_bytes().first(), b.as_bytes().first()) {
        (Some(x), Some(y)) if x != y => x.cmp(y),
        _ => a.cmp(b),
    }
}

/// Every top-level field, sorted by key in code-point order, keys unique.
pub(crate) struct RawObject<'a> {
    fields: Vec<RawField<'a>>,
}

impl<'a> RawObject<'a> {
    /// Parses a body: size limit first, then JSON, then key uniqueness.
    pub(crate) fn parse(body: &'a [u8]) -> Result<Self, NotificationError> {
        if body.len() > MAX_BODY_BYTES {
            return Err(NotificationError::TooLarge { len: body.len(), max: MAX_BODY_BYTES });
        }
        // One UTF-8 check of the whole body spares serde_json one per key
        // and per value (a tenth of `verify`). Same parser either way; a body
        // that is not UTF-8 takes the byte path, whose error is the one
        // reported.
        let mut fields = match std::str::from_utf8(body) {
            Ok(text) => read_object(body, serde_json::Deserializer::from_str(text))?,
            Err(_) => read_object(body, serde_json::Deserializer::from_slice(body))?,
        };

        // Byte order of UTF-8 is code-point order, the order the rule signs in;
        // after sorting, a repeated key sits next to itself.
        fields.sort_unstable_by(|a, b| key_order(&a.key, &b.key));
        if let Some(pair) = fields.windows(2).find(|pair| pair[0].key == pair[1].key) {
            return Err(NotificationError::DuplicateKey { key: pair[0].key.clone().into_owned() });
        }
        Ok(Self { fields })
    }

    /// The fields in canonical (code-point) order of their keys.
    pub(crate) fn fields(&self) -> &[RawField<'a>] {
        &self.fields
    }

    /// The raw value of `key`, if present.
    pub(crate) fn get(&self, key: &str) -> Option<&'a RawValue> {
        let index = self.fields.binary_search_by(|field| key_order(&field.key, key)).ok()?;
        self.fields.get(index).map(|field| field.value)
    }

    /// The received `sign`, checked for form: a JSON string of 32 hex digits.
    pub(crate) fn sign(&self) -> Result<Cow<'a, str>, NotificationError> {
        let raw = self.get("sign").ok_or(NotificationError::MissingSign)?;
        let sign = match FieldValue::of(raw)? {
            FieldValue::Text(sign) => sign,
            _ => return Err(NotificationError::MalformedSign),
        };
        if sign.len() != 32 || !sign.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(NotificationError::MalformedSign);
        }
        Ok(sign)
    }

    /// Every signed `(key, text)` pair in canonical order, `sign` left out.
    pub(crate) fn for_each_signed_pair(&self, mut visit: impl FnMut(&str, &str)) -> Result<(), NotificationError> {
        for field in &self.fields {
            if field.key == "sign" {
                continue;
            }
            if let Some(text) = FieldValue::of(field.value)?.signed_text() {
                visit(&field.key, text);
            }
        }
        Ok(())
    }

    /// The signature these fields should carry under `secret`.
    pub(crate) fn signature(&self, secret: &[u8]) -> Result<Signature, NotificationError> {
        let mut hasher = CanonicalHasher::new();
        self.for_each_signed_pair(|key, value| hasher.pair(key, value))?;
        Ok(hasher.finish(secret))
    }

    /// The canonical string (what is hashed before the secret is appended).
    pub(crate) fn canonical(&self) -> Result<String, NotificationError> {
        let mut canonical = String::new();
        self.for_each_signed_pair(|key, value| {
            canonical.push_str(key);
            canonical.push('=');
            canonical.push_str(value);
        })?;
        Ok(canonical)
    }
}

/// The top-level object's fields in the order received, and nothing after it.
fn read_object<'a, R: serde_json::de::Read<'a>>(
    body: &[u8],
    mut deserializer: serde_json::Deserializer<R>,
) -> Result<Vec<RawField<'a>>, NotificationError> {
    let fields = match (&mut deserializer).deserialize_map(ObjectVisitor) {
        Ok(fields) => fields,
        Err(error) => return Err(parse_error(body, &error)),
    };
    deserializer.end().map_err(|error| NotificationError::NotJson { reason: error.to_string() })?;
    Ok(fields)
}

/// Tells "valid JSON, but not an object" from "not JSON at all".
fn parse_error(body: &[u8], error: &serde_json::Error) -> NotificationError {
    // A type error is the only data error the object visitor can cause; the
    // parser reports it as soon as it sees the first byte of a non-object,
    // so whether the rest is JSON has to be checked separately.
    if error.classify() == Category::Data && serde_json::from_slice::<IgnoredAny>(body).is_ok() {
        return NotificationError::NotAnObject;
    }
    NotificationError::NotJson { reason: error.to_string() }
}

/// Collects the fields of the top-level object, in the order received.
struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Vec<RawField<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Notifications have about ten fields; start there to avoid regrowing.
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(12));
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value: &'de RawValue = map.next_value()?;
            fields.push(RawField { key, value });
        }
        Ok(fields)
    }
}

/// Reads a key without copying it unless it had escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }

    fn visit_string<E>(self, key: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(body: &str) -> Vec<String> {
        match RawObject::parse(body.as_bytes()) {
            Ok(object) => object.fields().iter().map(|field| field.key.to_string()).collect(),
            Err(error) => vec![format!("error: {error}")],
        }
    }

    #[test]
    fn keys_are_sorted_by_code_point_and_unescaped() {
        assert_eq!(keys(r#"{"b":1,"a\u0042":2,"B":3,"aA":4}"#), ["B", "aA", "aB", "b"]);
    }

    #[test]
    fn keys_without_escapes_are_borrowed() {
        let body = br#"{"tradeNo":"1","st\u0061tus":"2"}"#;
        let Ok(object) = RawObject::parse(body) else { panic!("valid body refused") };
        let borrowed: Vec<_> = object.fields().iter().map(|f| matches!(f.key, Cow::Borrowed(_))).collect();
        assert_eq!(borrowed, [false, true]);
    }

    #[test]
    fn duplicate_keys_are_found_even_when_spelled_differently() {
        let error = RawObject::parse(br#"{"a":"1","b":"2","\u0061":"1"}"#).err();
        assert_eq!(error, Some(NotificationError::DuplicateKey { key: "a".into() }));
    }

    #[test]
    fn values_keep_their_text() {
        let body = br#"{"n": 150.00 ,"s":"a\"b","e":"","z":null,"t":true,"f":false,"o":{"x":1},"l":[1]}"#;
        let Ok(object) = RawObject::parse(body) else { panic!("valid body refused") };
        assert_eq!(object.canonical().ok().as_deref(), Some("f=falsen=150.00s=a\"bt=true"));
    }

    #[test]
    fn deep_nesting_is_skipped_without_recursion() {
        let depth = 30_000; // 60 kB: under the size limit, far over any recursion limit
        let body = format!(r#"{{"deep":{}{},"a":"1"}}"#, "[".repeat(depth), "]".repeat(depth));
        let canonical = RawObject::parse(body.as_bytes()).and_then(|object| object.canonical());
        assert_eq!(canonical.as_deref(), Ok("a=1"));
        let top = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(RawObject::parse(top.as_bytes()).is_err());
    }

    #[test]
    fn the_text_path_reads_and_refuses_exactly_like_the_byte_path() {
        let bodies: [&[u8]; 12] = [
            br#"{"tradeNo":"T1","amount":150.00,"s":"a\"b\u00e9","t":true,"o":{"x":[1]},"z":null}"#,
            "{\"name\":\"台北\",\"k\\u0041\":\"v\"}".as_bytes(),
            b"{}",
            b"",
            b"{",
            b"{} x",
            b"[1]",
            b"{\"a\":01}",
            b"{\"a\":\"\x01\"}",
            br#"{"a":"\ud800"}"#,
            br#"{"a":"\q"}"#,
            b"{\"a\":1,}",
        ];
        let read = |result: Result<Vec<RawField<'_>>, NotificationError>| {
            result
                .map(|fields| fields.iter().map(|f| (f.key.to_string(), f.value.get().to_owned())).collect::<Vec<_>>())
        };
        for body in bodies {
            assert!(std::str::from_utf8(body).is_ok());
            let by_text = read(RawObject::parse(body).map(|object| object.fields));
            let mut by_bytes = read(read_object(body, serde_json::Deserializer::from_slice(body)));
            if let Ok(fields) = &mut by_bytes {
                fields.sort();
            }
            assert_eq!(by_text, by_bytes, "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn refusals() {
        let not_json = |body: &[u8]| matches!(RawObject::parse(body).err(), Some(NotificationError::NotJson { .. }));
        assert!(not_json(b""));
        assert!(not_json(b"{"));
        assert!(not_json(b"{} x"));
        assert!(not_json(b"{}{}"));
        assert!(not_json(b"[1,"));
        assert!(not_json(b"{\"a\":\"\xff\"}"));
        assert!(not_json(b"{\"a\":01}"));
        for body in [&b"[]"[..], b"\"text\"", b"1", b"null", b" true "] {
            assert_eq!(RawObject::parse(body).err(), Some(NotificationError::NotAnObject), "{body:?}");
        }
    }
}
