//! The default backend: surf on curl.
//!
//! surf is configured `default-features = false, features = ["curl-client"]`:
//! the curl backend has no known advisory and bounds the whole exchange
//! (connect, send, response, body) with one timeout, while surf's rustls and
//! hyper backends pull crates with known vulnerabilities. The client itself
//! runs on the SDK's own curl backend (`transport/curl.rs`).

use std::fmt;
use std::time::Duration;

use futures_lite::AsyncReadExt;

use super::curl::{CurlBackend, Deadline, ReceivedStatus};
use super::exchange::{
    DEFAULT_MAX_IDLE_CONNECTIONS, HttpRequest, HttpResponse, MAX_RESPONSE_BYTES, Transport, TransportError,
    TransportErrorKind,
};

/// Sends requests with a shared [`surf::Client`] (one connection pool).
///
/// Each request is bounded by its [`HttpRequest::timeout`]: connect, send,
/// response head and body. curl itself keeps that deadline (see
/// `transport/curl.rs`: no per-request timer in the async runtime, and no
/// panic on unusual statuses or header bytes).
///
/// Never follows a redirect: the backend is always the SDK's own curl
/// client, built with no redirect policy, so a `3xx` reaches the client as
/// it is. (An arbitrary `surf::Client` is not accepted: surf's `Redirect`
/// middleware, once added, cannot be seen or removed.)
#[derive(Clone)]
pub struct SurfTransport {
    client: surf::Client,
    deadlines: Deadlines,
}

/// Who enforces a request's deadline.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Deadlines {
    /// The SDK's curl backend, from the request's [`Deadline`] extension.
    InCurl,
    /// A runtime timer around the exchange (any other surf backend).
    Timer,
}

impl SurfTransport {
    /// A transport with its own connection pool (one connection per request
    /// in flight, reused, at most [`DEFAULT_MAX_IDLE_CONNECTIONS`] kept
    /// idle); `timeout` bounds any request that does not carry its own.
    pub fn new(timeout: Duration) -> Self {
        Self::with_max_idle_connections(timeout, DEFAULT_MAX_IDLE_CONNECTIONS)
    }

    /// [`SurfTransport::new`], keeping at most `max_idle` idle connections
    /// to the gateway.
    pub fn with_max_idle_connections(timeout: Duration, max_idle: usize) -> Self {
        let config = http_client::Config::new().set_timeout(Some(timeout));
        match CurlBackend::new(config, max_idle) {
            Ok(backend) => Self { client: surf::Client::with_http_client(backend), deadlines: Deadlines::InCurl },
            // Only fails if curl cannot be initialised at all; fall back to
            // surf's own curl client (which follows no redirect either)
            // rather than refusing to build a transport, with the deadline
            // kept by a timer.
            Err(_) => Self::timer_backed(surf::Client::new()),
        }
    }

    /// A transport whose deadlines are a runtime timer around the exchange.
    fn timer_backed(client: surf::Client) -> Self {
        Self { client, deadlines: Deadlines::Timer }
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
        for (name, value) in request.headers.iter() {
            builder = builder.header(*name, value.as_str());
        }
        let mut http_request = builder.body(surf::Body::from_bytes(request.body)).build();
        match self.deadlines {
            Deadlines::InCurl => {
                http_request.set_ext(Deadline(request.timeout));
                self.exchange(http_request).await
            }
            Deadlines::Timer => {
                async_std::future::timeout(request.timeout, self.exchange(http_request)).await.unwrap_or_else(|_| {
                    Err(TransportError::new(
                        TransportErrorKind::Timeout,
                        format!("no complete response within {:?}", request.timeout),
                    ))
                })
            }
        }
    }

    async fn wait(&self, duration: Duration) {
        async_std::task::sleep(duration).await;
    }
}

impl SurfTransport {
    /// One request and its whole response body (up to the cap).
    async fn exchange(&self, request: surf::Request) -> Result<HttpResponse, TransportError> {
        // A surf failure is classified by where it happened, never by
        // `surf::Error::status()`: for transport failures that "status" is a
        // made-up 500, not something the gateway said.
        let mut response =
            self.client.send(request).await.map_err(|e| TransportError::new(classify_send_error(&e), e.to_string()))?;
        let status =
            response.ext::<ReceivedStatus>().map_or_else(|| u16::from(response.status()), |received| received.0);
        let content_type = response.header("content-type").map(|value| value.as_str().to_owned());
        // Sized by the declared length (a hint: the read stops at the cap and
        // at the end of the body, whatever was declared).
        let mut body = Vec::with_capacity(response.len().unwrap_or(0).min(MAX_RESPONSE_BYTES + 1));
        // Read one byte past the cap, so an oversized body is recognised
        // without buffering all of it.
        let limit = u64::try_from(MAX_RESPONSE_BYTES + 1).unwrap_or(u64::MAX);
        response
            .take_body()
            .into_reader()
            .take(limit)
            .read_to_end(&mut body)
            .await
            .map_err(|e| TransportError::new(classify_body_error(&e), e.to_string()))?;
        Ok(HttpResponse { status, content_type, body })
    }
}

/// Reading the body failed after the response head arrived: curl's deadline
/// ran out mid-body, or the connection broke.
fn classify_body_error(error: &std::io::Error) -> TransportErrorKind {
    match error.kind() {
        std::io::ErrorKind::TimedOut => TransportErrorKind::Timeout,
        _ => TransportErrorKind::Body,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The fallback backend keeps the deadline with a timer: a server that
    /// accepts and never answers is a timeout within it.
    #[test]
    fn the_timer_backed_fallback_keeps_the_deadline() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("address");
        std::thread::spawn(move || {
            let held: Vec<_> = listener.incoming().take(1).collect();
            std::thread::sleep(Duration::from_secs(3));
            drop(held);
        });
        let transport = SurfTransport::timer_backed(surf::Client::new());
        let request = HttpRequest {
            method: "POST",
            url: format!("http://{addr}/v1/vexora/queryBalance"),
            headers: std::sync::Arc::from([]),
            body: b"{}".to_vec(),
            timeout: Duration::from_millis(300),
        };
        let started = std::time::Instant::now();
        let result = futures_lite::future::block_on(transport.send(request));
        assert_eq!(result.map_err(|error| error.kind()), Err(TransportErrorKind::Timeout));
        assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    }
}
