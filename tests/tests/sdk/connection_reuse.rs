//! The default client reuses connections: counted by the sandbox, which
//! sees every TCP connection the client opens.
//!
//! BENCHMARKS.md's concurrent numbers depend on this: a client that opened
//! a connection per request would measure the TCP handshake, not the SDK.

use std::sync::Arc;

use vexora::Client;
use vexora::taiwan::CheckoutRequest;
use vexora::types::TradeNo;
use vexora_sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use vexora_tests::sandbox_config;

/// Requests in flight at once in the concurrent case.
const IN_FLIGHT: usize = 64;

fn client(sandbox: &RunningSandbox) -> Client {
    let config = sandbox_config(sandbox.base_url("taiwan")).build().expect("a valid configuration");
    Client::new(config)
}

/// The `n`-th order of this test: a `tradeNo` and a payer IP of its own
/// (the sandbox allows 10 orders a day per IP).
fn order(n: u32) -> CheckoutRequest {
    let [_, x, y, z] = n.to_be_bytes();
    let mut order = vexora_tests::seed_net_banking();
    order.trade_no = TradeNo::new(format!("REUSE{n:08}"));
    order.ip_address = format!("10.{x}.{y}.{z}");
    order.notify_url = "https://merchant.example/notify".into();
    order.return_url = "https://merchant.example/done".into();
    order.remark = None;
    order
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sequential_checkouts_share_one_connection() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.expect("the sandbox starts");
    let client = client(&sandbox);
    for n in 0..50 {
        client.send(&order(n)).await.expect("accepted");
    }
    let stats = sandbox.stats();
    assert_eq!(stats.requests, 50);
    assert_eq!(stats.connections_accepted, 1, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_in_flight_never_need_more_than_sixty_four_connections() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.expect("the sandbox starts");
    let client = Arc::new(client(&sandbox));
    let per_worker = 10;
    // 64 workers, each sending its orders one after the other: 64 in
    // flight for the whole run, 640 requests in all.
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..IN_FLIGHT {
        let client = Arc::clone(&client);
        workers.spawn(async move {
            for i in 0..per_worker {
                let n = u32::try_from(worker * per_worker + i).expect("small");
                client.send(&order(n)).await.expect("accepted");
            }
        });
    }
    while let Some(done) = workers.join_next().await {
        done.expect("a worker panicked");
    }
    let stats = sandbox.stats();
    assert_eq!(stats.requests, u64::try_from(IN_FLIGHT * per_worker).expect("small"));
    assert!(stats.connections_accepted >= 2, "the requests were not concurrent: {stats:?}");
    assert!(stats.connections_accepted <= 64, "connections were not reused: {stats:?}");
}
