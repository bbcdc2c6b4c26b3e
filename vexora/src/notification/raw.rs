//! The body as received: every top-level field, its key unescaped and its
//! value kept as raw JSON text, so that nothing is reformatted before it is
//! signed (`150.00` stays `150.00`).

use serde::de::IgnoredAny;

use super::members::{self, FieldValue, RawField};
use super::{NotificationError, MAX_BODY_BYTES};
use crate::signing::{CanonicalHasher, Signature};

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
        if body.iter().find(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r')) != Some(&b'{') {
            return Err(not_an_object(body));
        }
        // Inside an object, bytes that are not UTF-8 are refused by JSON
        // (in strings) or are not JSON at all (elsewhere).
        let text = std::str::from_utf8(body)
            .map_err(|error| NotificationError::NotJson { reason: format!("not UTF-8: {error}") })?;
        let mut fields = members::object_members(text)?;
        if let Some(index) = fields.iter().position(|field| !is_plain_key(&field.key)) {
            return Err(NotificationError::InvalidKey { position: index + 1 });
        }

        // Byte order of UTF-8 is code-point order, the order the rule signs in;
        // after sorting, a repeated key sits next to itself.
        fields.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        if let Some(pair) = fields.windows(2).find(|pair| pair[0].key == pair[1].key) {
            return Err(NotificationError::DuplicateKey { key: pair[0].key.clone().into_owned() });
        }
        Ok(Self { fields })
    }

    /// The fields in canonical (code-point) order of their keys.
    #[cfg(test)]
    pub(crate) fn fields(&self) -> &[RawField<'a>] {
        &self.fields
    }

    /// The fields in canonical order, to take their values without copying.
    pub(crate) fn into_fields(self) -> Vec<RawField<'a>> {
        self.fields
    }

    /// The field `key`, if present.
    fn get(&self, key: &str) -> Option<&RawField<'a>> {
        let index = self.fields.binary_search_by(|field| field.key.as_ref().cmp(key)).ok()?;
        self.fields.get(index)
    }

    /// The received `sign`, checked for form: a JSON string of 32 hex digits.
    pub(crate) fn sign(&self) -> Result<&str, NotificationError> {
        let field = self.get("sign").ok_or(NotificationError::MissingSign)?;
        let FieldValue::Text(sign) = &field.value else {
            return Err(NotificationError::MalformedSign);
        };
        if sign.len() != 32 || !sign.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(NotificationError::MalformedSign);
        }
        Ok(sign)
    }

    /// Every signed `(key, text)` pair in canonical order, `sign` left out.
    fn for_each_signed_pair(&self, mut visit: impl FnMut(&str, &str)) {
        for field in &self.fields {
            if let Some(text) = field.value.signed_text() {
                if field.key != "sign" {
                    visit(&field.key, text);
                }
            }
        }
    }

    /// The signature these fields should carry under `secret`.
    pub(crate) fn signature(&self, secret: &[u8]) -> Signature {
        let mut hasher = CanonicalHasher::new();
        self.for_each_signed_pair(|key, value| hasher.pair(key, value));
        hasher.finish(secret)
    }

    /// The canonical string (what is hashed before the secret is appended).
    pub(crate) fn canonical(&self) -> String {
        let mut canonical = String::new();
        self.for_each_signed_pair(|key, value| {
            canonical.push_str(key);
            canonical.push('=');
            canonical.push_str(value);
        });
        canonical
    }
}

/// Whether `key` is a plain name, `[A-Za-z0-9_]+`: the form of every field
/// the gateway documents, and one that cannot hide a `=`.
fn is_plain_key(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A body that is not an object: valid JSON of another type, or not JSON.
fn not_an_object(body: &[u8]) -> NotificationError {
    match serde_json::from_slice::<IgnoredAny>(body) {
        Ok(_) => NotificationError::NotAnObject,
        Err(error) => NotificationError::NotJson { reason: error.to_string() },
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

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
        assert_eq!(object.canonical(), "f=falsen=150.00s=a\"bt=true");
    }

    #[test]
    fn keys_must_be_plain_names() {
        for key in ["", "a=b", "status=0002tradeNo", "a b", "a-b", "a.b", "é", "a\\u0000"] {
            let body = format!(r#"{{"ok":"1","{key}":"2"}}"#);
            assert_eq!(
                RawObject::parse(body.as_bytes()).err(),
                Some(NotificationError::InvalidKey { position: 2 }),
                "{key:?}"
            );
        }
        // Escapes are read first: a plain name spelled with escapes is plain.
        assert_eq!(keys(r#"{"st\u0061tus":"1","_A9z":"2"}"#), ["_A9z", "status"]);
        // An escaped `=` is still a `=`.
        assert!(RawObject::parse(br#"{"a\u003db":"1"}"#).is_err());
    }

    #[test]
    fn deep_nesting_is_skipped_without_recursion() {
        let depth = 30_000; // 60 kB: under the size limit, far over any recursion limit
        let body = format!(r#"{{"deep":{}{},"a":"1"}}"#, "[".repeat(depth), "]".repeat(depth));
        let canonical = RawObject::parse(body.as_bytes()).map(|object| object.canonical());
        assert_eq!(canonical.as_deref(), Ok("a=1"));
        let top = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(RawObject::parse(top.as_bytes()).is_err());
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
