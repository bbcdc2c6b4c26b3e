//! Starting, serving and stopping a sandbox.
//!
//! Connections are accepted by our own loop and served by hyper directly,
//! with axum's `Router` inside. Owning the loop gives two things axum's
//! `serve` cannot: a count of accepted connections, and a way for a fault to
//! close a connection without any response (the service returns an error,
//! and hyper drops the connection without writing a byte).
//!
//! It is also where hostile clients are held off, so that whatever arrives
//! the sandbox answers or refuses and its memory stays bounded:
//!
//! - at most `max_connections` connections are served at once; one more is
//!   answered `503` and closed at once, without reading from it;
//! - a request head must arrive within `header_read_timeout` (an idle
//!   connection is closed after the same time) and fit in 16 KiB, else hyper
//!   closes the connection (`431` for a head too large);
//! - a body is read whole before routing, at most `max_body_bytes` (a larger
//!   declared `Content-Length` is refused with `413` before reading any of
//!   it) and within `body_read_timeout` (`408`).
//!
//! Together: at most `max_connections` × (16 KiB read buffer + one body)
//! of request data in memory, whatever the clients do.

use std::fmt;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Extension, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{oneshot, watch, Semaphore};

use crate::api;
use crate::app::{App, HiddenFor};
use crate::clock::SandboxClock;
use crate::config::SandboxConfig;
use crate::connections::Connections;
use crate::error::SandboxError;
use crate::faults::{self, ConnectionDropped};
use crate::handles::{RunningSandbox, SandboxHandle};
use crate::money::Cents;
use crate::notify::Notifier;
use crate::origin::{self, AllowedHosts};
use crate::receiver::HttpTransport;
use crate::routes::{self, OwnRoute};
use crate::specs;
use crate::state::State as SandboxState;

/// The header on every response, naming the sandbox's version.
pub const VERSION_HEADER: &str = "x-vexora-sandbox-version";
/// How long open connections get to finish at shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// The largest request head (request line and headers); hyper answers a
/// larger one with `431`. SDK heads are under 1 KiB, a browser's a few KiB.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// The most a connection's read buffer grows to (hyper's default is about
/// 400 KiB). A head must fit in it; a body streams through it.
const READ_BUFFER_BYTES: usize = MAX_HEAD_BYTES;
/// Connections the kernel completes and queues for the accept loop. std's
/// and tokio's 128 overflow under a burst of clients, whose handshakes then
/// wait a second or more to be retried; Linux caps this at `somaxconn`.
const ACCEPT_BACKLOG: u32 = 1024;
/// What a body's read may fail with, whatever the body.
type BoxError = Box<dyn std::error::Error + Send + Sync>;
/// What a connection over `max_connections` is sent before it is closed.
const BUSY_BODY: &str = "503 the sandbox is serving its maximum number of connections; try again later\n";

/// Starts sandboxes.
#[derive(Debug)]
pub struct Sandbox;

impl Sandbox {
    /// Starts a sandbox on the caller's tokio runtime (with I/O and time
    /// enabled) and returns once it listens. It stops when the returned value is dropped or
    /// [`RunningSandbox::shutdown`] is awaited.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), vexora_sandbox::SandboxError> {
    /// use vexora_sandbox::{Sandbox, SandboxConfig};
    ///
    /// let sandbox = Sandbox::start(SandboxConfig::default()).await?;
    /// let base_url = sandbox.base_url("taiwan"); // http://127.0.0.1:PORT/taiwan
    /// assert!(base_url.ends_with("/taiwan"));
    /// sandbox.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(SandboxError::Runtime(std::io::Error::other(
                "Sandbox::start must run on a tokio runtime; use Sandbox::spawn otherwise",
            )));
        }
        let listener = listen(config.addr).map_err(|source| SandboxError::Bind { addr: config.addr, source })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind { addr: config.addr, source })?;

        let (stop, stopped) = watch::channel(false);
        let service = SandboxService::new(&config, addr, format!("http://{}", reachable(addr)), stopped.clone())?;
        let connections = Arc::new(Connections {
            permits: Arc::new(Semaphore::new(config.max_connections.min(Semaphore::MAX_PERMITS))),
            limit: config.max_connections.min(Semaphore::MAX_PERMITS),
            refused: AtomicU64::new(0),
        });
        let app = Arc::clone(&service.app);
        let server = tokio::spawn(accept_loop(listener, service, Arc::clone(&connections), stopped));
        Ok(RunningSandbox { app, addr, stop, connections, server: Some(server) })
    }

    /// Starts a sandbox on its own tokio runtime in a background thread,
    /// for callers that are not on tokio (the SDK's default client runs on
    /// async-std). It stops when the handle is dropped.
    ///
    /// ```
    /// use vexora_sandbox::{Sandbox, SandboxConfig};
    ///
    /// let sandbox = Sandbox::spawn(SandboxConfig::default()).unwrap();
    /// println!("gateway at {}", sandbox.base_url("taiwan"));
    /// sandbox.shutdown();
    /// ```
    pub fn spawn(config: SandboxConfig) -> Result<SandboxHandle, SandboxError> {
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(SandboxError::Runtime)?;
        let (ready, started) = mpsc::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("vexora-sandbox".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    let sandbox = Sandbox::start(config).await;
                    let listening = sandbox.is_ok();
                    if ready.send(sandbox).is_ok() && listening {
                        // The server's tasks run on this runtime until the handle says stop.
                        let _ = stopped.await;
                    }
                });
            })
            .map_err(SandboxError::Runtime)?;
        let sandbox = started
            .recv()
            .map_err(|_| SandboxError::Runtime(std::io::Error::other("the sandbox thread ended before starting")))??;
        Ok(SandboxHandle { sandbox, stop: Some(stop), thread: Some(thread) })
    }
}

