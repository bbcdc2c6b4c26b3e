//! How a notification reaches the merchant's receiver: the wire under the
//! notifier's ladder. By default one POST over HTTP on a fresh connection;
//! a program embedding the sandbox (a simulation delivering in process,
//! losing, duplicating, delaying or reordering deliveries by seed, or
//! modelling a receiver that is down) gives its own
//! [`NotificationTransport`] with
//! [`SandboxConfig::deliver_with`](crate::SandboxConfig::deliver_with).
//! The ladder, the attempt log and "acknowledged only on `200 OK`" are the
//! notifier's, the same whichever wire carries the attempt.
//!
//! Outgoing HTTP is one fresh HTTP/1.1 connection per attempt through
//! hyper's low-level client (already in the tree for the server), `http://`
//! only: no pool to go stale between retries hours apart, no TLS stack.

use std::future::Future;
use std::pin::Pin;

use axum::body::Bytes;
use axum::http::{HeaderValue, Request, Uri, header};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::notify::delivery::{DeliveryTrigger, NotifiedKind};

/// The merchant's answer is read up to this size.
const RESPONSE_LIMIT: usize = 64 * 1024;

/// One attempt to deliver a notification, as the wire gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotificationRequest {
    /// The `notifyUrl` (an absolute `http://` URL: the ladder refuses
    /// others before any attempt, as the gateway does).
    pub url: String,
    /// The signed JSON body, exactly as it is to be sent.
    pub body: Bytes,
    /// About an order, a payout, or a record of another kind.
    pub kind: NotifiedKind,
    /// The merchant's `tradeNo` it is about.
    pub trade_no: String,
    /// The number this attempt is logged with: 1 for the notification's
    /// first, resends counted too (unless a resend of the same
    /// notification is made at the very same time).
    pub attempt: u32,
    /// A ladder attempt or a resend.
    pub trigger: DeliveryTrigger,
}

/// The receiver's answer: its HTTP status and body. Only `200` with the
/// body `OK` acknowledges the notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiverAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The body (the log keeps its first 200 bytes).
    pub body: Bytes,
}

impl ReceiverAnswer {
    /// `200 OK`: what acknowledges a notification.
    pub fn ok() -> Self {
        Self { status: 200, body: Bytes::from_static(b"OK") }
    }

    /// Any other answer.
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        Self { status, body: body.into() }
    }
}

/// No answer at all: the receiver could not be reached or the exchange
/// broke. The attempt is logged as failed with this reason, and the
/// ladder retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DeliveryFailure(pub String);

/// What [`NotificationTransport::deliver`] returns.
pub type DeliveryFuture = Pin<Box<dyn Future<Output = Result<ReceiverAnswer, DeliveryFailure>> + Send>>;

/// The wire a notification attempt travels: given the attempt, the
/// receiver's answer or a transport failure. Any
/// `Fn(NotificationRequest) -> impl Future<Output = Result<ReceiverAnswer,
/// DeliveryFailure>>` is one. Each attempt is still bounded by
/// `SandboxConfig::notify_timeout` (real time), then logged as failed.
///
/// ```
/// use std::sync::Arc;
/// use vexora_sandbox::{DeliveryFailure, NotificationRequest, ReceiverAnswer, SandboxConfig};
///
/// // A receiver that is down for the first two attempts of every notification.
/// let config = SandboxConfig::default().deliver_with(Arc::new(|request: NotificationRequest| async move {
///     if request.attempt <= 2 {
///         Err(DeliveryFailure("connection refused".into()))
///     } else {
///         Ok(ReceiverAnswer::ok())
///     }
/// }));
/// assert!(config.notification_transport.is_some());
/// ```
pub trait NotificationTransport: Send + Sync {
    /// Makes one attempt.
    fn deliver(&self, request: NotificationRequest) -> DeliveryFuture;
}

impl<F, Fut> NotificationTransport for F
where
    F: Fn(NotificationRequest) -> Fut + Send + Sync,
    Fut: Future<Output = Result<ReceiverAnswer, DeliveryFailure>> + Send + 'static,
{
    fn deliver(&self, request: NotificationRequest) -> DeliveryFuture {
        Box::pin(self(request))
    }
}

