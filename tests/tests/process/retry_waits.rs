//! Waiting between retries costs a timer entry on the transport's runtime,
//! not a thread: 1,000 reads waiting at once leave the thread count where
//! it was. It holds [`crate::PROCESS`] alone, so no other test's threads
//! are counted.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use vexora::Client;
use vexora::retry::RetryPolicy;
use vexora::taiwan::BalanceRequest;
use vexora::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use vexora_tests::sandbox_config;

use crate::PROCESS;
use crate::backends::Backend;

const CALLS: usize = 1_000;

/// Answers every request at once with a 503 (so every read retries) and
/// waits on the backend's own timer, counting the waits in progress.
struct BusyGateway<T> {
    backend: T,
    waiting: Arc<AtomicUsize>,
}

impl<T: Transport> Transport for BusyGateway<T> {
    async fn send(&self, _request: HttpRequest) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse { status: 503, content_type: None, body: b"busy".to_vec() })
    }

    async fn wait(&self, duration: Duration) {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        self.backend.wait(duration).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// This process's thread count, from the kernel.
fn threads() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|count| count.trim().parse().ok())
        .expect("a Threads line")
}

async fn a_thousand_waiting_reads_add_no_threads<B: Backend>() {
    let _alone = PROCESS.write().await;
    let waiting = Arc::new(AtomicUsize::new(0));
    let transport = BusyGateway { backend: B::transport(), waiting: Arc::clone(&waiting) };
    let config = sandbox_config("https://gateway.example/taiwan")
        .timeout(Duration::from_secs(30))
        .retry(RetryPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(2),
        })
        .build()
        .expect("valid configuration");
    let client = Arc::new(Client::with_transport(config, transport));
    let before = threads();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..CALLS {
        let client = Arc::clone(&client);
        calls.spawn(async move { client.send(&BalanceRequest::builder().build()).await });
    }
    // Waits are drawn between 0 and 2 s: shortly after the start nearly all
    // of them are still running.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (in_wait, during) = (waiting.load(Ordering::SeqCst), threads());
    assert!(in_wait >= CALLS * 8 / 10, "only {in_wait} calls were waiting");
    assert!(during < before + 20, "{during} threads while {in_wait} calls wait (before: {before})");
    while let Some(done) = calls.join_next().await {
        assert!(done.expect("no panic").is_err(), "a 503 is never a success");
    }
    assert_eq!(waiting.load(Ordering::SeqCst), 0);
}

on_every_backend!(a_thousand_waiting_reads_add_no_threads);
