//! `application/x-www-form-urlencoded`, the encoding of query strings and
//! of HTML forms: the dashboard's only input besides JSON, and the encoding
//! of the paths and queries its links and forms name. Done with
//! percent-encoding (in axum's tree already) rather than axum's
//! `Query`/`Form`, whose features would add crates to the sandbox's tree.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Everything but the unreserved characters of RFC 3986.
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The `name=value` pairs of `text`, decoded (`+` is a space, `%XX` a
/// byte; bytes that are not UTF-8 become U+FFFD). Never fails: a malformed
/// escape is kept as written.
pub(crate) fn pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// The first value named `name`, if any.
pub(crate) fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// Percent-encodes text for a URL's query or path segment: everything but
/// unreserved characters, so the result is also safe inside an attribute.
pub(crate) fn url_encode(text: &str) -> String {
    utf8_percent_encode(text, RESERVED).to_string()
}

fn decode(text: &str) -> String {
    // `+` is a space before escapes are read, so `%2B` stays a plus.
    percent_decode_str(&text.replace('+', " ")).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs() {
        let decoded = pairs("q=a+b%26c&page=2&empty=&flag&&x=%E2%9C%93");
        let expected = [("q", "a b&c"), ("page", "2"), ("empty", ""), ("flag", ""), ("x", "✓")];
        assert_eq!(decoded, expected.map(|(k, v)| (k.to_owned(), v.to_owned())));
        assert_eq!(value(&decoded, "page"), Some("2"));
        assert_eq!(value(&decoded, "nope"), None);
    }

    #[test]
    fn malformed_escapes_are_kept() {
        assert_eq!(
            pairs("a=100%&b=%zz&c=%4"),
            [("a", "100%"), ("b", "%zz"), ("c", "%4")].map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(pairs("a=%FF"), [("a".to_owned(), "\u{FFFD}".to_owned())]);
    }

    #[test]
    fn encodes_all_but_unreserved() {
        assert_eq!(url_encode("T-1_a.b~"), "T-1_a.b~");
        assert_eq!(url_encode("a b&c=\"<é"), "a%20b%26c%3D%22%3C%C3%A9");
    }
}