/// The default wire: a POST over HTTP.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct HttpTransport;

impl NotificationTransport for HttpTransport {
    fn deliver(&self, request: NotificationRequest) -> DeliveryFuture {
        Box::pin(async move {
            let target = Target::parse(&request.url).map_err(DeliveryFailure)?;
            let (status, body) = post(&target, request.body).await.map_err(DeliveryFailure)?;
            Ok(ReceiverAnswer { status, body })
        })
    }
}

/// Whether the ladder can call `url` at all: an absolute `http://` URL.
pub(crate) fn check_url(url: &str) -> Result<(), String> {
    Target::parse(url).map(|_| ())
}

/// Where an `http://` URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    /// For connecting: no IPv6 brackets.
    host: String,
    port: u16,
    /// The `Host` header.
    host_header: String,
    path_and_query: String,
}

impl Target {
    fn parse(url: &str) -> Result<Self, String> {
        let uri: Uri = url.parse().map_err(|error| format!("notifyUrl is not a URL: {error}"))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some(other) => {
                return Err(format!("{other}:// notify URLs are not supported by the sandbox (http:// only)"));
            }
            None => return Err("notifyUrl is not an absolute http:// URL".to_owned()),
        }
        let authority = uri.authority().ok_or("notifyUrl has no host")?;
        let host = authority.host();
        let host_header = match authority.port_u16() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        Ok(Self {
            host: host.trim_start_matches('[').trim_end_matches(']').to_owned(),
            port: authority.port_u16().unwrap_or(80),
            host_header,
            path_and_query: uri.path_and_query().map_or("/", |path| path.as_str()).to_owned(),
        })
    }
}

/// One POST on a new connection; returns the status and body, or why not.
async fn post(target: &Target, body: Bytes) -> Result<(u16, Bytes), String> {
    let stream = TcpStream::connect((target.host.as_str(), target.port))
        .await
        .map_err(|error| format!("cannot connect to {}:{}: {error}", target.host, target.port))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| format!("HTTP handshake failed: {error}"))?;
    // Ends when the exchange is done (we ask the merchant to close) or the sender is dropped.
    tokio::spawn(async move {
        let _closed = connection.await;
    });
    let host = HeaderValue::from_str(&target.host_header).map_err(|error| format!("bad Host: {error}"))?;
    let request = Request::post(target.path_and_query.as_str())
        .header(header::HOST, host)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::USER_AGENT, concat!("vexora-sandbox/", env!("CARGO_PKG_VERSION")))
        .header(header::CONNECTION, "close")
        .body(Full::new(body))
        .map_err(|error| format!("cannot build the request: {error}"))?;
    let response = sender.send_request(request).await.map_err(|error| format!("exchange failed: {error}"))?;
    let status = response.status().as_u16();
    let body = Limited::new(response.into_body(), RESPONSE_LIMIT)
        .collect()
        .await
        .map_err(|error| format!("cannot read the answer (HTTP {status}): {error}"))?
        .to_bytes();
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_http_only() {
        let target = Target::parse("http://127.0.0.1:8080/notify?x=1").expect("an http URL");
        assert_eq!(
            target,
            Target {
                host: "127.0.0.1".into(),
                port: 8080,
                host_header: "127.0.0.1:8080".into(),
                path_and_query: "/notify?x=1".into()
            }
        );
        let ipv6 = Target::parse("http://[::1]/").expect("an http URL");
        assert_eq!((ipv6.host.as_str(), ipv6.port, ipv6.host_header.as_str()), ("::1", 80, "[::1]"));
        assert_eq!(Target::parse("http://example.com").map(|t| t.path_and_query), Ok("/".to_owned()));
        let https = Target::parse("https://example.com/n").expect_err("refused");
        assert!(https.contains("http:// only"), "{https}");
        assert!(Target::parse("not a url").is_err());
        assert!(Target::parse("/relative").is_err());
    }
}
