//! Starting, serving and stopping a sandbox.
//!
//! Connections are accepted by our own loop and served by hyper directly,
//! with axum's `Router` inside. Owning the loop gives two things axum's
//! `serve` cannot: a count of accepted connections, and a way for a fault to
//! close a connection without any response (the service returns an error,
//! and hyper drops the connection without writing a byte).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use vexora_spec::EndpointSpec;

use crate::api;
use crate::app::{App, Endpoint, SandboxStats};
use crate::cashier;
use crate::clock::SandboxClock;
use crate::config::SandboxConfig;
use crate::config::{TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};
use crate::control;
use crate::error::SandboxError;
use crate::faults::{self, DropConnection};
use crate::notify::{DeliveryRecord, Notifier};
use crate::spec_rules::RequestRules;
use crate::specs::{self, SpecSource};
use crate::state::State as SandboxState;

/// The header on every response, naming the sandbox's version.
pub const VERSION_HEADER: &str = "x-vexora-sandbox-version";
/// First path segments the sandbox keeps for itself.
const RESERVED_SEGMENTS: [&str; 2] = ["cashier", "sandbox"];
/// How long open connections get to finish at shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

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
        let merchants = config.merchant_secrets()?;
        let (specs, spec_source) = specs::load(config.spec_dir.as_deref())?;
        let endpoints = endpoints(specs)?;
        let listener =
            TcpListener::bind(config.addr).await.map_err(|source| SandboxError::Bind { addr: config.addr, source })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind { addr: config.addr, source })?;

        let (stop, stopped) = watch::channel(false);
        let clock = SandboxClock::new(config.clock_offset_ms, config.utc_offset_minutes);
        let state = Arc::new(Mutex::new(SandboxState::default()));
        let notifier = Arc::new(Notifier {
            state: Arc::clone(&state),
            clock: clock.clone(),
            time_scale: config.time_scale,
            timeout: config.notify_timeout,
            shutdown: stopped.clone(),
        });
        let app = Arc::new(App {
            merchants,
            endpoints,
            spec_source,
            state,
            faults: Mutex::default(),
            clock,
            timestamp_tolerance_ms: i64::try_from(config.timestamp_tolerance.as_millis()).unwrap_or(i64::MAX),
            public_url: format!("http://{}", reachable(addr)),
            notifier,
            connections_accepted: AtomicU64::new(0),
            requests: AtomicU64::new(0),
        });
        let server = tokio::spawn(accept_loop(listener, Arc::clone(&app), router(Arc::clone(&app)), stopped));
        Ok(RunningSandbox { app, addr, stop, server: Some(server) })
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

/// A sandbox running on the caller's runtime (see [`Sandbox::start`]).
/// Dropping it stops the server.
#[derive(Debug)]
pub struct RunningSandbox {
    app: Arc<App>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
}

impl RunningSandbox {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`: the root of the cashier and `/sandbox/` routes.
    pub fn url(&self) -> String {
        self.app.public_url.clone()
    }

    /// The SDK's base URL for a region, e.g. `http://127.0.0.1:PORT/taiwan`.
    pub fn base_url(&self, region: &str) -> String {
        format!("{}/{region}", self.app.public_url)
    }

    /// Every API route served, from `spec/` (e.g. `/taiwan/v1/vexora/checkout`).
    pub fn routes(&self) -> Vec<String> {
        self.app.endpoints.iter().map(|endpoint| endpoint.route.clone()).collect()
    }

    /// Where the endpoint descriptions came from.
    pub fn spec_source(&self) -> &SpecSource {
        &self.app.spec_source
    }

