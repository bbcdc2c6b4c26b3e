//! How request fields become wire text: the traits `#[derive(Signable)]`
//! implements and calls, and the JSON body written from the same fields.
//!
//! The signature and the body are produced by walking one field list
//! ([`Signable::visit_wire_fields`]), so the two can never cover different
//! fields or different values: a value left out of one is left out of both.

use std::borrow::Cow;

use crate::signing::{CanonicalHasher, Signature};
use crate::validation::spec::Rule;

/// A field value that has a wire text, or is absent.
///
/// Absent means `None` or empty: such a value is neither signed nor sent.
/// The derive dispatches through this trait instead of inspecting type names,
/// so `Option<T>`, aliases and newtypes all work.
pub trait WireValue {
    /// Runs `f` on the value's wire text and returns its result, or returns
    /// `None` without calling `f` when the value is absent or empty.
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R>;

    /// Rules every value of the type must follow on the wire, checked by
    /// `#[derive(Validate)]` on top of a field's own rules: a type that
    /// stands for one concept (an order number, an amount) carries its
    /// rules once, instead of every field repeating them.
    const TYPE_RULES: &'static [Rule] = &[];
}

// The forwarding impls below are `#[inline(always)]`: they are a line each,
// and inlined into the derive's code they let its constant field specs fold.
impl WireValue for str {
    #[inline(always)]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        (!self.is_empty()).then(|| f(self))
    }
}

impl WireValue for String {
    #[inline(always)]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.as_str().with_wire_text(f)
    }
}

impl WireValue for Cow<'_, str> {
    #[inline(always)]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.as_ref().with_wire_text(f)
    }
}

impl<T: WireValue + ?Sized> WireValue for &T {
    const TYPE_RULES: &'static [Rule] = T::TYPE_RULES;

    #[inline(always)]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        (**self).with_wire_text(f)
    }
}

impl<T: WireValue + ?Sized> WireValue for Box<T> {
    const TYPE_RULES: &'static [Rule] = T::TYPE_RULES;

    #[inline(always)]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        (**self).with_wire_text(f)
    }
}

impl<T: WireValue> WireValue for Option<T> {
    const TYPE_RULES: &'static [Rule] = T::TYPE_RULES;

    #[inline(always)]
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
///
/// Written by `itoa` (already in every build through serde_json), which
/// hands back the digits as `&str` without checking them again: a UTF-8
/// check of our own was a function call per amount and timestamp.
#[derive(Clone, Copy, Default)]
pub struct IntegerText {
    buffer: itoa::Buffer,
}

impl IntegerText {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `value` and returns its text, borrowed from the buffer.
    pub fn format(&mut self, value: u64) -> &str {
        self.buffer.format(value)
    }
}

impl std::fmt::Debug for IntegerText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IntegerText { .. }")
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
/// and no longer match the signature (the gateway's number formatting is
/// not documented).
pub fn write_json_body<R: Signable + ?Sized>(request: &R, timestamp: &str, sign: &str, body: &mut Vec<u8>) {
    let mut writer = JsonObjectWriter::open(body);
    request.visit_wire_fields(timestamp, &mut writer);
    writer.close_with_sign(sign);
}

/// Signs a request and writes its JSON body in one walk over its fields:
/// each `(wire name, text)` goes to the canonical hasher and to the body
/// writer together, then the body gets `sign` and is closed.
///
/// The result is [`sign_request`](crate::signing::sign_request) and
/// [`write_json_body`] byte for byte, for half the walking: the signature
/// and the body cannot be made from two different readings of the request
/// (the unit tests hold the two ways to each other).
pub fn write_signed_body<R: Signable + ?Sized>(
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
        #[inline(always)]
        fn visit(&mut self, key: &str, value: &str) {
            self.hasher.visit(key, value);
            self.writer.visit(key, value);
        }
    }

