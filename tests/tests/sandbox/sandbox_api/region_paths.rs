//! A region's spelling in the URL: `/<region><path>` exactly as `spec/`
//! spells the region, and configured region paths besides.

use serde_json::json;
use vexora_sandbox::SandboxConfig;

use crate::sandbox_support::*;

#[tokio::test]
async fn other_spellings_of_a_region_are_not_served() {
    let sandbox = sandbox().await;
    for path in
        ["/TAIWAN/v1/vexora/queryBalance", "/Taiwan/v1/vexora/queryBalance", "/taiwan-usd/v1/vexora/queryBalance"]
    {
        let fields = serde_json::Value::Object(signed(serde_json::Map::new(), SECRET)).to_string();
        let reply = post_json(sandbox.addr(), path, Some(MERCHANT), &fields).await;
        assert_eq!(reply.status, 404, "{path}: {}", reply.body);
    }
}

#[tokio::test]
async fn a_region_path_serves_the_regions_endpoints_and_balance() {
    let config = SandboxConfig::default().time_scale(0.001).region_path("Taiwan", "taiwan");
    let sandbox = sandbox_with(config).await;
    let addr = sandbox.addr();
    let mut fields = checkout_fields("ALIAS-1", "203.0.113.80", "http://127.0.0.1:9/n");
    fields["amount"] = json!("70");
    let created = call(addr, "/Taiwan/v1/vexora/checkout", fields).await;
    assert_eq!(created["code"], "0000", "{created}");
    http(addr, "POST", "/sandbox/orders/ALIAS-1/pay", &[], b"").await;
    // One region, one balance, whichever path reads it.
    for path in ["/Taiwan/v1/vexora/queryBalance", BALANCE] {
        assert_eq!(call(addr, path, json!({})).await["data"]["unsettledAmount"], "70.0000", "{path}");
    }
    let reply = post_json(addr, "/TAIWAN/v1/vexora/queryBalance", Some(MERCHANT), "{}").await;
    assert_eq!(reply.status, 404, "still case-sensitive: {}", reply.body);
}