    /// Every notification attempt so far, oldest first.
    pub fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.app.state().deliveries().to_vec()
    }

    /// Connections accepted and requests received.
    pub fn stats(&self) -> SandboxStats {
        self.app.stats()
    }

    /// What a person starting the sandbox needs to see: where it listens,
    /// its routes, its merchants, and the public test credential when it is
    /// in use (marked as sandbox-only). Never any other secret.
    pub fn banner(&self) -> String {
        let mut lines =
            vec![format!("vexora sandbox listening on {}", self.url()), format!("  specs: {}", self.spec_source())];
        lines.extend(self.routes().into_iter().map(|route| format!("  POST {route}")));
        lines.push(format!("  cashier: {0}/cashier/<platFormTradeNo>   control: {0}/sandbox/...", self.url()));
        let mut merchants: Vec<_> = self.app.merchants.iter().collect();
        merchants.sort_unstable();
        for (merchant_no, secret) in merchants {
            if merchant_no == TEST_MERCHANT_NO && secret == TEST_MERCHANT_SECRET {
                lines.push(format!(
                    "  merchant {TEST_MERCHANT_NO}, app secret {TEST_MERCHANT_SECRET} \
                     (SANDBOX-ONLY credential, public: never use it for real)"
                ));
            } else {
                lines.push(format!("  merchant {merchant_no}"));
            }
        }
        lines.join("\n")
    }

    /// Moves the sandbox's clock to `offset_ms` ahead of the system's (for
    /// timestamps, local days and settlement).
    pub fn set_clock_offset_ms(&self, offset_ms: i64) {
        self.app.clock.set_offset_ms(offset_ms);
    }

    /// Stops accepting, lets open connections finish (up to 5 s) and waits
    /// for the server to end. Notifications still being retried stop too.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// A sandbox on its own background runtime (see [`Sandbox::spawn`]).
/// Dropping it stops the server and joins its thread.
#[derive(Debug)]
pub struct SandboxHandle {
    sandbox: RunningSandbox,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SandboxHandle {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.sandbox.addr()
    }

    /// `http://ADDR`.
    pub fn url(&self) -> String {
        self.sandbox.url()
    }

    /// The SDK's base URL for a region, e.g. `http://127.0.0.1:PORT/taiwan`.
    pub fn base_url(&self, region: &str) -> String {
        self.sandbox.base_url(region)
    }

    /// Every API route served.
    pub fn routes(&self) -> Vec<String> {
        self.sandbox.routes()
    }

    /// Where the endpoint descriptions came from.
    pub fn spec_source(&self) -> &SpecSource {
        self.sandbox.spec_source()
    }

    /// Every notification attempt so far, oldest first.
    pub fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.sandbox.deliveries()
    }

    /// Connections accepted and requests received.
    pub fn stats(&self) -> SandboxStats {
        self.sandbox.stats()
    }

    /// Moves the sandbox's clock (see [`RunningSandbox::set_clock_offset_ms`]).
    pub fn set_clock_offset_ms(&self, offset_ms: i64) {
        self.sandbox.set_clock_offset_ms(offset_ms);
    }

    /// Stops the server and joins its thread (the same as dropping it).
    pub fn shutdown(self) {}
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        let _ = self.sandbox.stop.send(true);
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The endpoints of the specs, each with its route, rules and handler.
fn endpoints(specs: Vec<EndpointSpec>) -> Result<Vec<Endpoint>, SandboxError> {
    let mut endpoints: Vec<Endpoint> = Vec::with_capacity(specs.len());
    for spec in specs {
        let info = &spec.endpoint;
        let route = route_of(&info.region, &info.path).map_err(|reason| SandboxError::Route {
            region: info.region.clone(),
            path: info.path.clone(),
            reason,
        })?;
        if endpoints.iter().any(|known| known.route == route) {
            return Err(SandboxError::Route {
                region: info.region.clone(),
                path: info.path.clone(),
                reason: "two spec files describe this route".to_owned(),
            });
        }
        let rules = RequestRules::compile(&spec)?;
        let handler = api::handler_for(&info.name);
        endpoints.push(Endpoint { route, rules, handler, spec });
    }
    endpoints.sort_by(|a, b| a.route.cmp(&b.route));
    Ok(endpoints)
}

/// `/<region><path>`, checked so the router cannot refuse it.
fn route_of(region: &str, path: &str) -> Result<String, String> {
    let plain = |segment: &str| {
        !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    if !plain(region) {
        return Err("the region must be letters, digits, '-', '_' or '.'".to_owned());
    }
    if RESERVED_SEGMENTS.contains(&region) {
        return Err(format!("the region {region:?} is reserved by the sandbox"));
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err("the path must start with '/'".to_owned());
    };
    if !rest.split('/').all(plain) {
        return Err("path segments must be non-empty letters, digits, '-', '_' or '.'".to_owned());
    }
    Ok(format!("/{region}{path}"))
}

/// An address a local client can reach: `0.0.0.0` becomes `127.0.0.1`.
fn reachable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::from((Ipv4Addr::LOCALHOST, addr.port())),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::from((Ipv6Addr::LOCALHOST, addr.port())),
        _ => addr,
    }
}