    let mut writer = JsonObjectWriter::open(body);
    let mut both = SignAndWrite { hasher: CanonicalHasher::new(), writer: &mut writer };
    request.visit_wire_fields(timestamp, &mut both);
    let sign = both.hasher.finish(secret);
    writer.close_with_signature(&sign);
    sign
}

/// Bytes [`JsonObjectWriter`] gathers on the stack before moving them to
/// the body: a whole typical request.
const STAGE: usize = 512;

/// Writes `"key":"value"` pairs. A body is some thirty short pieces, so each
/// piece is copied into a stack buffer with a couple of inlined moves and the
/// buffer is appended to the body in one go; pushing each piece onto the
/// `Vec` costs a capacity check and a `memcpy` call apiece, which made body
/// writing as slow as signing (BENCHMARKS.md).
struct JsonObjectWriter<'a> {
    body: &'a mut Vec<u8>,
    stage: [u8; STAGE],
    staged: usize,
    first: bool,
}

impl<'a> JsonObjectWriter<'a> {
    /// A writer that has opened the object with `{`.
    #[inline(always)]
    fn open(body: &'a mut Vec<u8>) -> Self {
        let mut writer = Self { body, stage: [0; STAGE], staged: 0, first: true };
        writer.byte(b'{');
        writer
    }

    /// Adds `sign`, the last member, closes the object and moves the rest
    /// of the staged bytes to the body.
    // By reference: moving the writer would copy its stage.
    fn close_with_sign(&mut self, sign: &str) {
        self.visit("sign", sign);
        self.byte(b'}');
        self.flush();
    }

    /// [`JsonObjectWriter::close_with_sign`] for a signature just computed:
    /// its 32 hex digits need neither a UTF-8 check nor an escape scan.
    fn close_with_signature(&mut self, sign: &Signature) {
        if !self.first {
            self.byte(b',');
        }
        self.bytes(b"\"sign\":\"");
        self.bytes(sign.hex_digits());
        self.bytes(b"\"}");
        self.flush();
    }

    /// Moves the staged bytes to the body.
    fn flush(&mut self) {
        self.body.extend_from_slice(&self.stage[..self.staged]);
        self.staged = 0;
    }

    #[inline]
    fn byte(&mut self, byte: u8) {
        if self.staged == STAGE {
            self.flush();
        }
        self.stage[self.staged] = byte;
        self.staged += 1;
    }

    /// Bytes that need no escaping.
    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        if bytes.len() >= SHORT {
            self.flush();
            self.body.extend_from_slice(bytes);
            return;
        }
        if self.staged + bytes.len() > STAGE {
            self.flush();
        }
        let end = self.staged + bytes.len();
        copy_short(&mut self.stage[self.staged..end], bytes);
        self.staged = end;
    }

    /// `text` as a JSON string literal.
    #[inline]
    fn string(&mut self, text: &str) {
        if any_escape(text.as_bytes()) {
            self.flush();
            write_json_string(self.body, text);
        } else {
            self.byte(b'"');
            self.bytes(text.as_bytes());
            self.byte(b'"');
        }
    }
}

impl FieldVisitor for JsonObjectWriter<'_> {
    #[inline(always)]
    fn visit(&mut self, key: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        let (key_bytes, value_bytes) = (key.as_bytes(), value.as_bytes());
        let start = self.staged;
        // `,"` + key + `":"` + value + `"`
        let end = start + key_bytes.len() + value_bytes.len() + 6;
        let short = key_bytes.len() < SHORT && value_bytes.len() < SHORT && end <= STAGE;
        if short && !any_escape(key_bytes) && !any_escape(value_bytes) {
            // The common case, with the position in a local: updating
            // `self.staged` after every piece chains each write to the
            // previous one through memory.
            let mut at = start;
            if !self.first {
                self.stage[at] = b',';
                at += 1;
            }
            self.first = false;
            self.stage[at] = b'"';
            at += 1;
            copy_short(&mut self.stage[at..at + key_bytes.len()], key_bytes);
            at += key_bytes.len();
            self.stage[at..at + 3].copy_from_slice(b"\":\"");
            at += 3;
            copy_short(&mut self.stage[at..at + value_bytes.len()], value_bytes);
            at += value_bytes.len();
            self.stage[at] = b'"';
            self.staged = at + 1;
            return;
        }
        self.member_with_escapes_or_long(key, value);
    }
}

