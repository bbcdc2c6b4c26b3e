//! Any JSON object, signed as it was received: every top-level field, its
//! key unescaped and its value kept as its exact JSON text, so that nothing
//! is reformatted before it is signed (`150.00` stays `150.00`).

use std::fmt;

use serde::de::IgnoredAny;

use super::hasher::{CanonicalHasher, Signature};
use super::members::{self, RawField};

/// A JSON object ready to sign: every top-level field, sorted by key in
/// code-point order, keys unique and plain.
///
/// The signature covers what was received, fields this SDK does not know
/// included, and numbers as their original text. Objects and arrays are
/// kept out of the signature, as the rule says.
///
/// ```
/// use vexora::signing::{JsonError, JsonObject};
///
/// let body = br#"{"tradeNo":"X9","amount":150.00,"details":[{"a":1}],"remark":"","sign":"ignored"}"#;
/// let object = JsonObject::parse(body)?;
/// assert_eq!(object.canonical(), "amount=150.00tradeNo=X9");
/// assert_eq!(object.signature(b"k"), vexora::signing::sign_pairs([("tradeNo", "X9"), ("amount", "150.00")], b"k"));
///
/// let error = JsonObject::parse(br#"{"amount":"1","amount":"2"}"#).unwrap_err();
/// assert_eq!(error.to_string(), "field `amount` appears more than once");
/// # Ok::<(), JsonError>(())
/// ```
pub struct JsonObject<'a> {
    fields: Vec<RawField<'a>>,
}

impl fmt::Debug for JsonObject<'_> {
    // The values may be a payer's data: show the keys alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = self.fields.iter().map(|field| field.key.as_ref()).collect();
        f.debug_struct("JsonObject").field("keys", &keys).finish_non_exhaustive()
    }
}

