//! No web page can drive the sandbox: every state-changing route refuses a
//! request from another site (by `Origin`, else `Referer`, else the headers
//! only a browser sends), and every route refuses a `Host` that is not the
//! sandbox's (DNS rebinding). Scripts and the sandbox's own pages still work.

use serde_json::json;

use crate::sandbox_support::*;

const FAULT: &str = r#"{"http_status": 502, "times": 1, "path": "/taiwan/v1/vexora/queryBalance"}"#;

/// Every state-changing route of the sandbox's own (the API's come from
/// `routes()`): the pattern `own_routes()` lists, and a path and body to
/// send to it.
const STATE_CHANGING: [(&str, &str, &str, &str); 8] = [
    ("POST", "/cashier/{id}/{action}", "/cashier/nosuchorder0000/pay", ""),
    ("POST", "/sandbox/clock/advance", "/sandbox/clock/advance", r#"{"seconds": 0}"#),
    ("POST", "/sandbox/orders/{trade_no}/{action}", "/sandbox/orders/NO-SUCH/pay", ""),
    ("POST", "/sandbox/payouts/{trade_no}/{action}", "/sandbox/payouts/NO-SUCH/pay", ""),
    ("POST", "/sandbox/records/{platform_id}/{action}", "/sandbox/records/nosuchrecord0000/success", ""),
    ("POST", "/sandbox/kyc/{kyc_number}/{action}", "/sandbox/kyc/nosuchkyc0000000/approve", ""),
    ("POST", "/sandbox/faults", "/sandbox/faults", FAULT),
    ("DELETE", "/sandbox/faults", "/sandbox/faults", ""),
];

/// Headers of requests from another site, each with what it shows.
fn cross_site(port: u16) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    vec![
        ("another site's Origin", vec![("Origin", "http://attacker.example".to_owned())]),
        ("Origin: null", vec![("Origin", "null".to_owned())]),
        ("another port on localhost", vec![("Origin", format!("http://localhost:{}", port.wrapping_add(1)))]),
        ("a foreign Referer, no Origin", vec![("Referer", "http://attacker.example/page.html".to_owned())]),
        (
            "a browser without Origin or Referer",
            vec![("Sec-Fetch-Site", "cross-site".to_owned()), ("Sec-Fetch-Mode", "no-cors".to_owned())],
        ),
    ]
}

/// Every state-changing route as `(method, path, body)`: the table above
/// and every API route.
fn every_state_changing_request(sandbox: &vexora_sandbox::RunningSandbox) -> Vec<(String, String, String)> {
    let mut requests: Vec<_> = STATE_CHANGING
        .iter()
        .map(|(method, _, path, body)| ((*method).to_owned(), (*path).to_owned(), (*body).to_owned()))
        .collect();
    requests.extend(sandbox.routes().into_iter().map(|route| ("POST".to_owned(), route, "{}".to_owned())));
    requests
}

#[tokio::test]
async fn every_state_changing_route_refuses_other_sites_and_serves_scripts_and_its_own_pages() {
    let sandbox = sandbox().await;
    let addr = sandbox.addr();
    let own_origin = format!("http://{addr}");
    for (method, path, body) in every_state_changing_request(&sandbox) {
        for (what, headers) in cross_site(addr.port()) {
            let mut headers: Vec<(&str, &str)> = headers.iter().map(|(name, value)| (*name, value.as_str())).collect();
            // What a cross-site form or fetch can send without asking.
            headers.push(("Content-Type", "text/plain"));
            let reply = http(addr, &method, &path, &headers, body.as_bytes()).await;
            assert_eq!(reply.status, 403, "{method} {path} from {what}: {}", reply.body);
        }
        let rebound = format!("attacker.example:{}", addr.port());
        let origin = format!("http://{rebound}");
        let reply = http_to_host(addr, &rebound, &method, &path, &[("Origin", &origin)], body.as_bytes()).await;
        assert_eq!(reply.status, 403, "{method} {path} through DNS rebinding: {}", reply.body);

        let json = [("Content-Type", "application/json")];
        let script = http(addr, &method, &path, &json, body.as_bytes()).await;
        assert_ne!(script.status, 403, "{method} {path} from a script: {}", script.body);
        let own = [("Content-Type", "application/x-www-form-urlencoded"), ("Origin", own_origin.as_str())];
        let page = http(addr, &method, &path, &own, b"").await;
        assert_ne!(page.status, 403, "{method} {path} from the sandbox's own page: {}", page.body);
        let referer = format!("{own_origin}/sandbox?page=1");
        let page = http(addr, &method, &path, &[("Referer", referer.as_str())], b"").await;
        assert_ne!(page.status, 403, "{method} {path} from the sandbox's own page (Referer): {}", page.body);
    }
}

