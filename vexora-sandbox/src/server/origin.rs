//! Who may talk to the sandbox, and who may change its state: one layer on
//! the router, in front of every route.
//!
//! **Host.** Every request must name the sandbox in `Host`: `127.0.0.1`,
//! `localhost`, `[::1]`, the address it was bound to, or a name given with
//! [`SandboxConfig::allowed_host`](crate::SandboxConfig::allowed_host); and
//! the port it listens on (no port: 80). A page that DNS rebinding points at
//! the sandbox still sends its own name, so it is refused, and a page on
//! `localhost:9999` is another origin, refused by the port.
//!
//! **Origin.** A request that may change state (any method but `GET`,
//! `HEAD` and `OPTIONS`) must come from the sandbox's own pages or from a
//! script. Its `Origin` must be `http://<Host>` (`null` is cross-site);
//! without one, its `Referer`'s origin must be; without either, it is
//! refused when it carries what only a browser sends (a `Cookie`, a
//! `User-Agent` starting with `Mozilla/` as every browser's does, or a
//! `Sec-Fetch-*` header without `Sec-Fetch-Site: same-origin`), since such a
//! browser request cannot be told from a cross-site one. curl, the SDK and
//! the CLI send none of these and are accepted.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The names a request's `Host` may carry, and the port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AllowedHosts {
    /// Lowercase; IPv6 addresses in brackets, as `Host` writes them.
    names: Vec<String>,
    port: u16,
}

impl AllowedHosts {
    /// The loopback names, the bound address unless it is unspecified
    /// (`0.0.0.0`), and `extra`, all on `addr`'s port.
    pub(crate) fn new(addr: SocketAddr, extra: &[String]) -> Self {
        let mut names: Vec<String> = ["127.0.0.1", "localhost", "[::1]"].map(str::to_owned).to_vec();
        match addr.ip() {
            ip if ip.is_unspecified() => {}
            IpAddr::V4(ip) => names.push(ip.to_string()),
            IpAddr::V6(ip) => names.push(format!("[{ip}]")),
        }
        names.extend(extra.iter().map(|name| name.to_ascii_lowercase()));
        names.dedup();
        Self { names, port: addr.port() }
    }

    /// Whether a `Host` header names this sandbox.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let (name, port) = match host.rsplit_once(':') {
            // `[::1]` alone: the colons are the address's, not a port's.
            Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
            _ => (host, Some(80)),
        };
        port == Some(self.port) && self.names.iter().any(|known| known.eq_ignore_ascii_case(name))
    }
}

/// Why a request was refused.
pub(crate) type Refused = (StatusCode, String);

/// The rule of this module, for one request.
pub(crate) fn check(hosts: &AllowedHosts, method: &Method, headers: &HeaderMap) -> Result<(), Refused> {
    let text = |name: header::HeaderName| headers.get(name).and_then(|value| value.to_str().ok());
    let Some(host) = text(header::HOST).filter(|host| hosts.allows(host)) else {
        return Err((
            StatusCode::FORBIDDEN,
            format!(
                "403 this sandbox answers to http://127.0.0.1:{0}, http://localhost:{0}, http://[::1]:{0} and the \
                 names given with --allowed-host, not to Host {1}\n",
                hosts.port,
                text(header::HOST).map_or_else(|| "(none)".to_owned(), |host| format!("{host:?}")),
            ),
        ));
    };
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let own = format!("http://{host}");
    let same = |origin: &str| origin.eq_ignore_ascii_case(&own);
    let cross_site = match (text(header::ORIGIN), text(header::REFERER)) {
        (Some(origin), _) => !same(origin),
        (None, Some(referer)) => !same(origin_of(referer)),
        (None, None) => looks_like_a_browser(headers),
    };
    if cross_site {
        return Err((
            StatusCode::FORBIDDEN,
            "403 this request came from another site (its Origin or Referer is not this sandbox); \
             use the sandbox's own pages, or send it from a script\n"
                .to_owned(),
        ));
    }
    Ok(())
}

/// `scheme://authority` of a URL (the whole text when it has no path).
fn origin_of(url: &str) -> &str {
    let start = url.find("://").map_or(0, |at| at + 3);
    let end = url[start..].find(['/', '?', '#']).map_or(url.len(), |at| start + at);
    &url[..end]
}

/// Whether a request without `Origin` and `Referer` carries what only a
/// browser sends (see the module's documentation).
fn looks_like_a_browser(headers: &HeaderMap) -> bool {
    let fetch_metadata = headers.keys().any(|name| name.as_str().starts_with("sec-fetch-"));
    let same_origin_fetch = headers.get("sec-fetch-site").is_some_and(|site| site.as_bytes() == b"same-origin");
    let browser_agent = headers.get(header::USER_AGENT).is_some_and(|agent| agent.as_bytes().starts_with(b"Mozilla/"));
    headers.contains_key(header::COOKIE) || browser_agent || (fetch_metadata && !same_origin_fetch)
}

/// The layer: refuses with a plain `403` what [`check`] refuses.
pub(crate) async fn guard(State(hosts): State<Arc<AllowedHosts>>, request: Request, next: Next) -> Response {
    match check(&hosts, request.method(), request.headers()) {
        Ok(()) => next.run(request).await,
        Err(refused) => refused.into_response(),
    }
}