impl JsonObjectWriter<'_> {
    /// A member that needs escaping, has a piece of 64 bytes or more, or
    /// does not fit the stage. Out of line and cold, for the same reason as
    /// the hasher's `pair_long`: inlined into every field it made the
    /// derive's `visit_wire_fields` several times larger.
    #[cold]
    #[inline(never)]
    fn member_with_escapes_or_long(&mut self, key: &str, value: &str) {
        if !self.first {
            self.byte(b',');
        }
        self.first = false;
        self.string(key);
        self.byte(b':');
        self.string(value);
    }
}

/// [`copy_short`] copies fewer bytes than this.
pub(crate) const SHORT: usize = 64;

/// Copies `src`, shorter than [`SHORT`], into `dst` of the same length with
/// at most two fixed-size, possibly overlapping moves, which the compiler
/// inlines; a `copy_from_slice` of unknown length is a call to `memcpy`,
/// costly next to the few bytes of a key or a value.
// `always`: left to itself the compiler stops inlining this once it has a
// few callers, and the call costs more than the copy (BENCHMARKS.md).
#[inline(always)]
pub(crate) fn copy_short(dst: &mut [u8], src: &[u8]) {
    let len = src.len();
    debug_assert!(dst.len() == len && len < SHORT);
    if len >= 32 {
        dst[..32].copy_from_slice(&src[..32]);
        dst[len - 32..].copy_from_slice(&src[len - 32..]);
    } else if len >= 16 {
        dst[..16].copy_from_slice(&src[..16]);
        dst[len - 16..].copy_from_slice(&src[len - 16..]);
    } else if len >= 8 {
        dst[..8].copy_from_slice(&src[..8]);
        dst[len - 8..].copy_from_slice(&src[len - 8..]);
    } else if len >= 4 {
        dst[..4].copy_from_slice(&src[..4]);
        dst[len - 4..].copy_from_slice(&src[len - 4..]);
    } else if len > 0 {
        dst[0] = src[0];
        dst[len / 2] = src[len / 2];
        dst[len - 1] = src[len - 1];
    }
}

/// Writes `text` as a JSON string literal. Non-ASCII is written as UTF-8,
/// `/` is not escaped, so the gateway's parser gets back exactly `text`.
pub(crate) fn write_json_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut clean_from = 0;
    while let Some(found) = find_escape(&bytes[clean_from..]) {
        let i = clean_from + found;
        let byte = bytes[i];
        out.extend_from_slice(&bytes[clean_from..i]);
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            _ => b"",
        };
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

