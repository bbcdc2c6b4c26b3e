//! The merchant's `notifyUrl`: a relay in the parent that forwards each
//! delivery to every receiver process at the same time, and answers the
//! gateway `OK` only when all of them did, so the same notification races
//! itself across processes, and a receiver that is down makes the gateway
//! retry.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::routing::post;
use tokio::task::JoinSet;

use crate::gateway::http;

/// A running relay; dropping it stops it.
pub struct Relay {
    addr: SocketAddr,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

#[derive(Default)]
struct Shared {
    receivers: Mutex<Vec<SocketAddr>>,
    /// Deliveries every receiver acknowledged.
    acknowledged: AtomicUsize,
}

impl Relay {
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let app = Router::new().route("/vexora/{kind}", post(forward)).with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr = listener.local_addr().expect("an address");
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the relay serves");
        });
        Self { addr, shared, server }
    }

    /// The `notifyUrl` of a kind's route (`pay-in`, `payout`).
    pub fn url(&self, route: &str) -> String {
        format!("http://{}/vexora/{route}", self.addr)
    }

    /// From now on, deliveries go to these receivers.
    pub fn forward_to(&self, receivers: Vec<SocketAddr>) {
        *self.shared.receivers.lock().unwrap_or_else(PoisonError::into_inner) = receivers;
    }

    /// How many deliveries every receiver acknowledged.
    pub fn acknowledged(&self) -> usize {
        self.shared.acknowledged.load(Ordering::Relaxed)
    }
}

async fn forward(State(shared): State<Arc<Shared>>, uri: Uri, body: Bytes) -> (StatusCode, &'static str) {
    let receivers = shared.receivers.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let body = String::from_utf8_lossy(&body).into_owned();
    let mut deliveries = JoinSet::new();
    for receiver in receivers.iter().copied() {
        let (path, body) = (uri.path().to_owned(), body.clone());
        deliveries.spawn(async move { http(receiver, "POST", &path, &body).await });
    }
    let mut all_ok = !receivers.is_empty();
    while let Some(answer) = deliveries.join_next().await {
        all_ok &= matches!(answer, Ok(Ok((200, ref text))) if text == "OK");
    }
    if all_ok {
        shared.acknowledged.fetch_add(1, Ordering::Relaxed);
        (StatusCode::OK, "OK")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "RETRY")
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.server.abort();
    }
}
