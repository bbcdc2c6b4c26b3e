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

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let no_space = |part: &str| !part.is_empty() && !part.chars().any(|c| c.is_whitespace() || c.is_control());
    no_space(local)
        && no_space(domain)
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty())
}

fn is_http_url(text: &str) -> bool {
    let rest = if let Some(rest) = strip_prefix_ignore_case(text, "https://") {
        rest
    } else if let Some(rest) = strip_prefix_ignore_case(text, "http://") {
        rest
    } else {
        return false;
    };
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_and_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_and_port.starts_with('[') {
        // An IPv6 literal: `[::1]:8080`.
        host_and_port.split(']').next().unwrap_or_default().trim_start_matches('[')
    } else {
        host_and_port.split(':').next().unwrap_or_default()
    };
    !host.is_empty()
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
        for bad in ["", "a", "@x.com", "a@", "a@b", "a @b.com", "a@b@c.com", "a@b..com", "a@.com"] {
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
        for bad in ["", "google.com", "ftp://x.com", "https://", "https:///path", "https://a b.com", "http://:80/"] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }
}