/// An address a local client can reach: `0.0.0.0` becomes `127.0.0.1`.
pub(crate) fn reachable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::from((Ipv4Addr::LOCALHOST, addr.port())),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::from((Ipv6Addr::LOCALHOST, addr.port())),
        _ => addr,
    }
}

/// An IP address as a `Host` header writes it (IPv6 in brackets).
pub(crate) fn host_text(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn hosts() -> AllowedHosts {
        AllowedHosts::new(SocketAddr::from(([127, 0, 0, 1], 8080)), &["Sandbox.Test".to_owned()])
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_str(value).expect("a header value"));
        }
        headers
    }

    #[test]
    fn hosts_are_the_loopback_names_and_configured_ones_on_the_port() {
        let hosts = hosts();
        for host in ["127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080", "sandbox.test:8080"] {
            assert!(hosts.allows(host), "{host}");
        }
        for host in [
            "attacker.example:8080",
            "localhost:9999",
            "localhost",
            "127.0.0.1",
            "[::1]",
            "localhost.:8080",
            "127.0.0.1:8080@attacker.example",
            "localhost:08080x",
            "",
            "10.0.0.1:8080",
        ] {
            assert!(!hosts.allows(host), "{host}");
        }
        let on_80 = AllowedHosts::new(SocketAddr::from(([10, 0, 0, 1], 80)), &[]);
        assert!(on_80.allows("localhost") && on_80.allows("10.0.0.1:80") && on_80.allows("10.0.0.1"));
        let v6 = AllowedHosts::new("[fd00::1]:7".parse().expect("an address"), &[]);
        assert!(v6.allows("[fd00::1]:7") && !v6.allows("[fd00::2]:7"));
    }

    #[test]
    fn state_changes_come_from_the_sandbox_itself_or_from_scripts() {
        let hosts = hosts();
        let judge = |pairs: &[(&'static str, &str)]| {
            let mut all = vec![("host", "127.0.0.1:8080")];
            all.extend_from_slice(pairs);
            check(&hosts, &Method::POST, &headers(&all)).map_err(|(status, _)| status)
        };
        let refused = Err(StatusCode::FORBIDDEN);
        // Scripts: nothing a browser sends.
        assert_eq!(judge(&[]), Ok(()));
        assert_eq!(judge(&[("user-agent", "curl/8.5.0")]), Ok(()));
        // The sandbox's own pages.
        assert_eq!(judge(&[("origin", "http://127.0.0.1:8080")]), Ok(()));
        assert_eq!(judge(&[("referer", "http://127.0.0.1:8080/sandbox?page=2")]), Ok(()));
        assert_eq!(judge(&[("sec-fetch-site", "same-origin"), ("sec-fetch-mode", "navigate")]), Ok(()));
        // Other sites.
        assert_eq!(judge(&[("origin", "http://attacker.example")]), refused);
        assert_eq!(judge(&[("origin", "null")]), refused);
        assert_eq!(judge(&[("origin", "http://127.0.0.1:8080.attacker.example")]), refused);
        assert_eq!(judge(&[("origin", "https://127.0.0.1:8080")]), refused);
        assert_eq!(judge(&[("origin", "http://localhost:9999")]), refused);
        assert_eq!(judge(&[("referer", "http://attacker.example/page")]), refused);
        assert_eq!(judge(&[("referer", "http://127.0.0.1:8080.attacker.example/")]), refused);
        assert_eq!(judge(&[("origin", "http://attacker.example"), ("referer", "http://127.0.0.1:8080/")]), refused);
        // Browsers that sent neither.
        assert_eq!(judge(&[("sec-fetch-site", "cross-site")]), refused);
        assert_eq!(judge(&[("sec-fetch-mode", "no-cors")]), refused);
        assert_eq!(judge(&[("cookie", "a=b")]), refused);
        assert_eq!(judge(&[("user-agent", "Mozilla/5.0 (X11; Linux x86_64)")]), refused);
    }

    #[test]
    fn reads_are_not_judged_by_origin_but_every_request_by_host() {
        let hosts = hosts();
        let cross = headers(&[("host", "127.0.0.1:8080"), ("origin", "http://attacker.example")]);
        assert_eq!(check(&hosts, &Method::GET, &cross), Ok(()));
        for method in [Method::GET, Method::POST, Method::DELETE] {
            let rebound = headers(&[("host", "attacker.example:8080"), ("origin", "http://attacker.example:8080")]);
            assert_eq!(check(&hosts, &method, &rebound).map_err(|(status, _)| status), Err(StatusCode::FORBIDDEN));
            assert!(check(&hosts, &method, &HeaderMap::new()).is_err(), "no Host");
        }
    }

    #[test]
    fn origins_of_urls() {
        assert_eq!(origin_of("http://127.0.0.1:8080/sandbox?x#y"), "http://127.0.0.1:8080");
        assert_eq!(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(origin_of("http://h?q"), "http://h");
    }

    #[test]
    fn unspecified_addresses_become_loopback() {
        assert_eq!(reachable(SocketAddr::from(([0, 0, 0, 0], 80))), SocketAddr::from(([127, 0, 0, 1], 80)));
        assert_eq!(reachable(SocketAddr::from(([10, 0, 0, 1], 80))), SocketAddr::from(([10, 0, 0, 1], 80)));
    }
}