impl<'a> JsonObject<'a> {
    /// Reads `body`: one JSON object, its top-level keys plain names
    /// (`[A-Za-z0-9_]+`, which cannot hide a `=`) and each given once.
    pub fn parse(body: &'a [u8]) -> Result<Self, JsonError> {
        if body.iter().find(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r')) != Some(&b'{') {
            return Err(not_an_object(body));
        }
        // Inside an object, bytes that are not UTF-8 are refused by JSON
        // (in strings) or are not JSON at all (elsewhere).
        let text =
            std::str::from_utf8(body).map_err(|error| JsonError::NotJson { reason: format!("not UTF-8: {error}") })?;
        let mut fields =
            members::object_members(text).map_err(|error| JsonError::NotJson { reason: error.to_string() })?;
        if let Some(position) = fields.iter().position(|field| !is_plain_key(&field.key)) {
            let key = fields.swap_remove(position).key.into_owned();
            return Err(JsonError::InvalidKey { position: position + 1, key });
        }

        // Byte order of UTF-8 is code-point order, the order the rule signs in;
        // after sorting, a repeated key sits next to itself.
        fields.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        if let Some(pair) = fields.windows(2).find(|pair| pair[0].key == pair[1].key) {
            return Err(JsonError::DuplicateKey { key: pair[0].key.clone().into_owned() });
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
    pub(crate) fn get(&self, key: &str) -> Option<&RawField<'a>> {
        let index = self.fields.binary_search_by(|field| field.key.as_ref().cmp(key)).ok()?;
        self.fields.get(index)
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

    /// The signature these fields should carry under `secret` (a `sign`
    /// among them is left out).
    pub fn signature(&self, secret: &[u8]) -> Signature {
        let mut hasher = CanonicalHasher::new();
        self.for_each_signed_pair(|key, value| hasher.pair(key, value));
        hasher.finish(secret)
    }

    /// The canonical string: the signed `key=value` pairs in order, before
    /// the secret is appended (a `sign` among them is left out).
    ///
    /// A debugging aid for signature mismatches, to compare with what the
    /// other side signed; it holds the payer's data, so never log it in
    /// production.
    pub fn canonical(&self) -> String {
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
fn not_an_object(body: &[u8]) -> JsonError {
    match serde_json::from_slice::<IgnoredAny>(body) {
        Ok(_) => JsonError::NotAnObject,
        Err(error) => JsonError::NotJson { reason: error.to_string() },
    }
}

/// Why a body cannot be signed as a JSON object; each names the field at
/// fault where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonError {
    /// Not JSON text: bad syntax, invalid UTF-8, empty, or something after
    /// the object.
    #[error("not valid JSON: {reason}")]
    NotJson {
        /// The parser's description, with line and column; it quotes no
        /// value.
        reason: String,
    },
    /// Valid JSON, but its top level is not an object.
    #[error("JSON, but not an object: only an object's fields are signed")]
    NotAnObject,
    /// A top-level key is not a plain name: empty, or with a character
    /// other than `A`-`Z`, `a`-`z`, `0`-`9` and `_`. The string-to-sign joins
    /// `key=value` pairs with no separator, so a key holding `=` could
    /// re-partition a signature into other fields.
    #[error("{}: its name is not a plain name (only A-Z, a-z, 0-9 and _)", FieldName(key))]
    InvalidKey {
        /// The field's position in the object, from 1.
        position: usize,
        /// The key, unescaped.
        key: String,
    },
    /// A top-level key appears more than once (compared after unescaping),
    /// even with the same value: which copy a reader sees differs between
    /// JSON parsers.
    #[error("{} appears more than once", FieldName(key))]
    DuplicateKey {
        /// The repeated key.
        key: String,
    },
}

/// "field `name`", anything unprintable in the name escaped.
struct FieldName<'a>(&'a str);

impl fmt::Display for FieldName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("a field with an empty name");
        }
        write!(f, "field `{}`", self.0.escape_debug())
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn keys(body: &str) -> Vec<String> {
        match JsonObject::parse(body.as_bytes()) {
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
        let Ok(object) = JsonObject::parse(body) else { panic!("valid body refused") };
        let borrowed: Vec<_> = object.fields().iter().map(|f| matches!(f.key, Cow::Borrowed(_))).collect();
        assert_eq!(borrowed, [false, true]);
    }

    #[test]
    fn duplicate_keys_are_found_even_when_spelled_differently() {
        let error = JsonObject::parse(br#"{"a":"1","b":"2","\u0061":"1"}"#).err();
        assert_eq!(error, Some(JsonError::DuplicateKey { key: "a".into() }));
    }

    #[test]
    fn values_keep_their_text() {
        let body = br#"{"n": 150.00 ,"s":"a\"b","e":"","z":null,"t":true,"f":false,"o":{"x":1},"l":[1]}"#;
        let Ok(object) = JsonObject::parse(body) else { panic!("valid body refused") };
        assert_eq!(object.canonical(), "f=falsen=150.00s=a\"bt=true");
    }

    #[test]
    fn keys_must_be_plain_names() {
        for key in ["", "a=b", "status=0002tradeNo", "a b", "a-b", "a.b", "é", "a\\u0000"] {
            let body = format!(r#"{{"ok":"1","{key}":"2"}}"#);
            let error = JsonObject::parse(body.as_bytes()).err();
            assert!(matches!(error, Some(JsonError::InvalidKey { position: 2, .. })), "{key:?}: {error:?}");
        }
        // The message names the field, whatever its name holds.
        let message = |body: &[u8]| JsonObject::parse(body).err().map(|error| error.to_string()).unwrap_or_default();
        assert_eq!(
            message(br#"{"ok":"1","a=b":"2"}"#),
            "field `a=b`: its name is not a plain name (only A-Z, a-z, 0-9 and _)"
        );
        assert_eq!(
            message(br#"{"":"2"}"#),
            "a field with an empty name: its name is not a plain name (only A-Z, a-z, 0-9 and _)"
        );
        assert!(message(br#"{"a\nb":"2"}"#).starts_with("field `a\\nb`: "), "{}", message(br#"{"a\nb":"2"}"#));
        // Escapes are read first: a plain name spelled with escapes is plain.
        assert_eq!(keys(r#"{"st\u0061tus":"1","_A9z":"2"}"#), ["_A9z", "status"]);
        // An escaped `=` is still a `=`.
        assert!(JsonObject::parse(br#"{"a\u003db":"1"}"#).is_err());
    }

    #[test]
    fn deep_nesting_is_skipped_without_recursion() {
        let depth = 30_000; // 60 kB: far over any recursion limit
        let body = format!(r#"{{"deep":{}{},"a":"1"}}"#, "[".repeat(depth), "]".repeat(depth));
        let canonical = JsonObject::parse(body.as_bytes()).map(|object| object.canonical());
        assert_eq!(canonical.as_deref(), Ok("a=1"));
        let top = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(JsonObject::parse(top.as_bytes()).is_err());
    }

    #[test]
    fn refusals() {
        let not_json = |body: &[u8]| matches!(JsonObject::parse(body).err(), Some(JsonError::NotJson { .. }));
        assert!(not_json(b""));
        assert!(not_json(b"{"));
        assert!(not_json(b"{} x"));
        assert!(not_json(b"{}{}"));
        assert!(not_json(b"[1,"));
        assert!(not_json(b"{\"a\":\"\xff\"}"));
        assert!(not_json(b"{\"a\":01}"));
        for body in [&b"[]"[..], b"\"text\"", b"1", b"null", b" true "] {
            assert_eq!(JsonObject::parse(body).err(), Some(JsonError::NotAnObject), "{body:?}");
        }
    }
}