#[tokio::test]
async fn a_cross_site_text_post_injects_no_fault() {
    let sandbox = sandbox().await;
    let addr = sandbox.addr();
    let posted = http(
        addr,
        "POST",
        "/sandbox/faults",
        &[("Origin", "http://attacker.example"), ("Content-Type", "text/plain")],
        FAULT.as_bytes(),
    )
    .await;
    assert_eq!(posted.status, 403, "{}", posted.body);
    assert_eq!(get(addr, "/sandbox/faults").await.json(), json!({ "active": [] }));
    // A script still injects one.
    let scripted =
        http(addr, "POST", "/sandbox/faults", &[("Content-Type", "application/json")], FAULT.as_bytes()).await;
    assert_eq!(scripted.status, 200, "{}", scripted.body);
}

#[tokio::test]
async fn a_cross_site_post_does_not_pay_at_the_cashier() {
    let sandbox = sandbox().await;
    let addr = sandbox.addr();
    let data = checkout(addr, checkout_fields("XS-1", "203.0.113.70", "http://127.0.0.1:9/n")).await;
    let id = data["platFormTradeNo"].as_str().expect("an id");
    let pay = format!("/cashier/{id}/pay");
    for headers in [
        vec![("Origin", "http://attacker.example")],
        vec![("Referer", "http://attacker.example/shop")],
        vec![("Sec-Fetch-Site", "cross-site")],
    ] {
        let reply = http(addr, "POST", &pay, &headers, b"").await;
        assert_eq!(reply.status, 403, "{headers:?}: {}", reply.body);
    }
    let order = call(addr, QUERY, json!({ "tradeNo": "XS-1" })).await;
    assert_eq!(order["data"]["status"], "0015", "still paying: {order}");

    // The cashier's own form pays.
    let own = format!("http://{addr}");
    let reply = http(addr, "POST", &pay, &[("Origin", own.as_str())], b"").await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert_eq!(call(addr, QUERY, json!({ "tradeNo": "XS-1" })).await["data"]["status"], "0000");
}

#[tokio::test]
async fn every_route_refuses_a_host_that_is_not_the_sandboxs() {
    let sandbox = sandbox().await;
    let addr = sandbox.addr();
    let port = addr.port();
    let reads = ["/sandbox", "/sandbox/dashboard.css", "/sandbox/clock", "/sandbox/orders", "/sandbox/faults"];
    let wrong_hosts = [
        format!("attacker.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        "localhost".to_owned(),
        format!("127.0.0.1.attacker.example:{port}"),
    ];
    for path in reads.iter().map(|path| (*path).to_owned()).chain(sandbox.routes()) {
        let method = if path.starts_with("/sandbox") { "GET" } else { "POST" };
        for host in &wrong_hosts {
            let reply = http_to_host(addr, host, method, &path, &[], b"").await;
            assert_eq!(reply.status, 403, "{method} {path} with Host {host}: {}", reply.body);
            assert!(reply.body.contains("Host"), "a plain message naming the Host: {}", reply.body);
        }
        for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("LocalHost:{port}")] {
            let reply = http_to_host(addr, &host, method, &path, &[], b"").await;
            assert_ne!(reply.status, 403, "{method} {path} with Host {host}: {}", reply.body);
        }
    }
}

#[tokio::test]
async fn the_sdk_and_scripts_are_served_as_before() {
    let sandbox = sandbox().await;
    let addr = sandbox.addr();
    // A signed API call with curl's headers (no Origin, Referer or Sec-Fetch-*).
    let fields = checkout_fields("SCRIPT-1", "203.0.113.71", "http://127.0.0.1:9/n");
    let body = serde_json::Value::Object(signed(fields.as_object().expect("an object").clone(), SECRET)).to_string();
    let headers = [("Content-Type", "application/json"), ("merchantNo", MERCHANT), ("User-Agent", "curl/8.5.0")];
    let reply = http(addr, "POST", CHECKOUT, &headers, body.as_bytes()).await;
    assert_eq!(reply.json()["code"], "0000", "{}", reply.body);
    let paid = http(addr, "POST", "/sandbox/orders/SCRIPT-1/pay", &[("User-Agent", "curl/8.5.0")], b"").await;
    assert_eq!(paid.status, 200, "{}", paid.body);
}
