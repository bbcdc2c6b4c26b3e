//! surf's HTTP backend for [`SurfTransport`](super::SurfTransport): curl
//! through isahc, as surf's own `curl-client`, with three differences.
//!
//! - **Per-request deadlines inside curl.** A request may carry a
//!   [`Deadline`] extension; curl then bounds that exchange (connect, send,
//!   response head and body) with it. No timer is registered with the async
//!   runtime per request: registering one wakes async-io's reactor thread on
//!   every call, and curl's transfer loop already keeps the time.
//! - **No compression asked for.** Responses are small JSON objects; see
//!   [`CurlBackend::new`].
//! - **Whatever the server sends is read, never a panic.** http-client's
//!   isahc backend `unwrap`s while converting a response: a status code
//!   missing from http-types' list (`218`, `599`) or a header value with
//!   bytes outside visible ASCII (legal in HTTP) panics the caller. Here the
//!   exact status travels in a [`ReceivedStatus`] extension, and header
//!   values that http-types cannot hold are left out.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use futures_lite::io::BufReader;
use http_client::{Config, HttpClient};
use isahc::config::Configurable;
use surf::http::{Request, Response, StatusCode};

/// How long one exchange may take, attached to a request as an extension.
#[derive(Debug, Clone, Copy)]
pub(super) struct Deadline(pub(super) Duration);

/// The status line's code exactly as received, attached to a response whose
/// code http-types cannot name (it only has the codes on its list).
#[derive(Debug, Clone, Copy)]
pub(super) struct ReceivedStatus(pub(super) u16);

/// The largest read buffer for a response body (futures' default); bodies
/// that declare a smaller length get a buffer of that size.
const READ_BUFFER: usize = 8 * 1024;

/// The smallest read buffer, for bodies that declare a tiny length.
const MIN_READ_BUFFER: usize = 64;

/// The curl client behind the SDK's own surf client.
pub(super) struct CurlBackend {
    client: isahc::HttpClient,
    config: Config,
    max_idle: usize,
}

impl CurlBackend {
    /// A client with its own connection pool, configured as surf's
    /// `Config` configures its curl client (keep-alive, `TCP_NODELAY`, and
    /// the timeout of requests without a [`Deadline`]). Like surf's, the
    /// pool opens as many connections as there are requests in flight.
    /// At most `max_idle` connections stay open once their transfers are
    /// done (curl's own default grows with the transfers ever in flight).
    pub(super) fn new(config: Config, max_idle: usize) -> Result<Self, isahc::Error> {
        // `max_connections_per_host` is left unapplied, as surf's own curl
        // client built from a `Config` leaves it: a cap below the requests
        // in flight makes them queue for a connection inside curl. Only the
        // idle connections kept afterwards are capped.
        // No `Accept-Encoding`: every gateway response is a JSON object of
        // well under 1 KiB, which compression does not shrink enough to pay
        // for the header, and decompression is code a response could drive.
        // A `3xx` is returned as it is, never followed (isahc's default too,
        // stated here because resending a signed create must never happen).
        let mut builder = isahc::HttpClient::builder()
            .automatic_decompression(false)
            .redirect_policy(isahc::config::RedirectPolicy::None);
        if let Some(timeout) = config.timeout {
            builder = builder.timeout(curl_timeout(timeout));
        }
        if config.tcp_no_delay {
            builder = builder.tcp_nodelay();
        }
        let cache = if config.http_keep_alive { max_idle } else { 0 };
        builder = builder.connection_cache_size(cache);
        Ok(Self { client: builder.build()?, config, max_idle })
    }

