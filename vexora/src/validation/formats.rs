//! The named formats of [`Format`](super::Format).
//!
//! Deliberately conservative: each accepts what the gateway documents and a
//! merchant would send, and rejects what is certainly wrong (spaces, missing
//! parts, other schemes). None of them tries to be a full RFC parser.

use std::net::IpAddr;

use super::spec::Format;

pub(super) fn holds(format: Format, text: &str) -> bool {
    match format {
        Format::Email => is_email(text),
        Format::Ip => text.parse::<IpAddr>().is_ok(),
        Format::HttpUrl => is_http_url(text),
    }
}

/// `local@domain`: both parts non-empty and free of whitespace and control
/// characters, exactly one `@`, and a domain of at least two non-empty
/// dot-separated labels.
fn is_email(text: &str) -> bool {
    let Some(at) = text.bytes().position(|b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&text[..at], &text[at + 1..]);
    if local.is_empty() || domain.is_empty() || has_space_or_control(text) {
        return false;
    }
    // One pass over the domain: no second `@`, a dot, no empty label.
    let mut previous = b'.';
    let mut dots = 0;
    for byte in domain.bytes() {
        match byte {
            b'@' => return false,
            b'.' if previous == b'.' => return false,
            b'.' => dots += 1,
            _ => {}
        }
        previous = byte;
    }
    dots > 0 && previous != b'.'
}

/// An absolute `http://` or `https://` URL (scheme in any case) with a
/// non-empty host and no whitespace or control characters.
fn is_http_url(text: &str) -> bool {
    let rest = if let Some(rest) = strip_prefix_ignore_case(text, "https://") {
        rest
    } else if let Some(rest) = strip_prefix_ignore_case(text, "http://") {
        rest
    } else {
        return false;
    };
    if has_space_or_control(text) {
        return false;
    }
    // One pass over the authority (up to `/`, `?` or `#`): where the host
    // starts (after the last `@`) and where it ends (the first `:` after
    // that, or the authority's end).
    let bytes = rest.as_bytes();
    let (mut host_start, mut port_colon, mut end) = (0, None, bytes.len());
    for (at, &byte) in bytes.iter().enumerate() {
        match byte {
            b'/' | b'?' | b'#' => {
                end = at;
                break;
            }
            b'@' => (host_start, port_colon) = (at + 1, None),
            b':' if port_colon.is_none() => port_colon = Some(at),
            _ => {}
        }
    }
    // (`bytes[end]`, when there is one, is `/`, `?` or `#`, never `[`.)
    if bytes.get(host_start) == Some(&b'[') {
        // An IPv6 literal: `[::1]:8080`.
        let literal = &rest[host_start + 1..end];
        return !before(literal, b']').trim_start_matches('[').is_empty();
    }
    port_colon.unwrap_or(end) > host_start
}

/// Whether `text` has a whitespace or control character.
///
/// ASCII, which URLs and addresses almost always are, is checked a byte at
/// a time (its whitespace and controls are exactly the bytes up to space,
/// and DEL); only text with other characters is decoded.
fn has_space_or_control(text: &str) -> bool {
    // Eight bytes at a time: one mask marks spaces, controls, DEL and
    // non-ASCII bytes alike; only a marked word needs a closer look.
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH_BITS: u64 = u64::from_ne_bytes([0x80; 8]);
    let marked = |word: u64| {
        let at_most_space = word.wrapping_sub(ONES * 0x21) & !word;
        let del = (word ^ (ONES * 0x7f)).wrapping_sub(ONES) & !(word ^ (ONES * 0x7f));
        (at_most_space | del | word) & HIGH_BITS != 0
    };
    let bytes = text.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    let clean = chunks.all(|chunk| {
        !marked(u64::from_ne_bytes([chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7]]))
    }) && chunks.remainder().iter().all(|&b| b > b' ' && b < 0x7f);
    if clean {
        return false;
    }
    if text.is_ascii() {
        return bytes.iter().any(|&b| b <= b' ' || b == 0x7f);
    }
    text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `text` up to the first `byte` (an ASCII delimiter), or all of it.
fn before(text: &str, byte: u8) -> &str {
    text.bytes().position(|b| b == byte).map_or(text, |end| &text[..end])
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_at_a_time_space_test_agrees_with_the_definition() {
        let probes = [
            'a', ' ', '\t', '\n', '\u{0}', '\u{1f}', '!', '~', '\u{7f}', '\u{80}', '\u{85}', '\u{a0}', 'é', '\u{3000}',
            '台',
        ];
        for background in ['a', '~', '!', 'é'] {
            for len in 0..20 {
                for at in 0..=len {
                    for probe in probes {
                        let text: String = (0..len).map(|i| if i == at { probe } else { background }).collect();
                        let expected = text.chars().any(|c| c.is_whitespace() || c.is_control());
                        assert_eq!(has_space_or_control(&text), expected, "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn emails() {
        for good in ["123@gmail.com", "mei.lin@example.com", "a+b@x.co.uk"] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "",
            "a",
            "@x.com",
            "a@",
            "a@b",
            "a @b.com",
            "a@b@c.com",
            "a@b..com",
            "a@.com",
            "a@b.com.",
            "a@b.c\u{3000}",
            "a\u{85}@b.com",
            "a@b.com\n",
            "a\u{7f}@b.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    /// `is_http_url` as it was written before the one-pass authority scan.
    fn reference_is_http_url(text: &str) -> bool {
        let Some(rest) =
            strip_prefix_ignore_case(text, "https://").or_else(|| strip_prefix_ignore_case(text, "http://"))
        else {
            return false;
        };
        if has_space_or_control(text) {
            return false;
        }
        let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
        let host_and_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
        let host = match host_and_port.strip_prefix('[') {
            Some(literal) => literal.split(']').next().unwrap_or_default().trim_start_matches('['),
            None => host_and_port.split(':').next().unwrap_or_default(),
        };
        !host.is_empty()
    }

    #[test]
    fn the_one_pass_url_check_agrees_with_the_reference() {
        let pieces = ["h", ".", "@", ":", "[", "]", "/", "?", "#", "80", "::1", "é", " "];
        let mut texts: Vec<String> = ["http://", "https://", "HTTPS://", "ftp://"].map(String::from).to_vec();
        for _ in 0..4 {
            texts = texts.iter().flat_map(|text| pieces.iter().map(move |piece| format!("{text}{piece}"))).collect();
            for text in &texts {
                assert_eq!(is_http_url(text), reference_is_http_url(text), "{text:?}");
            }
        }
    }

    #[test]
    fn urls() {
        for good in [
            "https://google.com",
            "http://abc.com/callback_page",
            "https://m.example.com/notify?a=1&b=2",
            "http://127.0.0.1:8080/n",
            "http://[::1]:8080/",
            "HTTPS://EXAMPLE.COM",
        ] {
            assert!(is_http_url(good), "{good}");
        }
        for bad in [
            "",
            "google.com",
            "ftp://x.com",
            "https://",
            "https:///path",
            "https://a b.com",
            "http://:80/",
            "http://user@/",
            "http://[]/",
            "https://x.com/\u{3000}",
            "https://x.com/\t",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }
}
