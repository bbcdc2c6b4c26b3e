//! How request fields become wire text: the traits `#[derive(Signable)]`
//! implements and calls, and the JSON body written from the same fields.
//!
//! The signature and the body are produced by walking one field list
//! ([`Signable::visit_wire_fields`]), so the two can never cover different
//! fields or different values: a value left out of one is left out of both.

use std::borrow::Cow;

/// A field value that has a wire text, or is absent.
///
/// Absent means `None` or empty: such a value is neither signed nor sent.
/// The derive dispatches through this trait instead of inspecting type names,
/// so `Option<T>`, aliases and newtypes all work.
pub trait WireValue {
    /// Runs `f` on the value's wire text and returns its result, or returns
    /// `None` without calling `f` when the value is absent or empty.
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R>;
}

impl WireValue for str {
    #[inline]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        (!self.is_empty()).then(|| f(self))
    }
}

impl WireValue for String {
    #[inline]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.as_str().with_wire_text(f)
    }
}

impl WireValue for Cow<'_, str> {
    #[inline]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.as_ref().with_wire_text(f)
    }
}

impl<T: WireValue + ?Sized> WireValue for &T {
    #[inline]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        (**self).with_wire_text(f)
    }
}

impl<T: WireValue + ?Sized> WireValue for Box<T> {
    #[inline]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        (**self).with_wire_text(f)
    }
}

impl<T: WireValue> WireValue for Option<T> {
    #[inline]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.as_ref()?.with_wire_text(f)
    }
}

macro_rules! wire_value_via_display_of_integer {
    ($($ty:ty),*) => {$(
        impl WireValue for $ty {
            #[inline]
            fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
                let mut buffer = IntegerText::new();
                Some(f(buffer.format(u64::from(*self))))
            }
        }
    )*};
}
wire_value_via_display_of_integer!(u8, u16, u32, u64);

impl WireValue for bool {
    #[inline]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        Some(f(if *self { "true" } else { "false" }))
    }
}

/// Decimal text of an unsigned integer on the stack: signing must not
/// allocate, and `to_string()` would.
#[derive(Debug, Clone, Copy, Default)]
pub struct IntegerText {
    digits: [u8; 20],
}

impl IntegerText {
    /// An empty buffer.
    pub fn new() -> Self {
        Self { digits: [0; 20] }
    }

    /// Writes `value` and returns its text, borrowed from the buffer.
    pub fn format(&mut self, mut value: u64) -> &str {
        let mut start = self.digits.len();
        loop {
            start -= 1;
            // `value % 10` is below 10, so the cast cannot truncate.
            self.digits[start] = b'0' + (value % 10) as u8;
            value /= 10;
            if value == 0 {
                break;
            }
        }
        // Only ASCII digits were written.
        std::str::from_utf8(&self.digits[start..]).unwrap_or_default()
    }
}

/// Receives a request's fields as `(wire name, wire text)`, in canonical order.
pub trait FieldVisitor {
    /// One present field. Implementations skip empty values themselves if
    /// they are not already skipped by [`WireValue`].
    fn visit(&mut self, key: &str, value: &str);
}

/// A request whose fields can be signed and sent.
///
/// Implemented by `#[derive(Signable)]`; see the crate documentation for the
/// attributes. Implement it by hand only for a request the derive cannot
/// describe, and keep the canonical order.
pub trait Signable {
    /// Visits every present field in code-point order of the wire names,
    /// with `timestamp` (which the client supplies) at its sorted place.
    /// `sign` is never visited.
    fn visit_wire_fields<V: FieldVisitor + ?Sized>(&self, timestamp: &str, visitor: &mut V);
}

/// Writes the JSON body: every field [`Signable::visit_wire_fields`] visits,
/// as JSON strings, then `sign`.
///
/// Every value goes out as a string, exactly the text that was signed; a
/// JSON number could be re-rendered by the gateway (`100.00` as `100.0`)
/// and no longer match the signature (API-FACTS.md §6.2).
pub fn write_json_body<R: Signable + ?Sized>(request: &R, timestamp: &str, sign: &str, body: &mut Vec<u8>) {
    body.push(b'{');
    let mut writer = JsonObjectWriter { body, first: true };
    request.visit_wire_fields(timestamp, &mut writer);
    writer.visit("sign", sign);
    body.push(b'}');
}

struct JsonObjectWriter<'a> {
    body: &'a mut Vec<u8>,
    first: bool,
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
        write_json_string(self.body, key);
        self.body.push(b':');
        write_json_string(self.body, value);
    }
}

/// Writes `text` as a JSON string literal. Non-ASCII is written as UTF-8,
/// `/` is not escaped, so the gateway's parser gets back exactly `text`.
pub(crate) fn write_json_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut clean_from = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[clean_from..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0x0f)]);
        } else {
            out.extend_from_slice(escape);
        }
        clean_from = i + 1;
    }
    out.extend_from_slice(&bytes[clean_from..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_round_trip_through_serde_json() {
        for text in ["plain", "quote\" back\\slash", "tab\tnl\ncr\r", "\u{1}\u{1f}", "台北/市", ""] {
            let mut out = Vec::new();
            write_json_string(&mut out, text);
            let parsed: String = serde_json::from_slice(&out).expect("valid JSON string");
            assert_eq!(parsed, text);
        }
    }

    #[test]
    fn integers_render_as_decimal_text() {
        for value in [0u64, 7, 10, 300, u64::MAX] {
            assert_eq!(IntegerText::new().format(value), value.to_string());
        }
    }

    #[test]
    fn absent_values_have_no_text() {
        assert_eq!(String::new().with_wire_text(|_| ()), None);
        assert_eq!(None::<String>.with_wire_text(|_| ()), None);
        assert_eq!(Some(String::new()).with_wire_text(|_| ()), None);
        assert_eq!(Some("x".to_owned()).with_wire_text(str::to_owned), Some("x".to_owned()));
    }
}
