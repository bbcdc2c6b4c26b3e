//! Runs a test on every transport backend, as async-stripe does: the same
//! scenario through surf (curl) and through reqwest (tokio, rustls).

use std::time::Duration;

use vexora::transport::{ReqwestTransport, SurfTransport, Transport};

/// A transport backend under test.
pub trait Backend {
    /// Its transport.
    type Transport: Transport + 'static;
    /// A fresh transport (its own connection pool).
    fn transport() -> Self::Transport {
        Self::capped(vexora::transport::DEFAULT_MAX_IDLE_CONNECTIONS)
    }
    /// A fresh transport keeping at most `max_idle` idle connections.
    fn capped(max_idle: usize) -> Self::Transport;
}

/// surf on curl, the default.
pub struct Surf;

impl Backend for Surf {
    type Transport = SurfTransport;
    fn capped(max_idle: usize) -> SurfTransport {
        // The client's own deadline is shorter; curl's is only a backstop.
        SurfTransport::with_max_idle_connections(Duration::from_secs(30), max_idle)
    }
}

/// reqwest on tokio with rustls.
pub struct Reqwest;

impl Backend for Reqwest {
    type Transport = ReqwestTransport;
    fn capped(max_idle: usize) -> ReqwestTransport {
        ReqwestTransport::with_max_idle_connections(max_idle).expect("TLS set-up works")
    }
}

/// `on_every_backend!(a, b)` makes `surf::a`, `reqwest::a`, ... from generic
/// `async fn a<B: Backend>()` scenarios.
#[macro_export]
macro_rules! on_every_backend {
    ($($scenario:ident),* $(,)?) => {
        mod surf {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $scenario() {
                super::$scenario::<$crate::backends::Surf>().await
            })*
        }
        mod reqwest {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $scenario() {
                super::$scenario::<$crate::backends::Reqwest>().await
            })*
        }
    };
}