/// Whether a byte must be escaped in a JSON string: `"`, `\` and controls.
#[inline]
#[cfg(test)]
fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The index of the first byte of `bytes` that [`needs_escape`] (in JSON
/// text: the end of a string, an escape or a forbidden control byte),
/// eight bytes at a time, the last few in a padded word: no byte loop.
#[inline]
pub(crate) fn find_escape(bytes: &[u8]) -> Option<usize> {
    let mut offset = 0;
    while bytes.len() - offset >= 8 {
        let mask = escape_mask(eight(&bytes[offset..offset + 8]));
        if mask != 0 {
            return Some(offset + first_marked(mask));
        }
        offset += 8;
    }
    let tail = &bytes[offset..];
    // Padded with a byte that needs no escaping.
    let mut word = [b'a'; 8];
    copy_short(&mut word[..tail.len()], tail);
    let mask = escape_mask(word);
    (mask != 0).then(|| offset + first_marked(mask))
}

/// [`find_escape`] with the first eight bytes tested in line: most strings
/// of a notification (its keys, codes and amounts) end within eight bytes,
/// and then no call is made.
#[inline(always)]
pub(crate) fn find_escape_first_word_inline(bytes: &[u8]) -> Option<usize> {
    let Some(first) = bytes.get(..8) else {
        return find_escape(bytes);
    };
    let mask = escape_mask(eight(first));
    if mask != 0 {
        return Some(first_marked(mask));
    }
    find_escape(&bytes[8..]).map(|at| at + 8)
}

/// Whether any byte of `bytes` [`needs_escape`], tested eight bytes at a
/// time in a `u64` (byte by byte, body writing was a branch per byte, the
/// largest part of `Client::prepare` after MD5).
#[inline]
pub(crate) fn any_escape(bytes: &[u8]) -> bool {
    let len = bytes.len();
    if len < 8 {
        // Padded with a byte that needs no escaping.
        let mut word = [b'a'; 8];
        copy_short(&mut word[..len], bytes);
        return escape_mask(word) != 0;
    }
    let mut found = 0;
    for chunk in bytes.chunks_exact(8) {
        found |= escape_mask(eight(chunk));
    }
    // The last eight bytes, overlapping the last whole chunk: no byte loop.
    (found | escape_mask(eight(&bytes[len - 8..]))) != 0
}

#[inline]
fn eight(bytes: &[u8]) -> [u8; 8] {
    let mut word = [0; 8];
    word.copy_from_slice(bytes);
    word
}

/// The high bit of each of the eight bytes that [`needs_escape`], read
/// little-endian so the lowest set bit is the first byte. Exact up to the
/// first marked byte: a borrow can only mark bytes after one that really
/// needs escaping, which is all [`find_escape`] and [`any_escape`] rely on.
#[inline]
fn escape_mask(bytes: [u8; 8]) -> u64 {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH_BITS: u64 = u64::from_ne_bytes([0x80; 8]);
    // The bytes of `word` below `n` (exact for n <= 0x80, up to the first).
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH_BITS;
    let word = u64::from_le_bytes(bytes);
    below(word, 0x20) | below(word ^ (ONES * u64::from(b'"')), 1) | below(word ^ (ONES * u64::from(b'\\')), 1)
}

/// The index of the first byte marked in an [`escape_mask`].
#[inline]
fn first_marked(mask: u64) -> usize {
    // At most 63 / 8 = 7.
    (mask.trailing_zeros() / 8) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_at_a_time_scans_agree_with_a_byte_loop() {
        // Every length across three words, a special or look-alike byte at
        // every position, on backgrounds with and without the high bit
        // (borrows between bytes are what a word-at-a-time test gets wrong).
        let probes = [b'"', b'\\', 0x00, 0x1f, 0x20, 0x21, 0x23, 0x5b, 0x5d, 0x5c ^ 0x80, 0x7f, 0x80, 0xa2, 0xff];
        for background in [b'a', 0x80, 0xff, 0x21, 0x01] {
            for len in 0..26 {
                for at in 0..=len {
                    for probe in probes {
                        let mut bytes = vec![background; len];
                        if at < len {
                            bytes[at] = probe;
                        }
                        let expected = bytes.iter().position(|&byte| needs_escape(byte));
                        assert_eq!(find_escape(&bytes), expected, "{bytes:?}");
                        assert_eq!(find_escape_first_word_inline(&bytes), expected, "{bytes:?}");
                        assert_eq!(any_escape(&bytes), expected.is_some(), "{bytes:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn json_strings_round_trip_through_serde_json() {
        for text in ["plain", "quote\" back\\slash", "tab\tnl\ncr\r", "\u{1}\u{1f}", "台北/市", ""] {
            let mut out = Vec::new();
            write_json_string(&mut out, text);
            let parsed: String = serde_json::from_slice(&out).expect("valid JSON string");
            assert_eq!(parsed, text);
        }
    }

    /// The escaping rule byte by byte, as it was written before the
    /// word-at-a-time scan.
    fn reference_json_string(text: &str) -> Vec<u8> {
        let mut out = vec![b'"'];
        for &byte in text.as_bytes() {
            match byte {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x00..=0x1f => out.extend_from_slice(format!("\\u{byte:04x}").as_bytes()),
                _ => out.push(byte),
            }
        }
        out.push(b'"');
        out
    }

    #[test]
    fn every_special_byte_is_escaped_at_every_offset() {
        let specials = (0x00..0x20).chain([b'"', b'\\', b' ', b'!', b'#', b'[', b']', 0x7f]);
        let plain = "abcdefghijklmnopqrstuvwxyz0123456789";
        for special in specials {
            let special = char::from(special);
            for len in 0..=plain.len() {
                for at in 0..=len {
                    let text = format!("{}{special}{}", &plain[..at], &plain[at..len]);
                    let mut out = Vec::new();
                    write_json_string(&mut out, &text);
                    assert_eq!(out, reference_json_string(&text), "{text:?}");
                    let twice = format!("{text}{text}台");
                    out.clear();
                    write_json_string(&mut out, &twice);
                    assert_eq!(out, reference_json_string(&twice), "{twice:?}");
                }
            }
        }
    }

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

    #[test]
    fn bodies_are_the_fields_as_json_strings_across_stage_boundaries() {
        let text: String = (0..700u32).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        for field_len in [0, 1, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 65, 200, 511, 512, 513, 700] {
            for count in [1, 2, 5, 17] {
                let mut pairs: Vec<(String, String)> =
                    (0..count).map(|i| (format!("k{i}"), text[..field_len].to_owned())).collect();
                pairs.push(("esc\"aped".to_owned(), format!("{}\n\\{}", &text[..field_len / 2], &text[..3])));
                pairs.push(("empty".to_owned(), String::new()));
                let request = Pairs(pairs.clone());
                let mut body = Vec::new();
                write_json_body(&request, "1700000000000", "0123456789abcdef0123456789abcdef", &mut body);

                let mut expected = vec![b'{'];
                pairs.push(("timestamp".to_owned(), "1700000000000".to_owned()));
                pairs.push(("sign".to_owned(), "0123456789abcdef0123456789abcdef".to_owned()));
                for (key, value) in pairs.iter().filter(|(_, value)| !value.is_empty()) {
                    if expected.len() > 1 {
                        expected.push(b',');
                    }
                    expected.extend(reference_json_string(key));
                    expected.push(b':');
                    expected.extend(reference_json_string(value));
                }
                expected.push(b'}');
                assert_eq!(String::from_utf8_lossy(&body), String::from_utf8_lossy(&expected), "{field_len} x {count}");
                assert_signed_body_is_body_with_signature(&request, "1700000000000");
            }
        }
        // No member before `sign` (an empty timestamp is left out).
        assert_signed_body_is_body_with_signature(&Pairs(Vec::new()), "");
    }

    /// `write_signed_body` writes what `write_json_body` writes with the
    /// signature `sign_request` computes.
    fn assert_signed_body_is_body_with_signature(request: &Pairs, timestamp: &str) {
        let mut signed_body = Vec::new();
        let sign = write_signed_body(request, timestamp, b"secret", &mut signed_body);
        assert_eq!(sign, crate::signing::sign_request(request, timestamp, b"secret"));
        let mut body = Vec::new();
        write_json_body(request, timestamp, sign.as_str(), &mut body);
        assert_eq!(String::from_utf8_lossy(&signed_body), String::from_utf8_lossy(&body));
    }

    #[test]
    fn integers_render_as_decimal_text() {
        let powers = (0..20).map(|exponent| 10u64.pow(exponent));
        let around_powers = powers.flat_map(|power| [power - 1, power, power + 1]);
        for value in around_powers.chain(0..10_000).chain([1_724_142_041_682, u64::MAX - 1, u64::MAX]) {
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
