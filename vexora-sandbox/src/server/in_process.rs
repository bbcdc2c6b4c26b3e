//! A sandbox without a socket: its service called directly, for a
//! simulation that runs thousands of seeded runs in one process.

use axum::body::Bytes;
use axum::http::Request;
use axum::response::Response;
use std::net::SocketAddr;

use tokio::sync::watch;

use crate::error::SandboxError;
use crate::notify::delivery::DeliveryRecord;
use crate::server::config::SandboxConfig;
use crate::server::inject::ConnectionDropped;
use crate::server::sandbox_control::SandboxControl;
use crate::server::service::SandboxService;
use crate::server::start::{Sandbox, host_text, reachable};
use crate::web::stats::SandboxStats;

impl Sandbox {
    /// Builds a sandbox that serves calls in process, without binding a
    /// port: the same service [`Sandbox::start`] puts behind its sockets,
    /// for a simulation that runs thousands of seeded runs in one process.
    /// Its address is `config.addr` with port 0 read as 80 (so `Host:
    /// 127.0.0.1` and `Host: localhost` name it, as do the names of
    /// [`SandboxConfig::allowed_host`] without a port). Requests must be
    /// made on a tokio runtime: notifications run as tasks on it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use axum::body::Body;
    /// use axum::http::Request;
    /// use vexora_sandbox::{Sandbox, SandboxConfig};
    ///
    /// let sandbox = Sandbox::in_process(SandboxConfig::default().simulated_clock(1_795_676_645_000))?;
    /// let request = Request::get("/sandbox/clock").header("host", sandbox.host()).body(Body::empty())?;
    /// let answer = sandbox.call(request).await?;
    /// assert_eq!(answer.status(), 200);
    /// # Ok(()) }
    /// ```
    pub fn in_process(config: SandboxConfig) -> Result<InProcessSandbox, SandboxError> {
        let addr = reachable(config.addr);
        let addr = if addr.port() == 0 { SocketAddr::new(addr.ip(), 80) } else { addr };
        let authority = if addr.port() == 80 { host_text(addr.ip()) } else { addr.to_string() };
        let (stop, stopped) = watch::channel(false);
        let service = SandboxService::new(&config, addr, format!("http://{authority}"), stopped)?;
        Ok(InProcessSandbox::new(service, authority, stop))
    }
}

/// A sandbox called in process (see [`Sandbox::in_process`](crate::Sandbox::in_process)):
/// the service to call, and the same control a [`RunningSandbox`](crate::RunningSandbox)
/// has. Requests are judged exactly as over TCP, `Host` and origin guard
/// included: state [`host`](Self::host) (or a name given with
/// [`SandboxConfig::allowed_host`](crate::SandboxConfig::allowed_host)).
/// Dropping it stops the notifications still being retried.
#[derive(Debug)]
pub struct InProcessSandbox {
    service: SandboxService,
    control: SandboxControl,
    authority: String,
    stop: watch::Sender<bool>,
}

impl InProcessSandbox {
    pub(crate) fn new(service: SandboxService, authority: String, stop: watch::Sender<bool>) -> Self {
        let control = SandboxControl { app: std::sync::Arc::clone(&service.app) };
        Self { service, control, authority, stop }
    }

    /// The `Host` to send, e.g. `127.0.0.1` (the sandbox's address, port 80
    /// left out).
    pub fn host(&self) -> &str {
        &self.authority
    }

    /// `http://HOST`: the root of the cashier links and the `/sandbox/` routes.
    pub fn url(&self) -> String {
        self.service.app.public_url.clone()
    }

    /// The SDK's base URL for a region, e.g. `http://127.0.0.1/taiwan`.
    pub fn base_url(&self, region: &str) -> String {
        format!("{}/{region}", self.service.app.public_url)
    }

    /// Every API route served, from `spec/` (e.g. `/taiwan/v1/vexora/checkout`).
    pub fn routes(&self) -> Vec<String> {
        self.service.app.gateway.routes()
    }

    /// The service, to call as a [`tower_service::Service`] (clones share
    /// the sandbox).
    pub fn service(&self) -> SandboxService {
        self.service.clone()
    }

    /// Serves one request, as a connection to a running sandbox would:
    /// the answer, or [`ConnectionDropped`] where a fault closes the
    /// connection without one. Must be awaited on a tokio runtime.
    pub async fn call<B>(&self, request: Request<B>) -> Result<Response, ConnectionDropped>
    where
        B: hyper::body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        tower_service::Service::call(&mut self.service.clone(), request).await
    }

    /// The clock, outcomes, faults and books.
    pub fn control(&self) -> &SandboxControl {
        &self.control
    }

    /// Every notification attempt so far, oldest first.
    pub fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.control.deliveries()
    }

    /// Requests received (no connections: there are none).
    pub fn stats(&self) -> SandboxStats {
        self.control.stats()
    }

    /// Stops the notifications still being retried (the same as dropping it).
    pub fn shutdown(self) {}
}

impl Drop for InProcessSandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
