//! The named formats of [`Format`](super::Format).
//!
//! Deliberately conservative: each accepts what the gateway documents and a
//! merchant would send, and rejects what is certainly wrong (spaces, missing
//! parts, other schemes). None of them tries to be a full RFC parser.

use std::net::IpAddr;

use super::spec::Format;

pub(crate) fn holds(format: Format, text: &str) -> bool {
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
    if local.is_empty() || domain.is_empty() || has_space_or_control(text) || domain.contains('@') {
        return false;
    }
    domain.contains('.') && domain.split('.').all(|label| !label.is_empty())
}

/// An absolute `http://` or `https://` URL (scheme in any case) with a
/// non-empty host and no whitespace or control characters.
fn is_http_url(text: &str) -> bool {
    let Some(rest) = strip_prefix_ignore_case(text, "https://").or_else(|| strip_prefix_ignore_case(text, "http://"))
    else {
        return false;
    };
    if has_space_or_control(text) {
        return false;
    }
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_and_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = match host_and_port.strip_prefix('[') {
        // An IPv6 literal: `[::1]:8080`.
        Some(literal) => before(literal, b']').trim_start_matches('['),
        None => before(host_and_port, b':'),
    };
    !host.is_empty()
}

/// Whether `text` has a whitespace or control character.
fn has_space_or_control(text: &str) -> bool {
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
