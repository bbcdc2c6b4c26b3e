//! The sandbox's own routes are listed, so a new state-changing route cannot
//! slip past the origin tests, and `allowed_host` names are served.

use vexora_sandbox::SandboxConfig;

use crate::sandbox_support::*;

/// The state-changing routes `origin.rs` sends cross-site requests
/// to. A route added to the sandbox makes this test fail until it is added
/// here and there.
const STATE_CHANGING: [(&str, &str); 8] = [
    ("POST", "/cashier/{id}/{action}"),
    ("POST", "/sandbox/clock/advance"),
    ("POST", "/sandbox/orders/{trade_no}/{action}"),
    ("POST", "/sandbox/payouts/{trade_no}/{action}"),
    ("POST", "/sandbox/records/{platform_id}/{action}"),
    ("POST", "/sandbox/kyc/{kyc_number}/{action}"),
    ("POST", "/sandbox/faults"),
    ("DELETE", "/sandbox/faults"),
];

#[tokio::test]
async fn every_state_changing_route_is_in_the_origin_tests_table() {
    let sandbox = sandbox().await;
    let mut listed: Vec<_> = sandbox.own_routes().into_iter().filter(|(method, _)| *method != "GET").collect();
    listed.sort_unstable();
    let mut table = STATE_CHANGING.to_vec();
    table.sort_unstable();
    assert_eq!(listed, table, "add the new route to STATE_CHANGING here and in origin.rs");
}

#[tokio::test]
async fn a_configured_host_name_is_served_and_is_its_own_origin() {
    let sandbox = sandbox_with(SandboxConfig::default().time_scale(0.001).allowed_host("sandbox.test")).await;
    let addr = sandbox.addr();
    let host = format!("sandbox.test:{}", addr.port());
    assert_eq!(http_to_host(addr, &host, "GET", "/sandbox", &[], b"").await.status, 200);
    let origin = format!("http://{host}");
    let advance = http_to_host(
        addr,
        &host,
        "POST",
        "/sandbox/clock/advance",
        &[("Origin", &origin), ("Content-Type", "application/json")],
        br#"{"seconds": 1}"#,
    )
    .await;
    assert_eq!(advance.status, 200, "{}", advance.body);
    // Its origin is not the loopback one, nor the other way round.
    let loopback = format!("http://127.0.0.1:{}", addr.port());
    let crossed = http_to_host(addr, &host, "POST", "/sandbox/clock/advance", &[("Origin", &loopback)], b"").await;
    assert_eq!(crossed.status, 403, "{}", crossed.body);
    let other = format!("other.test:{}", addr.port());
    assert_eq!(http_to_host(addr, &other, "GET", "/sandbox", &[], b"").await.status, 403);
}
