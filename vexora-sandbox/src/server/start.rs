//! The ways to start a sandbox: behind a socket, on the caller's tokio
//! runtime or on a thread of its own; in process, without a socket; or from
//! the command line's options. The socket's accept loop is `accept.rs`.

use std::convert::Infallible;
use std::io::Write;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, mpsc};

use tokio::sync::{Semaphore, oneshot, watch};

use crate::error::SandboxError;
use crate::server::accept::{accept_loop, listen};
use crate::server::config::SandboxConfig;
use crate::server::connections::Connections;
use crate::server::handles::{RunningSandbox, SandboxHandle};
use crate::server::in_process::InProcessSandbox;
use crate::server::options::SandboxOptions;
use crate::server::origin::reachable;
use crate::server::service::SandboxService;

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
        InProcessSandbox::new(config)
    }
}

impl SandboxOptions {
    /// Starts a sandbox with these options on a runtime of its own, prints
    /// its banner, and serves until the process is interrupted: the whole of
    /// `vexora-sandbox` and of `vexora sandbox`. Returns only if it cannot
    /// start.
    pub fn serve(&self) -> Result<Infallible, SandboxError> {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(SandboxError::Runtime)?;
        runtime.block_on(async {
            let sandbox = Sandbox::start(self.config()).await?;
            // A closed stdout (`| head`) must not stop the sandbox, let alone panic.
            let _ = writeln!(std::io::stdout(), "{}\nPress Ctrl-C to stop.", sandbox.banner());
            // Nothing needs flushing or closing when the process is interrupted.
            std::future::pending().await
        })
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
}
