//! The default backend: surf on its curl client.
//!
//! surf is configured `default-features = false, features = ["curl-client"]`:
//! the curl backend has no known advisory and bounds the whole exchange
//! (connect, send, response, body) with one timeout, while surf's rustls and
//! hyper backends pull crates with known vulnerabilities.

use std::fmt;
use std::time::Duration;

use futures_lite::AsyncReadExt;

use super::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind, MAX_RESPONSE_BYTES};

/// Sends requests with a shared [`surf::Client`] (one connection pool).
///
/// Two deadlines guard each exchange: curl's own timeout, set on the client
/// (it covers connect, send, response head and body inside curl), and
/// `HttpRequest::timeout` around the whole future, which also covers reading
/// the body through surf and applies per request.
#[derive(Clone)]
pub struct SurfTransport {
    client: surf::Client,
}

impl SurfTransport {
    /// A transport with its own connection pool, whose curl timeout is `timeout`.
    pub fn new(timeout: Duration) -> Self {
        let config = surf::Config::new().set_timeout(Some(timeout));
        // `try_into` only fails if curl cannot be initialised at all; fall
        // back to surf's defaults rather than refusing to build a client,
        // since the per-request deadline still bounds every exchange.
        let client = config.try_into().unwrap_or_else(|_| surf::Client::new());
        Self { client }
    }

    /// A transport over an existing surf client (to share its pool).
    pub fn with_client(client: surf::Client) -> Self {
        Self { client }
    }
}

impl fmt::Debug for SurfTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SurfTransport { .. }")
    }
}

impl Transport for SurfTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let url = surf::Url::parse(&request.url)
            .map_err(|e| TransportError::new(TransportErrorKind::Connect, format!("invalid URL: {e}")))?;
        let method = request
            .method
            .parse::<surf::http::Method>()
            .map_err(|e| TransportError::new(TransportErrorKind::Connect, format!("invalid method: {e}")))?;
        let mut builder = surf::RequestBuilder::new(method, url);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.as_str());
        }
        let http_request = builder.body(surf::Body::from_bytes(request.body)).build();
        let exchange = async {
            // A surf failure is classified by where it happened, never by
            // `surf::Error::status()`: for transport failures that "status"
            // is a made-up 500, not something the gateway said.
            let mut response = self
                .client
                .send(http_request)
                .await
                .map_err(|e| TransportError::new(classify_send_error(&e), e.to_string()))?;
            let status = u16::from(response.status());
            let content_type = response.header("content-type").map(|value| value.as_str().to_owned());
            let mut body = Vec::new();
            // Read one byte past the cap, so an oversized body is recognised
            // without buffering all of it.
            let limit = u64::try_from(MAX_RESPONSE_BYTES + 1).unwrap_or(u64::MAX);
            response
                .take_body()
                .into_reader()
                .take(limit)
                .read_to_end(&mut body)
                .await
                .map_err(|e| TransportError::new(TransportErrorKind::Body, e.to_string()))?;
            Ok(HttpResponse { status, content_type, body })
        };
        async_std::future::timeout(request.timeout, exchange).await.unwrap_or_else(|_| {
            Err(TransportError::new(
                TransportErrorKind::Timeout,
                format!("no complete response within {:?}", request.timeout),
            ))
        })
    }
}

/// `send` returned `Err`: no response head arrived. Whether the request
/// left the machine is only certain when the connection itself failed.
fn classify_send_error(error: &surf::Error) -> TransportErrorKind {
    match error.downcast_ref::<isahc::Error>() {
        Some(isahc::Error::ConnectFailed | isahc::Error::CouldntResolveHost | isahc::Error::CouldntResolveProxy) => {
            TransportErrorKind::Connect
        }
        Some(isahc::Error::Io(io)) if io.kind() == std::io::ErrorKind::ConnectionRefused => TransportErrorKind::Connect,
        Some(isahc::Error::Timeout) => TransportErrorKind::Timeout,
        _ => TransportErrorKind::Exchange,
    }
}
