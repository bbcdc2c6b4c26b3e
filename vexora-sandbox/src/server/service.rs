//! The sandbox as one service, whichever way requests reach it: every
//! request counted, its body read within the limits, a queued fault
//! applied to API paths, then routed to the gateway's API or the web's own
//! routes behind the guard of `origin.rs`.
//!
//! A body is read whole before routing, at most `max_body_bytes` (a larger
//! declared `Content-Length` is refused with `413` before reading any of it)
//! and within `body_read_timeout` (`408`).

use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Method, Request, StatusCode, Uri, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tokio::sync::watch;

use crate::error::SandboxError;
use crate::gateway::call::HiddenFor;
use crate::gateway::judge;
use crate::server::app::App;
use crate::server::config::SandboxConfig;
use crate::server::inject::{self, ConnectionDropped};
use crate::server::origin;
use crate::web::routes;

/// The header on every response, naming the sandbox's version.
pub const VERSION_HEADER: &str = "x-vexora-sandbox-version";
/// What a body's read may fail with, whatever the body.
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What one request may take, from [`SandboxConfig`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    max_body_bytes: usize,
    pub(crate) header_read_timeout: Duration,
    body_read_timeout: Duration,
}

/// The gateway's API and the web's own routes as one router, behind the
/// guard of `origin.rs`; anything else is answered `404` with the list of
/// API routes.
fn router(app: &App, max_body_bytes: usize) -> Router {
    let listed = app.gateway.routes().join(", ");
    let not_found = move |uri: Uri| async move {
        let text = format!("404 not found: {}\nThe sandbox's API routes (POST): {listed}\n", uri.path());
        (StatusCode::NOT_FOUND, text).into_response()
    };
    judge::router(&app.gateway)
        .merge(routes::router(&app.web))
        .fallback(not_found)
        // Bodies arrive already read within `max_body_bytes` (see
        // `read_body`); axum's own 2 MB default must not be a second,
        // different limit.
        .layer(DefaultBodyLimit::max(max_body_bytes))
        // Last, so it runs first, for every route and the fallback alike.
        .layer(middleware::from_fn_with_state(Arc::new(app.hosts.clone()), origin::guard))
}

/// The sandbox as one service, whichever way requests reach it: the app,
/// its router and the limits on a request. [`Sandbox::start`](crate::Sandbox::start) serves it
/// behind its accept loop, [`Sandbox::in_process`](crate::Sandbox::in_process) hands it to the caller,
/// so both run the same code from the body's first byte on.
///
/// A [`tower_service::Service`] for any request body of [`Bytes`] (an
/// `axum::body::Body`, hyper's `Incoming`, `http_body_util::Full`); it
/// answers with the response, or [`ConnectionDropped`] where a socket would
/// have been closed without an answer (a `drop_connection` fault). Clones
/// share the sandbox.
#[derive(Clone)]
pub struct SandboxService {
    pub(crate) app: Arc<App>,
    router: Router,
    pub(crate) limits: Limits,
}

impl fmt::Debug for SandboxService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxService").field("app", &self.app).field("limits", &self.limits).finish_non_exhaustive()
    }
}

impl SandboxService {
    /// The service `config` describes (see [`App::new`]).
    pub(crate) fn new(
        config: &SandboxConfig,
        addr: SocketAddr,
        public_url: String,
        shutdown: watch::Receiver<bool>,
    ) -> Result<Self, SandboxError> {
        let app = Arc::new(App::new(config, addr, public_url, shutdown)?);
        let limits = Limits {
            max_body_bytes: config.max_body_bytes,
            header_read_timeout: config.header_read_timeout,
            body_read_timeout: config.body_read_timeout,
        };
        let router = router(&app, limits.max_body_bytes);
        Ok(Self { app, router, limits })
    }

