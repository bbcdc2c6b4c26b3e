//! Starting and stopping a sandbox behind a socket.
//!
//! Connections are accepted by our own loop and served by hyper directly,
//! with the sandbox's service (`service.rs`) inside. Owning the loop gives
//! two things axum's `serve` cannot: a count of accepted connections, and a
//! way for a fault to close a connection without any response (the service
//! returns an error, and hyper drops the connection without writing a byte).
//!
//! It is also where hostile clients are held off, so that whatever arrives
//! the sandbox answers or refuses and its memory stays bounded:
//!
//! - at most `max_connections` connections are served at once; one more is
//!   answered `503` and closed at once, without reading from it;
//! - a request head must arrive within `header_read_timeout` (an idle
//!   connection is closed after the same time) and fit in 16 KiB, else hyper
//!   closes the connection (`431` for a head too large);
//! - a body is read whole before routing, at most `max_body_bytes` (see
//!   `service.rs`).
//!
//! Together: at most `max_connections` × (16 KiB read buffer + one body)
//! of request data in memory, whatever the clients do.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{Semaphore, oneshot, watch};

use crate::error::SandboxError;
use crate::server::config::SandboxConfig;
use crate::server::connections::Connections;
use crate::server::handles::{RunningSandbox, SandboxHandle};
use crate::server::service::{SandboxService, VERSION_HEADER};
use crate::shutdown::stop_requested;

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
            () = stop_requested(&mut stopped) => break,
        };
        let Ok(permit) = Arc::clone(&connections.permits).try_acquire_owned() else {
            connections.refused.fetch_add(1, Ordering::Relaxed);
            refuse(stream, &busy);
            continue;
        };
        service.app.web.counters.connections_accepted.fetch_add(1, Ordering::Relaxed);
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
        () = stop_requested(&mut stopped) => {}
    }
    connection.as_mut().graceful_shutdown();
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, connection).await;
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
