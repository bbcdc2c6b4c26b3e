//! The second backend: reqwest on tokio, TLS by rustls with the ring provider
//! and the platform's certificate roots.
//!
//! For merchants who want to leave surf and async-std (both flagged
//! unmaintained by RustSec). Needs a tokio runtime; enable the `reqwest`
//! feature (and, to drop surf entirely, `default-features = false`).

use std::fmt;
use std::sync::Arc;

use rustls_platform_verifier::BuilderVerifierExt;

use std::time::Duration;

use super::exchange::{
    DEFAULT_MAX_IDLE_CONNECTIONS, HttpRequest, HttpResponse, MAX_RESPONSE_BYTES, Transport, TransportError,
    TransportErrorKind,
};

/// Sends requests with a shared [`reqwest::Client`] (one connection pool).
///
/// Never follows a redirect: every constructor builds its client with
/// [`reqwest::redirect::Policy::none`], so a `3xx` reaches the client as
/// it is (a create that gets one is [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown)).
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with its own connection pool, verifying servers against
    /// the platform's certificate roots, keeping at most
    /// [`DEFAULT_MAX_IDLE_CONNECTIONS`] idle connections.
    pub fn new() -> Result<Self, TransportError> {
        Self::from_builder(Self::client_builder()?)
    }

    /// [`ReqwestTransport::new`], keeping at most `max_idle` idle
    /// connections to the gateway.
    pub fn with_max_idle_connections(max_idle: usize) -> Result<Self, TransportError> {
        Self::from_builder(Self::client_builder()?.pool_max_idle_per_host(max_idle))
    }

    /// The client settings [`ReqwestTransport::new`] starts from (rustls on
    /// ring with the platform's roots, the default idle-connection cap), to
    /// change what you need and pass to [`ReqwestTransport::from_builder`].
    pub fn client_builder() -> Result<reqwest::ClientBuilder, TransportError> {
        let setup = |error: &dyn fmt::Display| {
            TransportError::new(TransportErrorKind::Connect, format!("cannot set up TLS: {error}"))
        };
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| setup(&e))?
            .with_platform_verifier()
            .map_err(|e| setup(&e))?
            .with_no_client_auth();
        Ok(reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .pool_max_idle_per_host(DEFAULT_MAX_IDLE_CONNECTIONS))
    }

    /// A transport over a client you configure (proxy, TLS roots, pool).
    ///
    /// Whatever redirect policy `builder` has is replaced by
    /// [`Policy::none`](reqwest::redirect::Policy::none): a transport that
    /// followed a `307` would post the signed body to the host the
    /// `Location` names, and could create an order twice. An already built
    /// `reqwest::Client` is not accepted because its policy cannot be read.
    pub fn from_builder(builder: reqwest::ClientBuilder) -> Result<Self, TransportError> {
        let client = builder.redirect(reqwest::redirect::Policy::none()).build().map_err(|error| {
            TransportError::new(TransportErrorKind::Connect, format!("cannot build the HTTP client: {error}"))
        })?;
        Ok(Self { client })
    }
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReqwestTransport { .. }")
    }
}

impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let timeout = request.timeout;
        let mut builder = self.client.post(&request.url);
        for (name, value) in request.headers.iter() {
            builder = builder.header(*name, value.as_str());
        }
        let exchange = async {
            let mut response = builder.body(request.body).send().await.map_err(classify)?;
            let status = response.status().as_u16();
            let content_type =
                response.headers().get("content-type").and_then(|value| value.to_str().ok()).map(str::to_owned);
            let mut body = Vec::new();
            // Stop one byte past the cap, so an oversized body is recognised
            // without buffering all of it.
            while body.len() <= MAX_RESPONSE_BYTES {
                match response.chunk().await {
                    Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                    Ok(None) => break,
                    Err(error) => return Err(TransportError::new(TransportErrorKind::Body, error.to_string())),
                }
            }
            body.truncate(MAX_RESPONSE_BYTES + 1);
            Ok(HttpResponse { status, content_type, body })
        };
        // One deadline around everything, body included.
        tokio::time::timeout(timeout, exchange).await.unwrap_or_else(|_| {
            Err(TransportError::new(TransportErrorKind::Timeout, format!("no complete response within {timeout:?}")))
        })
    }

    async fn wait(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// Where `send` failed: only a failed connection proves nothing was sent.
fn classify(error: reqwest::Error) -> TransportError {
    let kind = if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Exchange
    };
    TransportError::new(kind, error.to_string())
}
