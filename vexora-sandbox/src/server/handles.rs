//! The handles of a running sandbox: where it listens, what it has seen,
//! and how it is stopped.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use crate::gateway::specs::SpecSource;
use crate::notify::delivery::DeliveryRecord;
use crate::server::app::App;
use crate::server::config::{TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};
use crate::server::connections::Connections;
use crate::server::sandbox_control::SandboxControl;
use crate::web::routes;
use crate::web::stats::SandboxStats;

/// A sandbox running on the caller's runtime (see [`Sandbox::start`](crate::Sandbox::start)).
/// Dropping it stops the server.
#[derive(Debug)]
pub struct RunningSandbox {
    pub(crate) app: Arc<App>,
    pub(crate) addr: SocketAddr,
    pub(crate) stop: watch::Sender<bool>,
    pub(crate) connections: Arc<Connections>,
    pub(crate) server: Option<JoinHandle<()>>,
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

    /// `http://ADDR/sandbox`: the dashboard, for a person's browser.
    pub fn dashboard_url(&self) -> String {
        format!("{}/sandbox", self.app.public_url)
    }

    /// The SDK's base URL for a region, e.g. `http://127.0.0.1:PORT/taiwan`.
    pub fn base_url(&self, region: &str) -> String {
        format!("{}/{region}", self.app.public_url)
    }

    /// Every API route served, from `spec/` (e.g. `/taiwan/v1/vexora/checkout`).
    pub fn routes(&self) -> Vec<String> {
        self.app.gateway.routes()
    }

    /// Every other route, the cashier's, the dashboard's and those under
    /// `/sandbox/`, as `(method, path pattern)`, e.g.
    /// `("POST", "/sandbox/orders/{trade_no}/{action}")`.
    pub fn own_routes(&self) -> Vec<(&'static str, &'static str)> {
        routes::own_route_list()
    }

    /// Where the endpoint descriptions came from.
    pub fn spec_source(&self) -> &SpecSource {
        &self.app.spec_source
    }

    /// Every notification attempt so far, oldest first.
    pub fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.app.notifier.log().deliveries()
    }

    /// Connections accepted and requests received.
    pub fn stats(&self) -> SandboxStats {
        self.app.stats()
    }

    /// Connections being served right now (at most `max_connections`).
    pub fn open_connections(&self) -> usize {
        self.connections.open()
    }

    /// Connections refused so far because `max_connections` were open.
    pub fn refused_connections(&self) -> u64 {
        self.connections.refused.load(Ordering::Relaxed)
    }

    /// What a person starting the sandbox needs to see: where it listens,
    /// its dashboard, its routes, its merchants, and the public test
    /// credential when it is in use (marked as sandbox-only). Never any
    /// other secret.
    pub fn banner(&self) -> String {
        let mut lines = vec![
            format!("vexora sandbox listening on {}", self.url()),
            format!("  dashboard: {} (orders, payouts, notifications, balances, clock)", self.dashboard_url()),
            format!("  specs: {}", self.spec_source()),
        ];
        lines.extend(self.routes().into_iter().map(|route| format!("  POST {route}")));
        lines.push(format!("  cashier: {0}/cashier/<platFormTradeNo>   control: {0}/sandbox/...", self.url()));
        for merchant_no in self.app.book.merchant_numbers() {
            if merchant_no == TEST_MERCHANT_NO && self.app.book.secret(merchant_no) == Some(TEST_MERCHANT_SECRET) {
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
        self.app.book.clock.set_offset_ms(offset_ms);
    }

    /// The clock, outcomes, faults and books, for the program that started
    /// it (the control routes do the same over HTTP).
    pub fn control(&self) -> SandboxControl {
        SandboxControl { app: Arc::clone(&self.app) }
    }

    /// Moves the sandbox's clock `by` forward, as `POST
    /// /sandbox/clock/advance` does: the way a simulated clock
    /// ([`SandboxConfig::simulated_clock`](crate::SandboxConfig::simulated_clock))
    /// moves. Retries it makes due fire, earlier days' collections settle.
    /// Returns the clock's new reading, in milliseconds since the Unix epoch.
    pub fn advance_clock(&self, by: std::time::Duration) -> i64 {
        self.app.book.clock.advance(by)
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

/// A sandbox on its own background runtime (see [`Sandbox::spawn`](crate::Sandbox::spawn)).
/// Dropping it stops the server and joins its thread.
#[derive(Debug)]
pub struct SandboxHandle {
    pub(crate) sandbox: RunningSandbox,
    pub(crate) stop: Option<oneshot::Sender<()>>,
    pub(crate) thread: Option<std::thread::JoinHandle<()>>,
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

    /// `http://ADDR/sandbox`: the dashboard, for a person's browser.
    pub fn dashboard_url(&self) -> String {
        self.sandbox.dashboard_url()
    }

    /// The SDK's base URL for a region, e.g. `http://127.0.0.1:PORT/taiwan`.
    pub fn base_url(&self, region: &str) -> String {
        self.sandbox.base_url(region)
    }

    /// Every API route served.
    pub fn routes(&self) -> Vec<String> {
        self.sandbox.routes()
    }

    /// Every other route, as `(method, path pattern)` (see
    /// [`RunningSandbox::own_routes`]).
    pub fn own_routes(&self) -> Vec<(&'static str, &'static str)> {
        self.sandbox.own_routes()
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

    /// Connections being served right now (at most `max_connections`).
    pub fn open_connections(&self) -> usize {
        self.sandbox.open_connections()
    }

    /// Connections refused so far because `max_connections` were open.
    pub fn refused_connections(&self) -> u64 {
        self.sandbox.refused_connections()
    }

    /// The clock, outcomes, faults and books (see [`RunningSandbox::control`]).
    pub fn control(&self) -> SandboxControl {
        self.sandbox.control()
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