fn router(app: Arc<App>) -> Router {
    let mut router = Router::new();
    for (index, endpoint) in app.endpoints.iter().enumerate() {
        let handler = move |State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes| async move {
            match app.endpoints.get(index) {
                Some(endpoint) => api::handle(&app, endpoint, &headers, &body),
                None => StatusCode::NOT_FOUND.into_response(),
            }
        };
        router = router.route(&endpoint.route, post(handler));
    }
    router
        .route("/cashier/{id}", get(cashier::page))
        .route("/cashier/{id}/{action}", post(cashier::choose))
        .route("/sandbox/deliveries", get(control::deliveries))
        .route("/sandbox/orders", get(control::orders))
        .route("/sandbox/orders/{trade_no}/{action}", post(control::finish_order))
        .route("/sandbox/faults", get(control::list_faults).post(control::add_fault).delete(control::clear_faults))
        .route("/sandbox/stats", get(control::stats))
        .fallback(not_found)
        .with_state(app)
}

async fn not_found(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let routes: Vec<_> = app.endpoints.iter().map(|endpoint| endpoint.route.as_str()).collect();
    let text = format!("404 not found: {}\nThe sandbox's API routes (POST): {}\n", uri.path(), routes.join(", "));
    (StatusCode::NOT_FOUND, text).into_response()
}

async fn accept_loop(listener: TcpListener, app: Arc<App>, router: Router, mut stopped: watch::Receiver<bool>) {
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
            () = stop_requested(&mut stopped) => break,
        };
        app.connections_accepted.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(serve_connection(stream, Arc::clone(&app), router.clone(), stopped.clone()));
    }
}

/// Resolves once shutdown is asked for (or the sandbox is gone).
pub(crate) async fn stop_requested(stopped: &mut watch::Receiver<bool>) {
    // Either a `true` or a dropped sender: both mean stop. The guard that
    // `wait_for` returns is not `Send`, so it is dropped right here.
    let _ = stopped.wait_for(|stop| *stop).await;
}

async fn serve_connection(stream: TcpStream, app: Arc<App>, router: Router, mut stopped: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |request| handle_request(Arc::clone(&app), router.clone(), request));
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(30));
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        // Errors here are the client's or a dropped-on-purpose connection: nothing to do.
        _ = connection.as_mut() => return,
        () = stop_requested(&mut stopped) => {}
    }
    connection.as_mut().graceful_shutdown();
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, connection).await;
}

/// Every request: counted, faults applied to API paths, version header added.
async fn handle_request(
    app: Arc<App>,
    mut router: Router,
    request: Request<Incoming>,
) -> Result<Response, DropConnection> {
    app.requests.fetch_add(1, Ordering::Relaxed);
    let path = request.uri().path();
    let fault = if request.method() == Method::POST && app.is_api_path(path) { app.faults().take(path) } else { None };
    let process = async move {
        match tower_service::Service::call(&mut router, request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    };
    let mut response = match fault {
        Some(fault) => faults::apply(fault, process, || app.clock.now_ms()).await?,
        None => process.await,
    };
    response.headers_mut().insert(VERSION_HEADER, HeaderValue::from_static(env!("CARGO_PKG_VERSION")));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use super::*;

    #[test]
    fn routes_are_region_then_path() {
        assert_eq!(route_of("taiwan", "/v1/vexora/checkout"), Ok("/taiwan/v1/vexora/checkout".to_owned()));
        assert_eq!(
            route_of("SouthKorea", "/v1/vexora/payInSubmit"),
            Ok("/SouthKorea/v1/vexora/payInSubmit".to_owned())
        );
        for (region, path) in [("", "/x"), ("a/b", "/x"), ("cashier", "/x"), ("r", "x"), ("r", "/{id}"), ("r", "/a//b")]
        {
            assert!(route_of(region, path).is_err(), "{region} {path}");
        }
    }

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
