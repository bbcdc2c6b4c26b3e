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
use crate::server::origin::{host_text, reachable};
use crate::server::sandbox_control::SandboxControl;
use crate::server::service::SandboxService;
use crate::web::stats::SandboxStats;

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
    pub(crate) fn new(config: SandboxConfig) -> Result<Self, SandboxError> {
        let addr = reachable(config.addr);
        let addr = if addr.port() == 0 { SocketAddr::new(addr.ip(), 80) } else { addr };
        let authority = if addr.port() == 80 { host_text(addr.ip()) } else { addr.to_string() };
        let (stop, stopped) = watch::channel(false);
        let service = SandboxService::new(&config, addr, format!("http://{authority}"), stopped)?;
        let control = SandboxControl { app: std::sync::Arc::clone(&service.app) };
        Ok(Self { service, control, authority, stop })
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
