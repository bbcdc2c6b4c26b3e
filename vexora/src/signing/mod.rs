//! The Vexora signing rule, as one streaming primitive shared by requests,
//! notifications, the sandbox and any JSON object.
//!
//! The rule: every top-level field except
//! `sign`, empty and `null` values left out, objects and arrays left out,
//! values as their wire text, keys in code-point order, `key=value` pairs
//! concatenated with no separator, the app secret appended, MD5, lowercase hex.
//!
//! [`CanonicalHasher`] is the one place that rule turns into bytes. Requests
//! feed it pairs already sorted by the derive (no map, no sort, no
//! allocation); [`sign_pairs`] sorts arbitrary pairs first, for payloads whose
//! field set is only known at run time; a [`JsonObject`] signs a JSON object
//! exactly as it was received (the gateway's notifications, `vexora sign`).

mod hasher;
mod members;
mod object;

pub use hasher::{CanonicalHasher, Signature};
pub(crate) use members::FieldValue;
pub use object::{JsonError, JsonObject};

use crate::wire::{FieldVisitor, Signable};

/// Signs a request the way the client does: its fields plus `timestamp`.
///
/// Allocation-free: the derive emits the fields already in canonical order.
pub fn sign_request<R: Signable + ?Sized>(request: &R, timestamp: &str, secret: &[u8]) -> Signature {
    let mut hasher = CanonicalHasher::new();
    request.visit_wire_fields(timestamp, &mut hasher);
    hasher.finish(secret)
}

/// The canonical string of a request (what is hashed, before the secret).
///
/// A debugging aid for signature mismatches; never logged by the SDK.
pub fn request_canonical<R: Signable + ?Sized>(request: &R, timestamp: &str) -> String {
    let mut canonical = CanonicalString::default();
    request.visit_wire_fields(timestamp, &mut canonical);
    canonical.text
}

/// Signs pairs whose field set is only known at run time (notifications, the
/// sandbox, the CLI's `sign`): sorts them by key, then streams them.
///
/// `sign` itself is left out; the caller has already left out objects,
/// arrays and nulls, which have no wire text.
pub fn sign_pairs<'a, I>(pairs: I, secret: &[u8]) -> Signature
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut hasher = CanonicalHasher::new();
    for (key, value) in sorted_pairs(pairs) {
        hasher.pair(key, value);
    }
    hasher.finish(secret)
}

/// The canonical string for pairs known only at run time (see [`sign_pairs`]).
pub fn canonical_of_pairs<'a, I>(pairs: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut canonical = CanonicalString::default();
    for (key, value) in sorted_pairs(pairs) {
        canonical.visit(key, value);
    }
    canonical.text
}

fn sorted_pairs<'a, I>(pairs: I) -> Vec<(&'a str, &'a str)>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut pairs: Vec<_> = pairs.into_iter().filter(|(key, _)| *key != "sign").collect();
    // Byte order of UTF-8 is code-point order, which is what the rule sorts by.
    pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
    pairs
}

/// Builds the canonical string instead of hashing it.
#[derive(Default)]
struct CanonicalString {
    text: String,
}

impl FieldVisitor for CanonicalString {
    fn visit(&mut self, key: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        self.text.push_str(key);
        self.text.push('=');
        self.text.push_str(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_lowercase_md5_hex_of_canonical_and_secret() {
        let sign = sign_pairs([("b", "2"), ("a", "1")], b"k");
        // md5("a=1b=2k")
        assert_eq!(sign.as_str(), "9f4d7d26a8c4a771dee7990dbd5fd7e0");
        assert_eq!(canonical_of_pairs([("b", "2"), ("a", "1"), ("sign", "x")]), "a=1b=2");
    }
}
