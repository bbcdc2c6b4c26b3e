//! One pass over a notification's top-level JSON object: each member's key,
//! its value's exact text, and the value read for signing.
//!
//! For the documented notification this takes ~2,100 instructions (~2,700
//! when it was written), where serde_json's `RawValue` reader and a
//! reading of each value afterwards took ~3,700 (a `RawValue` per member
//! scans every string twice, and each member goes through the visitor
//! machinery). Notifications arrive on every payment, so verifying one is
//! held to a few times the cost of its MD5 (BENCHMARKS.md).
//!
//! What this accepts and refuses is serde_json's grammar exactly, checked
//! member for member against a serde_json reader kept in the tests, over
//! generated bodies and the fuzz corpus:
//! - RFC 8259 syntax: whitespace is space, tab, CR, LF; no trailing commas,
//!   no leading zeros, no raw control bytes in strings;
//! - top-level keys and string values are unescaped by serde_json itself,
//!   so a lone surrogate escape there is refused as serde_json refuses it;
//! - nested values (kept as text, left out of the signature) are checked for
//!   syntax only, without recursion, to any depth, as serde_json skips them.

use std::borrow::Cow;
use std::ops::Range;

use super::raw::{FieldValue, RawField};
use super::NotificationError;
use crate::wire::find_escape_first_word_inline;

/// The members of the object that is all of `text`, in the order received.
///
/// `text` must start with `{` after whitespace (the caller tells an object
/// from other JSON); anything that is not exactly one object is
/// [`NotificationError::NotJson`].
pub(super) fn object_members(text: &str) -> Result<Vec<RawField<'_>>, NotificationError> {
    let mut scanner = Scanner { text, bytes: text.as_bytes(), at: 0 };
    let members = scanner.object().map_err(|error| NotificationError::NotJson { reason: error.to_string() })?;
    scanner.whitespace();
    if scanner.at < scanner.bytes.len() {
        return Err(NotificationError::NotJson { reason: scanner.error("trailing characters").to_string() });
    }
    Ok(members)
}

/// The first byte of `bytes` that is not JSON whitespace.
pub(super) fn first_significant_byte(bytes: &[u8]) -> Option<u8> {
    bytes.iter().copied().find(|byte| !is_whitespace(*byte))
}

fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// Where the text stopped being JSON, and what was expected there.
#[derive(Debug)]
struct SyntaxError {
    expected: &'static str,
    at: usize,
    /// serde_json's word on a string it could not unescape.
    detail: Option<String>,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "expected {} at byte {}", self.expected, self.at)?;
        match &self.detail {
            Some(detail) => write!(f, " ({detail})"),
            None => Ok(()),
        }
    }
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scanner<'a> {
    fn error(&self, expected: &'static str) -> SyntaxError {
        SyntaxError { expected, at: self.at, detail: None }
    }

    /// The value of a string literal that has escapes, decoded by serde_json
    /// (which refuses lone surrogates).
    fn unescape(&self, literal: &str) -> Result<String, SyntaxError> {
        serde_json::from_str::<String>(literal).map_err(|error| SyntaxError {
            expected: "a string whose escapes are valid Unicode",
            at: self.at - literal.len(),
            detail: Some(error.to_string()),
        })
    }

    /// The value of the string whose content (between its quotes) is
    /// `content`: borrowed from the text unless it has escapes.
    #[inline(always)]
    fn string_value(&self, content: Range<usize>, escaped: bool) -> Result<Cow<'a, str>, SyntaxError> {
        if escaped {
            self.unescape(&self.text[content.start - 1..content.end + 1]).map(Cow::Owned)
        } else {
            Ok(Cow::Borrowed(&self.text[content]))
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn whitespace(&mut self) {
        while self.peek().is_some_and(is_whitespace) {
            self.at += 1;
        }
    }

    /// Consumes `byte` (after whitespace) or fails naming it.
    fn expect(&mut self, byte: u8, expected: &'static str) -> Result<(), SyntaxError> {
        self.whitespace();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    /// The top-level object, its members read.
    fn object(&mut self) -> Result<Vec<RawField<'a>>, SyntaxError> {
        self.expect(b'{', "`{`")?;
        // Notifications have about ten members; start there to avoid regrowing.
        let mut members = Vec::with_capacity(12);
        self.whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(members);
        }
        loop {
            self.expect(b'"', "a string key")?;
            let start = self.at;
            let (end, escaped) = self.string()?;
            let key = self.string_value(start..end, escaped)?;
            self.expect(b':', "`:`")?;
            self.whitespace();
            let start = self.at;
            let value = self.member_value()?;
            members.push(RawField { key, raw: &self.text[start..self.at], value });
            self.whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(members);
                }
                _ => return Err(self.error("`,` or `}`")),
            }
        }
    }

    /// A member's value, read as the signature reads it.
    fn member_value(&mut self) -> Result<FieldValue<'a>, SyntaxError> {
        match self.peek() {
            Some(b'"') => {
                self.at += 1;
                let start = self.at;
                let (end, escaped) = self.string()?;
                Ok(if end == start {
                    FieldValue::Absent
                } else {
                    FieldValue::Text(self.string_value(start..end, escaped)?)
                })
            }
            Some(b'{' | b'[') => {
                self.nested()?;
                Ok(FieldValue::Nested)
            }
            _ => {
                let start = self.at;
                self.scalar()?;
                Ok(match self.bytes[start] {
                    b't' => FieldValue::Bool(true),
                    b'f' => FieldValue::Bool(false),
                    b'n' => FieldValue::Absent,
                    _ => FieldValue::Number(&self.text[start..self.at]),
                })
            }
        }
    }

    /// The rest of a string whose opening quote was consumed: where its
    /// closing quote is, and whether it has escapes.
    ///
    /// Positions rather than a `&str`: each slice of `text` checks both ends
    /// for a character boundary, and slicing once per string, in
    /// [`Scanner::string_value`], instead of twice saved ~100 instructions
    /// per notification.
    // `always`: a notification is mostly short strings, and the call's
    // prologue and constants cost as much as scanning one.
    #[inline(always)]
    fn string(&mut self) -> Result<(usize, bool), SyntaxError> {
        let mut escaped = false;
        loop {
            let stop = find_escape_first_word_inline(&self.bytes[self.at..]).ok_or_else(|| {
                self.at = self.bytes.len();
                self.error("the end of the string")
            })?;
            self.at += stop;
            match self.bytes[self.at] {
                b'"' => {
                    self.at += 1;
                    return Ok((self.at - 1, escaped));
                }
                b'\\' => {
                    escaped = true;
                    self.at += 1;
                    self.escape()?;
                }
                _ => return Err(self.error("a string without raw control characters")),
            }
        }
    }

    /// The escape after a backslash: checked for form only (what it means
    /// is serde_json's to decide, for the strings that are decoded).
    #[inline(never)]
    fn escape(&mut self) -> Result<(), SyntaxError> {
        match self.peek() {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.at += 1;
                Ok(())
            }
            Some(b'u') => {
                let digits = self.bytes.get(self.at + 1..self.at + 5);
                if digits.is_some_and(|digits| digits.iter().all(u8::is_ascii_hexdigit)) {
                    self.at += 5;
                    Ok(())
                } else {
                    Err(self.error("four hex digits after `\\u`"))
                }
            }
            _ => Err(self.error("a valid escape")),
        }
    }

    /// A number, `true`, `false` or `null`.
    fn scalar(&mut self) -> Result<(), SyntaxError> {
        match self.peek() {
            Some(b't') => self.word(b"true"),
            Some(b'f') => self.word(b"false"),
            Some(b'n') => self.word(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error("a value")),
        }
    }

    fn word(&mut self, word: &[u8]) -> Result<(), SyntaxError> {
        if self.bytes[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(())
        } else {
            Err(self.error("`true`, `false` or `null`"))
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<(), SyntaxError> {
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.at += 1;
                if self.peek().is_some_and(|byte| byte.is_ascii_digit()) {
                    return Err(self.error("no leading zero"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.one_or_more_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.one_or_more_digits()?;
        }
        Ok(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|byte| byte.is_ascii_digit()) {
            self.at += 1;
        }
    }

    fn one_or_more_digits(&mut self) -> Result<(), SyntaxError> {
        if !self.peek().is_some_and(|byte| byte.is_ascii_digit()) {
            return Err(self.error("a digit"));
        }
        self.digits();
        Ok(())
    }

    /// A nested object or array, checked for syntax with an explicit stack
    /// of the brackets still open (no recursion, so any depth is fine).
    fn nested(&mut self) -> Result<(), SyntaxError> {
        let mut open: Vec<u8> = Vec::new();
        'value: loop {
            // At the start of a value.
            self.whitespace();
            match self.peek() {
                Some(opening @ (b'{' | b'[')) => {
                    // `}` and `]` are two code points after their openers.
                    let close = opening + 2;
                    self.at += 1;
                    self.whitespace();
                    if self.peek() == Some(close) {
                        self.at += 1;
                    } else {
                        open.push(close);
                        if close == b'}' {
                            self.nested_key()?;
                        }
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    self.at += 1;
                    self.string()?;
                }
                _ => self.scalar()?,
            }
            // After a whole value: close what ends here, or go on to the
            // next element of the innermost container.
            while let Some(&close) = open.last() {
                self.whitespace();
                match self.peek() {
                    Some(b',') => {
                        self.at += 1;
                        if close == b'}' {
                            self.nested_key()?;
                        }
                        continue 'value;
                    }
                    Some(byte) if byte == close => {
                        self.at += 1;
                        open.pop();
                    }
                    _ => return Err(self.error(if close == b'}' { "`,` or `}`" } else { "`,` or `]`" })),
                }
            }
            return Ok(());
        }
    }

    /// `"key":` inside a nested object.
    fn nested_key(&mut self) -> Result<(), SyntaxError> {
        self.expect(b'"', "a string key")?;
        self.string()?;
        self.expect(b':', "`:`")
    }
}

#[cfg(test)]
mod tests {
    //! The scanner against serde_json, reading the same bodies.

    use std::fmt;

    use proptest::prelude::*;
    use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
    use serde_json::value::RawValue;

    use super::*;

    /// How a member's value reads, comparably.
    #[derive(Debug, PartialEq)]
    enum Reading {
        Text(String),
        Number(String),
        Bool(bool),
        Absent,
        Nested,
    }

    /// What a reader made of a body: its members (key, value text, reading)
    /// in the order received, or the kind of refusal.
    type Outcome = Result<Vec<(String, String, Reading)>, &'static str>;

    fn reading(value: &FieldValue<'_>) -> Reading {
        match value {
            FieldValue::Text(text) => Reading::Text(text.to_string()),
            FieldValue::Number(text) => Reading::Number((*text).to_owned()),
            FieldValue::Bool(flag) => Reading::Bool(*flag),
            FieldValue::Absent => Reading::Absent,
            FieldValue::Nested => Reading::Nested,
        }
    }

    fn kind(error: &NotificationError) -> &'static str {
        match error {
            NotificationError::NotJson { .. } => "not JSON",
            NotificationError::NotAnObject => "not an object",
            _ => "other",
        }
    }

    /// The reader under test, as `RawObject::parse` uses it (for bodies
    /// that start with `{`: no others reach it).
    fn scanned(body: &[u8]) -> Outcome {
        let text = std::str::from_utf8(body).map_err(|_| "not JSON")?;
        let members = object_members(text).map_err(|error| kind(&error))?;
        Ok(members.iter().map(|m| (m.key.to_string(), m.raw.to_owned(), reading(&m.value))).collect())
    }

    /// serde_json's reading: every member as a `RawValue`, keys and string
    /// values decoded by serde_json.
    fn oracle(body: &[u8]) -> Outcome {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Vec<(String, &'de RawValue)>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    members.push((key, map.next_value::<&RawValue>()?));
                }
                Ok(members)
            }
        }
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let members = match (&mut deserializer).deserialize_map(Members).and_then(|m| deserializer.end().map(|()| m)) {
            Ok(members) => members,
            Err(error) if error.classify() == serde_json::error::Category::Data => {
                return Err(match serde_json::from_slice::<IgnoredAny>(body) {
                    Ok(_) => "not an object",
                    Err(_) => "not JSON",
                });
            }
            Err(_) => return Err("not JSON"),
        };
        members
            .into_iter()
            .map(|(key, raw)| {
                let text = raw.get();
                let value = match text.as_bytes()[0] {
                    b'"' => match serde_json::from_str::<String>(text).map_err(|_| "not JSON")? {
                        value if value.is_empty() => Reading::Absent,
                        value => Reading::Text(value),
                    },
                    b't' => Reading::Bool(true),
                    b'f' => Reading::Bool(false),
                    b'n' => Reading::Absent,
                    b'{' | b'[' => Reading::Nested,
                    _ => Reading::Number(text.to_owned()),
                };
                Ok((key, text.to_owned(), value))
            })
            .collect()
    }

    /// The scanner reads `body` as serde_json does, if it reads it at all.
    fn assert_same(body: &[u8]) {
        if first_significant_byte(body) == Some(b'{') {
            assert_eq!(scanned(body), oracle(body), "{:?}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn reads_and_refuses_like_serde_json() {
        let bodies: &[&[u8]] = &[
            br#"{"tradeNo":"T1","amount":150.00,"s":"a\"b\u00e9","t":true,"o":{"x":[1]},"z":null}"#,
            "{\"name\":\"台北\",\"k\\u0041\":\"v\"}".as_bytes(),
            b" \t\r\n{ \"a\" : 1 , \"b\" :\"\" } \n",
            br#"{"n":-0,"m":-0.5e+10,"o":1E-2,"p":12.0e1,"q":0.0}"#,
            br#"{"o":{},"a":[],"d":[[],{},[{"k":[null,true,false,"\/"]}]],"e":{"a":{"b":{}}}}"#,
            br#"{"s":"\b\f\n\r\t\\\/\"\u0000\uD83D\uDE00"}"#,
            b"{}",
            b"",
            b" ",
            b"{",
            b"}",
            b"{} x",
            b"{}{}",
            b"[1]",
            b"[1,",
            b"\"text\"",
            b"1",
            b"null",
            b" true ",
            b"{\"a\":01}",
            b"{\"a\":1.}",
            b"{\"a\":.1}",
            b"{\"a\":1e}",
            b"{\"a\":-}",
            b"{\"a\":+1}",
            b"{\"a\":0x1}",
            b"{\"a\":\"\x01\"}",
            b"{\"a\":\"\x7f\"}",
            b"{\"a\":\"\xff\"}",
            b"{\"\xff\":1}",
            b"[\"\xff\"]",
            br#"{"a":"\ud800"}"#,
            br#"{"\udc00":"x"}"#,
            br#"{"a":["\ud800"]}"#,
            br#"{"a":"\q"}"#,
            br#"{"a":"\u12"}"#,
            br#"{"a":"\u12g4"}"#,
            b"{\"a\":1,}",
            b"{\"a\":[1,]}",
            b"{\"a\":{\"b\":1,}}",
            b"{\"a\":{\"b\"}}",
            b"{\"a\":{1:2}}",
            b"{\"a\" 1}",
            b"{a:1}",
            b"{\"a\":tru}",
            b"{\"a\":truex}",
            b"{\"a\":nul}",
            b"{\"a\":[1 2]}",
            b"{\"a\":[}",
            b"{\"a\":{]}",
            b"{\"a\":1\x0b}",
            b"{\"a\":\"unterminated}",
            b"{\"a\":\"x\\",
        ];
        for body in bodies {
            assert_same(body);
        }
    }

    #[test]
    fn nesting_of_any_depth_is_checked_without_recursion() {
        let depth = 100_000;
        let deep = format!(r#"{{"deep":{}1{},"a":"1"}}"#, "[{\"k\":".repeat(depth), "}]".repeat(depth));
        assert_same(deep.as_bytes());
        assert!(scanned(deep.as_bytes()).is_ok());
        let unbalanced = format!(r#"{{"deep":{}{}}}"#, "[".repeat(depth), "]".repeat(depth - 1));
        assert_same(unbalanced.as_bytes());
    }

    #[test]
    fn the_fuzz_corpus_reads_alike() {
        let fuzz = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
        let mut count = 0;
        for kind in ["seeds", "corpus"] {
            let dir = fuzz.join(kind).join("notification_verify");
            let entries = std::fs::read_dir(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
            for entry in entries.flatten() {
                if let Ok(body) = std::fs::read(entry.path()) {
                    assert_same(&body);
                    count += 1;
                }
            }
        }
        assert!(count > 100, "only {count} corpus inputs found");
    }

    /// Bytes that make JSON, or nearly: structure, strings, escapes,
    /// numbers, literals, whitespace, and a few that never belong.
    fn token() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "{", "}", "[", "]", ":", ",", "\"", "\"k\"", "\"v\"", "\"\"", "\\", "\\\"", "\\n", "\\u00e9", "\\ud800",
            "\\udc00", "\\u12", "\\x", "a", "é", "台", "0", "1", "9", "-", ".", "e", "E", "+", "true", "false", "null",
            "tru", " ", "\n", "\t", "\r", "\u{1}", "\u{7f}", "{\"a\":", "[1,2]", "{}", "[]",
        ])
    }

    /// Any JSON value, a few levels deep.
    fn value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(serde_json::Value::from),
            "[a-z\"\\\\\u{0}-\u{1f}é台\u{1F600}]{0,8}".prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                prop::collection::btree_map("[a-zA-Z\"é]{0,6}", inner, 0..4)
                    .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn token_soup_reads_alike(tokens in prop::collection::vec(token(), 0..24)) {
            let body = format!("{{{}", tokens.concat());
            assert_same(body.as_bytes());
        }

        #[test]
        fn objects_and_their_one_byte_mutations_read_alike(
            members in prop::collection::btree_map("[a-z\"\\\\é]{0,6}", value(), 0..6),
            pretty in any::<bool>(),
            at in any::<prop::sample::Index>(),
            byte in any::<u8>(),
            edit in 0..4u8,
        ) {
            let object = serde_json::Value::Object(members.into_iter().collect());
            let text = if pretty { serde_json::to_string_pretty(&object) } else { serde_json::to_string(&object) };
            let mut body = text.expect("a Value serialises").into_bytes();
            assert_same(&body);
            let index = at.index(body.len());
            crate::mutation::edit_one_byte(&mut body, index, byte, edit);
            assert_same(&body);
        }
    }
}