/// The application `config` describes: merchants, endpoints from the specs,
/// empty state, and a notifier that stops when `shutdown` turns true.
/// `addr` is where it listens, `public_url` where the cashier links point.
pub(crate) fn app_of(
    config: &SandboxConfig,
    addr: SocketAddr,
    public_url: String,
    shutdown: watch::Receiver<bool>,
) -> Result<App, SandboxError> {
    let merchants = config.merchant_secrets()?;
    let (mut specs, spec_source) = specs::load(config.spec_dir.as_deref())?;
    specs::replace_patterns(&mut specs, &config.field_patterns)?;
    let endpoints = api::endpoints(specs, &config.region_paths)?;
    let clock = match config.simulated_clock_start_ms {
        Some(start_ms) => SandboxClock::simulated(start_ms, config.clock_offset_ms, config.utc_offset_minutes),
        None => SandboxClock::new(config.clock_offset_ms, config.utc_offset_minutes),
    };
    let mut opening = SandboxState::default();
    if let Some(seed) = config.platform_id_seed {
        opening.seed_platform_ids(seed);
    }
    if config.duplicates_while_hidden {
        opening.let_duplicates_through_while_hidden();
    }
    for (merchant_no, amount) in &config.opening_balances {
        let amount = Cents::whole(*amount).ok_or_else(|| {
            SandboxError::Config(format!(
                "the opening balance of {merchant_no}, {amount}, is more than the sandbox keeps (184467440737095516)"
            ))
        })?;
        opening.set_opening_balance(merchant_no, amount);
    }
    let state = Arc::new(Mutex::new(opening));
    let notifier = Arc::new(Notifier {
        state: Arc::clone(&state),
        clock: clock.clone(),
        time_scale: config.time_scale,
        timeout: config.notify_timeout,
        shutdown,
        loss: config.lost_notifications,
        transport: config.notification_transport.clone().unwrap_or_else(|| Arc::new(HttpTransport)),
        activity: Arc::default(),
    });
    Ok(App {
        merchants,
        endpoints,
        spec_source,
        state,
        faults: Mutex::default(),
        applications: Mutex::default(),
        clock,
        timestamp_tolerance_ms: i64::try_from(config.timestamp_tolerance.as_millis()).unwrap_or(i64::MAX),
        public_url,
        hosts: AllowedHosts::new(addr, &config.allowed_hosts),
        notifier,
        visibility_delay: config.visibility_delay.clone(),
        connections_accepted: AtomicU64::new(0),
        requests: AtomicU64::new(0),
    })
}

/// A listening socket on `addr`, set up as `TcpListener::bind` does but
/// with room for [`ACCEPT_BACKLOG`] waiting connections.
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    // As tokio does: quick restarts on the same port, but no port sharing on
    // Windows, where the option allows it.
    #[cfg(not(windows))]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(ACCEPT_BACKLOG)
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

/// What one request may take, from [`SandboxConfig`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    max_body_bytes: usize,
    header_read_timeout: Duration,
    body_read_timeout: Duration,
}

fn router(app: Arc<App>, max_body_bytes: usize) -> Router {
    let mut router = Router::new();
    for (index, endpoint) in app.endpoints.iter().enumerate() {
        let handler = move |State(app): State<Arc<App>>,
                            hidden: Option<Extension<HiddenFor>>,
                            headers: HeaderMap,
                            body: Bytes| async move {
            let hidden_for_ms = hidden.map_or(0, |Extension(HiddenFor(ms))| ms);
            match app.endpoints.get(index) {
                Some(endpoint) => api::handle(&app, endpoint, &headers, &body, hidden_for_ms),
                None => StatusCode::NOT_FOUND.into_response(),
            }
        };
        router = router.route(&endpoint.route, post(handler));
    }
    for OwnRoute { path, handler, .. } in routes::own_routes() {
        router = router.route(path, handler);
    }
    router
        .fallback(not_found)
        // Bodies arrive already read within `max_body_bytes` (see
        // `read_body`); axum's own 2 MB default must not be a second,
        // different limit.
        .layer(DefaultBodyLimit::max(max_body_bytes))
        // Last, so it runs first, for every route and the fallback alike.
        .layer(middleware::from_fn_with_state(Arc::new(app.hosts.clone()), origin::guard))
        .with_state(app)
}

async fn not_found(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let routes: Vec<_> = app.endpoints.iter().map(|endpoint| endpoint.route.as_str()).collect();
    let text = format!("404 not found: {}\nThe sandbox's API routes (POST): {}\n", uri.path(), routes.join(", "));
    (StatusCode::NOT_FOUND, text).into_response()
}

