//! A request body as received: a JSON object of scalar values, each kept as
//! its wire text (strings unescaped, numbers and booleans as written).
//!
//! Parsed through `RawValue` so a number is never re-printed (`100.00` stays
//! `100.00`), which is what the signature is computed over.

use std::collections::HashSet;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// What kind of JSON value a field had on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Number,
    Boolean,
    /// Treated as absent, as the signing rule does.
    Null,
}

impl Kind {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::String => "a string",
            Self::Number => "a number",
            Self::Boolean => "a boolean",
            Self::Null => "null",
        }
    }
}

/// One top-level field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) kind: Kind,
    /// Unescaped for strings, the raw JSON text for numbers and booleans,
    /// empty for `null`.
    pub(crate) text: String,
}

/// The body's fields in the order received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Fields {
    fields: Vec<Field>,
}

impl Fields {
    /// Parses a body; the error names the problem.
    pub(crate) fn parse(body: &[u8]) -> Result<Self, String> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err("body: empty; expected a JSON object".to_owned());
        }
        // serde's message can quote the whole input (a body that is one long
        // JSON string): keep the refusal short.
        let raw: RawObject = serde_json::from_slice(body).map_err(|error| {
            let message: String = error.to_string().chars().take(200).collect();
            format!("body: {message}")
        })?;
        let mut fields: Vec<Field> = Vec::with_capacity(raw.0.len());
        let mut seen = HashSet::with_capacity(raw.0.len());
        for (name, value) in raw.0 {
            if !seen.insert(name.clone()) {
                return Err(format!("{name}: appears twice in the body"));
            }
            let (kind, text) = classify(&name, &value)?;
            fields.push(Field { name, kind, text });
        }
        Ok(Self { fields })
    }

    /// Every field, in the order received.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter()
    }

    /// A field with a value: `null` and `""` count as absent.
    pub(crate) fn present(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|field| field.name == name && field.kind != Kind::Null && !field.text.is_empty())
    }

    /// The text of a present field.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.present(name).map(|field| field.text.as_str())
    }

    /// The `(key, value)` pairs the signature covers: every scalar field
    /// except `null` (empty values and `sign` are dropped by the signer).
    pub(crate) fn signed_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields
            .iter()
            .filter(|field| field.kind != Kind::Null)
            .map(|field| (field.name.as_str(), field.text.as_str()))
    }
}

fn classify(name: &str, value: &RawValue) -> Result<(Kind, String), String> {
    let text = value.get();
    match text.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(text)
            .map(|unescaped| (Kind::String, unescaped))
            .map_err(|error| format!("{name}: {error}")),
        Some(b'{' | b'[') => {
            Err(format!("{name}: objects and arrays are not accepted; every value must be a string, number or boolean"))
        }
        Some(b'n') => Ok((Kind::Null, String::new())),
        Some(b't' | b'f') => Ok((Kind::Boolean, text.to_owned())),
        _ => Ok((Kind::Number, text.to_owned())),
    }
}

/// A JSON object's members in order, duplicates kept (so they can be refused).
struct RawObject(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for RawObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;

        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = RawObject;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawObject, A::Error> {
                let mut members = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push((key, value));
                }
                Ok(RawObject(members))
            }
        }

        deserializer.deserialize_map(ObjectVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_wire_text_and_unescapes_strings() {
        let fields =
            Fields::parse(br#"{"a":"x\"y\u00e9","n":100.00,"b":true,"z":null,"e":""}"#).expect("a valid body parses");
        let pairs: Vec<_> = fields.signed_pairs().collect();
        assert_eq!(pairs, [("a", "x\"y\u{e9}"), ("n", "100.00"), ("b", "true"), ("e", "")]);
        assert_eq!(fields.text("z"), None);
        assert_eq!(fields.text("e"), None);
        assert_eq!(fields.text("n"), Some("100.00"));
    }

    #[test]
    fn refuses_what_is_not_an_object_of_scalars() {
        for (body, expected) in [
            (&b""[..], "body: empty"),
            (b"[1]", "expected a JSON object"),
            (b"{\"a\":", "body:"),
            (b"{\"a\":{\"b\":1}}", "a: objects and arrays"),
            (b"{\"a\":[1]}", "a: objects and arrays"),
            (b"{\"a\":\"1\",\"a\":\"2\"}", "a: appears twice"),
        ] {
            let error = Fields::parse(body).expect_err("refused");
            assert!(error.contains(expected), "{error:?} should contain {expected:?}");
        }
    }
}