    async fn exchange(&self, mut request: Request) -> Result<Response, surf::Error> {
        let mut builder = isahc::http::Request::builder().method(request.method().as_ref()).uri(request.url().as_str());
        for (name, values) in request.iter() {
            for value in values {
                builder = builder.header(name.as_str(), value.as_str());
            }
        }
        if let Some(Deadline(timeout)) = request.ext().get::<Deadline>() {
            builder = builder.timeout(curl_timeout(*timeout));
        }
        let body = request.take_body();
        let body = match body.len() {
            Some(length) => isahc::Body::from_reader_sized(body, u64::try_from(length).unwrap_or(u64::MAX)),
            None => isahc::Body::from_reader(body),
        };
        let request = builder.body(body).map_err(|error| surf::Error::new(StatusCode::BadRequest, error))?;

        let (head, body) = self.client.send_async(request).await.map_err(surf::Error::from)?.into_parts();
        let received = head.status.as_u16();
        let listed = listed_status(received);
        let mut response = Response::new(listed);
        if u16::from(listed) != received {
            // Only then: an extension map is an allocation per response.
            response.ext_mut().insert(ReceivedStatus(received));
        }
        for (name, value) in &head.headers {
            // Values with bytes outside visible ASCII cannot be held by
            // http-types; none of the headers the SDK reads legitimately
            // has them, and a missing `Content-Type` is refused downstream.
            if let Ok(value) = value.to_str() {
                response.append_header(name.as_str(), value);
            }
        }
        // The declared length, when there is one, sizes the read buffer and
        // travels on as the body's length hint (the reader pre-sizes its
        // vector with it); it is never trusted beyond that.
        let length = body.len().and_then(|length| usize::try_from(length).ok());
        let buffer = length.unwrap_or(READ_BUFFER).clamp(MIN_READ_BUFFER, READ_BUFFER);
        response.set_body(surf::Body::from_reader(BufReader::with_capacity(buffer, body), length));
        Ok(response)
    }
}

/// `timeout` as curl can keep it. curl counts whole milliseconds and reads
/// 0 as "no timeout at all", so anything under 1 ms becomes 1 ms; the
/// millisecond count is a C `long` (32 bits on some platforms), so the
/// longest is 24 days.
fn curl_timeout(timeout: Duration) -> Duration {
    timeout.clamp(Duration::from_millis(1), Duration::from_secs(24 * 24 * 3600))
}

/// A code http-types can hold: `received` itself when it is on the list,
/// else the first code of its class (the exact code is in [`ReceivedStatus`]).
fn listed_status(received: u16) -> StatusCode {
    StatusCode::try_from(received)
        .or_else(|_| StatusCode::try_from(received / 100 * 100))
        .unwrap_or(StatusCode::InternalServerError)
}

impl fmt::Debug for CurlBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CurlBackend").field("config", &self.config).finish_non_exhaustive()
    }
}

/// Written out rather than through `#[async_trait]`: the trait's methods
/// return boxed futures, which is all that attribute would generate.
impl HttpClient for CurlBackend {
    fn send<'this, 'future>(
        &'this self,
        request: Request,
    ) -> Pin<Box<dyn Future<Output = Result<Response, surf::Error>> + Send + 'future>>
    where
        'this: 'future,
        Self: 'future,
    {
        Box::pin(self.exchange(request))
    }

    fn set_config(&mut self, config: Config) -> surf::http::Result<()> {
        *self = Self::new(config, self.max_idle)?;
        Ok(())
    }

    fn config(&self) -> &Config {
        &self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_never_gets_a_zero_timeout() {
        for nanos in [0, 1, 999_999] {
            assert_eq!(curl_timeout(Duration::from_nanos(nanos)), Duration::from_millis(1));
        }
        assert_eq!(curl_timeout(Duration::from_millis(7)), Duration::from_millis(7));
        assert_eq!(curl_timeout(Duration::MAX), Duration::from_secs(24 * 24 * 3600));
    }

    #[test]
    fn every_status_has_a_listed_stand_in_of_its_class() {
        assert_eq!(listed_status(200), StatusCode::Ok);
        assert_eq!(listed_status(429), StatusCode::TooManyRequests);
        assert_eq!(listed_status(218), StatusCode::Ok);
        assert_eq!(listed_status(299), StatusCode::Ok);
        assert_eq!(listed_status(420), StatusCode::BadRequest);
        assert_eq!(listed_status(599), StatusCode::InternalServerError);
        assert_eq!(listed_status(999), StatusCode::InternalServerError);
        assert_eq!(listed_status(0), StatusCode::InternalServerError);
    }
}