async fn accept_loop(
    listener: TcpListener,
    service: SandboxService,
    connections: Arc<Connections>,
    mut stopped: watch::Receiver<bool>,
) {
    let busy = Bytes::from(format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\
         connection: close\r\n{VERSION_HEADER}: {}\r\n\r\n{BUSY_BODY}",
        BUSY_BODY.len(),
        env!("CARGO_PKG_VERSION"),
    ));
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                // Out of file descriptors and the like: wait, then go on accepting.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = crate::shutdown::stop_requested(&mut stopped) => break,
        };
        let Ok(permit) = Arc::clone(&connections.permits).try_acquire_owned() else {
            connections.refused.fetch_add(1, Ordering::Relaxed);
            refuse(stream, &busy);
            continue;
        };
        service.app.connections_accepted.fetch_add(1, Ordering::Relaxed);
        let connection = serve_connection(stream, service.clone(), stopped.clone());
        tokio::spawn(async move {
            connection.await;
            drop(permit);
        });
    }
}

/// Answers a connection over the limit with `503` and closes it, without
/// reading from it or waiting for anything: refusing must cost the accept
/// loop one write at most. (A client that already sent its request may see
/// a reset instead of the answer.)
fn refuse(stream: TcpStream, busy: &[u8]) {
    if let Ok(stream) = stream.into_std() {
        // A new socket's send buffer is empty, so this non-blocking write
        // takes the whole answer; if not, the client only sees the close.
        let _ = std::io::Write::write(&mut &stream, busy);
    }
}

async fn serve_connection(stream: TcpStream, service: SandboxService, mut stopped: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    let header_read_timeout = service.limits.header_read_timeout;
    let service = service_fn(move |request: Request<Incoming>| service.clone().handle(request));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout)
        .max_header_size(MAX_HEAD_BYTES)
        .max_buf_size(READ_BUFFER_BYTES);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        // Errors here are the client's or a dropped-on-purpose connection: nothing to do.
        _ = connection.as_mut() => return,
        () = crate::shutdown::stop_requested(&mut stopped) => {}
    }
    connection.as_mut().graceful_shutdown();
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, connection).await;
}

/// The sandbox as one service, whichever way requests reach it: the app,
/// its router and the limits on a request. [`Sandbox::start`] serves it
/// behind its accept loop, [`Sandbox::in_process`] hands it to the caller,
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
    limits: Limits,
}

impl fmt::Debug for SandboxService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxService").field("app", &self.app).field("limits", &self.limits).finish_non_exhaustive()
    }
}

impl SandboxService {
    /// The service `config` describes (see [`app_of`]).
    pub(crate) fn new(
        config: &SandboxConfig,
        addr: SocketAddr,
        public_url: String,
        shutdown: watch::Receiver<bool>,
    ) -> Result<Self, SandboxError> {
        let app = Arc::new(app_of(config, addr, public_url, shutdown)?);
        let limits = Limits {
            max_body_bytes: config.max_body_bytes,
            header_read_timeout: config.header_read_timeout,
            body_read_timeout: config.body_read_timeout,
        };
        let router = router(Arc::clone(&app), limits.max_body_bytes);
        Ok(Self { app, router, limits })
    }

    /// Every request: counted, its body read within the limits, faults
    /// applied to API paths, version header added.
    async fn handle<B>(self, request: Request<B>) -> Result<Response, ConnectionDropped>
    where
        B: hyper::body::Body<Data = Bytes>,
        B::Error: Into<BoxError>,
    {
        self.app.requests.fetch_add(1, Ordering::Relaxed);
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
                ))
            }
            Err(_) => {
                return Err(closing(
                    StatusCode::REQUEST_TIMEOUT,
                    format!("408 the request body did not arrive within {} ms\n", limits.body_read_timeout.as_millis()),
                ))
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
    let fault = if guarded && request.method() == Method::POST && app.is_api_path(path) {
        app.faults().take(path)
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
        Some(fault) => faults::apply(fault, process, || app.clock.now_ms()).await,
        None => Ok(process.await),
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use super::*;

    #[test]
    fn start_outside_a_runtime_is_an_error_not_a_panic() {
        let started = std::thread::spawn(|| {
            // A minimal executor that is not tokio.
            let waker = std::task::Waker::noop();
            let mut context = std::task::Context::from_waker(waker);
            let mut start = std::pin::pin!(Sandbox::start(SandboxConfig::default()));
            start.as_mut().poll(&mut context)
        })
        .join()
        .expect("no panic");
        assert!(matches!(started, std::task::Poll::Ready(Err(SandboxError::Runtime(_)))));
    }

    #[test]
    fn unspecified_addresses_become_loopback() {
        assert_eq!(reachable(SocketAddr::from(([0, 0, 0, 0], 80))), SocketAddr::from(([127, 0, 0, 1], 80)));
        assert_eq!(reachable(SocketAddr::from(([10, 0, 0, 1], 80))), SocketAddr::from(([10, 0, 0, 1], 80)));
    }
}
