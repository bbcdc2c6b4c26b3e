//! Accepting and serving a sandbox's connections behind a socket.
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

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::watch;

use crate::server::connections::Connections;
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

/// A listening socket on `addr`, set up as `TcpListener::bind` does but
/// with room for [`ACCEPT_BACKLOG`] waiting connections.
pub(crate) fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    // As tokio does: quick restarts on the same port, but no port sharing on
    // Windows, where the option allows it.
    #[cfg(not(windows))]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(ACCEPT_BACKLOG)
}

/// Accepts connections until a stop is asked for, each served by `service`
/// while fewer than `max_connections` are open and refused with `503` else.
pub(crate) async fn accept_loop(
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
