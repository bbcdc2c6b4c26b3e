//! `application/x-www-form-urlencoded`, the encoding of query strings and
//! of HTML forms: the dashboard's only input besides JSON. Decoded with
//! percent-encoding (in axum's tree already) rather than axum's
//! `Query`/`Form`, whose features would add crates to the sandbox's tree.

use percent_encoding::percent_decode_str;

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
}
