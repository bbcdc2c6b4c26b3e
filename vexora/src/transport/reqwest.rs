//! The second backend: reqwest on tokio, TLS by rustls with the ring provider
//! and the platform's certificate roots.
//!
//! For merchants who want to leave surf and async-std (both flagged
//! unmaintained by RustSec). Needs a tokio runtime; enable the `reqwest`
//! feature (and, to drop surf entirely, `default-features = false`).

use std::fmt;
use std::sync::Arc;

use rustls_platform_verifier::BuilderVerifierExt;

use super::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind, MAX_RESPONSE_BYTES};

/// Sends requests with a shared [`reqwest::Client`] (one connection pool).
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with its own connection pool, verifying servers against
    /// the platform's certificate roots.
    pub fn new() -> Result<Self, TransportError> {
        let setup = |error: &dyn fmt::Display| {
            TransportError::new(TransportErrorKind::Connect, format!("cannot set up TLS: {error}"))
        };
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| setup(&e))?
            .with_platform_verifier()
            .map_err(|e| setup(&e))?
            .with_no_client_auth();
        let client = reqwest::Client::builder().tls_backend_preconfigured(tls).build().map_err(|e| setup(&e))?;
        Ok(Self { client })
    }

    /// A transport over an existing reqwest client (to share its pool).
    pub fn with_client(client: reqwest::Client) -> Self {
        Self { client }
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