    /// Every request: counted, its body read within the limits, faults
    /// applied to API paths, version header added.
    pub(crate) async fn handle<B>(self, request: Request<B>) -> Result<Response, ConnectionDropped>
    where
        B: hyper::body::Body<Data = Bytes>,
        B::Error: Into<BoxError>,
    {
        self.app.web.counters.requests.fetch_add(1, Ordering::Relaxed);
        let mut response = match read_body(request, self.limits).await {
            Ok(request) => route(self.app, self.router, request).await?,
            Err(refusal) => refusal,
        };
        response.headers_mut().insert(VERSION_HEADER, HeaderValue::from_static(env!("CARGO_PKG_VERSION")));
        Ok(response)
    }
}

impl<B> tower_service::Service<Request<B>> for SandboxService
where
    B: hyper::body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = ConnectionDropped;
    type Future = Pin<Box<dyn Future<Output = Result<Response, ConnectionDropped>> + Send>>;

    fn poll_ready(&mut self, _context: &mut Context<'_>) -> Poll<Result<(), ConnectionDropped>> {
        // Always ready: requests are bounded by the callers (and by
        // `max_connections` behind a socket), not queued here.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        Box::pin(self.clone().handle(request))
    }
}

/// The request with its whole body read, or the answer refusing it: `413`
/// over `max_body_bytes` (before reading anything when `Content-Length`
/// says so), `408` when the body is not all there within
/// `body_read_timeout`, `400` when it cannot be read. Refusals close the
/// connection, since the rest of the body is never read.
async fn read_body<B>(request: Request<B>, limits: Limits) -> Result<Request<Body>, Response>
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    let (parts, body) = request.into_parts();
    let too_large = || {
        closing(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("413 request body larger than {} bytes\n", limits.max_body_bytes),
        )
    };
    // hyper's hint is the parsed `Content-Length` (0 when chunked).
    if body.size_hint().lower() > u64::try_from(limits.max_body_bytes).unwrap_or(u64::MAX) {
        return Err(too_large());
    }
    let bytes = if body.is_end_stream() {
        Bytes::new()
    } else {
        let read = Limited::new(body, limits.max_body_bytes).collect();
        match tokio::time::timeout(limits.body_read_timeout, read).await {
            Ok(Ok(collected)) => collected.to_bytes(),
            Ok(Err(error)) if error.is::<LengthLimitError>() => return Err(too_large()),
            Ok(Err(error)) => {
                return Err(closing(
                    StatusCode::BAD_REQUEST,
                    format!("400 the request body could not be read: {error}\n"),
                ));
            }
            Err(_) => {
                return Err(closing(
                    StatusCode::REQUEST_TIMEOUT,
                    format!("408 the request body did not arrive within {} ms\n", limits.body_read_timeout.as_millis()),
                ));
            }
        }
    };
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// A plain-text refusal after which hyper closes the connection.
fn closing(status: StatusCode, text: String) -> Response {
    let mut response = (status, text).into_response();
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Routes a request whose body has been read, applying a queued fault to API paths.
async fn route(app: Arc<App>, mut router: Router, mut request: Request<Body>) -> Result<Response, ConnectionDropped> {
    let path = request.uri().path();
    // A request the router's guard refuses takes no fault from the queue.
    let guarded = origin::check(&app.hosts, request.method(), request.headers()).is_ok();
    let fault = if guarded && request.method() == Method::POST && app.gateway.is_api_path(path) {
        app.web.faults().take(path)
    } else {
        None
    };
    if let Some(fault) = fault.as_ref().filter(|fault| fault.visible_after_ms > 0) {
        let hidden = i64::try_from(fault.visible_after_ms).unwrap_or(i64::MAX);
        request.extensions_mut().insert(HiddenFor(hidden));
    }
    let process = async move {
        match tower_service::Service::call(&mut router, request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    };
    match fault {
        Some(fault) => inject::apply(fault, process, || app.book.clock.now_ms()).await,
        None => Ok(process.await),
    }
}
