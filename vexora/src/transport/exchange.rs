//! What a transport is handed and hands back: the finished request, the
//! response, the [`Transport`] trait, and how an exchange fails.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// An HTTP request, ready to go: nothing about it changes after this.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Always `POST` for the Vexora API.
    pub method: &'static str,
    /// The absolute URL: base URL + endpoint path.
    pub url: String,
    /// Headers in the order they are sent. Shared: a client builds its
    /// header list once and every request it prepares points to it.
    pub headers: Arc<[(&'static str, String)]>,
    /// The exact body bytes.
    pub body: Vec<u8>,
    /// The deadline for the whole exchange.
    pub timeout: Duration,
}

impl HttpRequest {
    /// The value of the header `name` (case-insensitive), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

impl std::fmt::Debug for HttpRequest {
    // The body holds the payer's personal data and the signature: Debug shows
    // only its size. Read `body` explicitly when you mean to.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body_bytes", &self.body.len())
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The most response bytes a transport reads: 1 MiB. Every documented
/// response is well under 1 KiB; a larger body is refused as a bad
/// response instead of being buffered without bound. Transports read at
/// most one byte more than this, so the decoder can tell.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body, at most [`MAX_RESPONSE_BYTES`] + 1 bytes.
    pub body: Vec<u8>,
}

/// How many idle connections a transport keeps open for reuse, by default.
///
/// A burst of calls opens one connection per call in flight; once it is
/// over, connections beyond this many are closed instead of being kept
/// (the gateway is one host, so this is also the cap per host). It covers
/// the 64 concurrent calls the benchmarks run without reconnecting.
pub const DEFAULT_MAX_IDLE_CONNECTIONS: usize = 64;

/// Sends one request and returns the response, within `request.timeout`.
///
/// Implementations must not retry on their own: whether a request may be
/// sent again is a business decision (a checkout must never be sent twice
/// blindly), made above the transport. For the same reason they must never
/// follow an HTTP redirect: a `3xx` is returned as it is. Following one
/// would send the signed body and the `merchantNo` header to whatever host
/// the `Location` names, and resend a create.
pub trait Transport: Send + Sync {
    /// Sends `request` and reads the whole response.
    fn send(&self, request: HttpRequest) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send;

    /// Completes after `duration`: the client's wait between retries, on
    /// the timer of the runtime this transport runs on (a wait costs a
    /// timer entry, not a thread).
    fn wait(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

/// Where an exchange failed, which decides whether the gateway may have
/// received the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection was made; the request certainly did not leave the machine.
    Connect,
    /// The deadline passed; the request may have been received.
    Timeout,
    /// The exchange failed after the connection was made, before a response
    /// head arrived; the request may have been received.
    Exchange,
    /// A response head arrived but its body could not be read; the request
    /// was received.
    Body,
}

/// An exchange that did not produce a whole response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("transport error ({kind:?}): {message}")]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
}

impl TransportError {
    /// An error of `kind`, with the backend's description.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }

    /// Where it failed.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the gateway may have received the request (and so may have
    /// created an order): true for everything but [`TransportErrorKind::Connect`].
    pub fn may_have_reached_gateway(&self) -> bool {
        self.kind != TransportErrorKind::Connect
    }
}
