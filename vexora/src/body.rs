//! The JSON body of a request: every field the request visits, as JSON
//! strings, then `sign`. Strings are escaped by serde_json.

use crate::signing::{CanonicalHasher, Signature};
use crate::wire::{FieldVisitor, Signable};

/// Writes the JSON body with a given `sign`: every field
/// [`Signable::visit_wire_fields`] visits, as JSON strings, then `sign`; the
/// second way the tests hold [`write_signed_body`] to.
#[cfg(test)]
fn write_json_body<R: Signable + ?Sized>(request: &R, timestamp: &str, sign: &str, body: &mut Vec<u8>) {
    let mut writer = JsonObjectWriter::open(body);
    request.visit_wire_fields(timestamp, &mut writer);
    writer.visit("sign", sign);
    writer.close();
}

/// Signs a request and writes its JSON body in one walk over its fields:
/// each `(wire name, text)` goes to the canonical hasher and to the body
/// writer together, so the signature and the body cannot come from two
/// different readings of the request. The signature is
/// [`sign_request`](crate::signing::sign_request)'s.
///
/// Every value goes out as a string, exactly the text that was signed; a
/// JSON number could be re-rendered by the gateway (`100.00` as `100.0`)
/// and no longer match the signature (the gateway's number formatting is
/// not documented).
pub(crate) fn write_signed_body<R: Signable + ?Sized>(
    request: &R,
    timestamp: &str,
    secret: &[u8],
    body: &mut Vec<u8>,
) -> Signature {
    /// Hands every field to both.
    struct SignAndWrite<'w, 'b> {
        hasher: CanonicalHasher,
        writer: &'w mut JsonObjectWriter<'b>,
    }

    impl FieldVisitor for SignAndWrite<'_, '_> {
        fn visit(&mut self, key: &str, value: &str) {
            self.hasher.visit(key, value);
            self.writer.visit(key, value);
        }
    }

    let mut writer = JsonObjectWriter::open(body);
    let mut both = SignAndWrite { hasher: CanonicalHasher::new(), writer: &mut writer };
    request.visit_wire_fields(timestamp, &mut both);
    let sign = both.hasher.finish(secret);
    writer.visit("sign", sign.as_str());
    writer.close();
    sign
}

/// Writes `"key":"value"` members of one JSON object.
struct JsonObjectWriter<'a> {
    body: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> JsonObjectWriter<'a> {
    /// A writer that has opened the object with `{`.
    fn open(body: &'a mut Vec<u8>) -> Self {
        body.push(b'{');
        Self { body, first: true }
    }

    fn close(self) {
        self.body.push(b'}');
    }

    /// `text` as a JSON string literal: non-ASCII as UTF-8 and `/` as it
    /// is, so the gateway's parser gets back exactly `text`.
    fn string(&mut self, text: &str) {
        // Writing to a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *self.body, text);
    }
}

impl FieldVisitor for JsonObjectWriter<'_> {
    fn visit(&mut self, key: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        if !self.first {
            self.body.push(b',');
        }
        self.first = false;
        self.string(key);
        self.body.push(b':');
        self.string(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request whose fields are given as pairs, in order.
    struct Pairs(Vec<(String, String)>);

    impl Signable for Pairs {
        fn visit_wire_fields<V: FieldVisitor + ?Sized>(&self, timestamp: &str, visitor: &mut V) {
            for (key, value) in &self.0 {
                visitor.visit(key, value);
            }
            visitor.visit("timestamp", timestamp);
        }
    }

    /// The escaping rule byte by byte: `"`, `\` and control bytes, the
    /// short forms where JSON has them.
    fn reference_json_string(text: &str) -> Vec<u8> {
        let mut out = vec![b'"'];
        for &byte in text.as_bytes() {
            match byte {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0c => out.extend_from_slice(b"\\f"),
                0x00..=0x1f => out.extend_from_slice(format!("\\u{byte:04x}").as_bytes()),
                _ => out.push(byte),
            }
        }
        out.push(b'"');
        out
    }

    #[test]
    fn bodies_are_the_fields_as_json_strings_then_sign() {
        let specials: String = (0u8..0x20).map(char::from).chain(['"', '\\', '/', '台', '\u{7f}']).collect();
        let long: String = (0..700u32).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        let pairs = vec![
            ("amount".to_owned(), "300".to_owned()),
            ("esc\"aped".to_owned(), specials),
            ("empty".to_owned(), String::new()),
            ("long".to_owned(), long),
        ];
        let request = Pairs(pairs.clone());
        let mut body = Vec::new();
        write_json_body(&request, "1700000000000", "0123456789abcdef0123456789abcdef", &mut body);

        let mut expected = vec![b'{'];
        let mut all = pairs;
        all.push(("timestamp".to_owned(), "1700000000000".to_owned()));
        all.push(("sign".to_owned(), "0123456789abcdef0123456789abcdef".to_owned()));
        for (key, value) in all.iter().filter(|(_, value)| !value.is_empty()) {
            if expected.len() > 1 {
                expected.push(b',');
            }
            expected.extend(reference_json_string(key));
            expected.push(b':');
            expected.extend(reference_json_string(value));
        }
        expected.push(b'}');
        assert_eq!(String::from_utf8_lossy(&body), String::from_utf8_lossy(&expected));
        let parsed: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(parsed.len(), 5);
    }

    #[test]
    fn the_signed_body_is_the_body_with_its_signature() {
        for request in [Pairs(vec![("a".to_owned(), "1\"2".to_owned())]), Pairs(Vec::new())] {
            for timestamp in ["1700000000000", ""] {
                let mut signed_body = Vec::new();
                let sign = write_signed_body(&request, timestamp, b"secret", &mut signed_body);
                assert_eq!(sign, crate::signing::sign_request(&request, timestamp, b"secret"));
                let mut body = Vec::new();
                write_json_body(&request, timestamp, sign.as_str(), &mut body);
                assert_eq!(String::from_utf8_lossy(&signed_body), String::from_utf8_lossy(&body));
            }
        }
    }
}
