//! What the in-process tests share: signed API calls to an
//! [`InProcessSandbox`] on a simulated clock, and the bodies they send.

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use serde_json::{Map, Value, json};
use vexora_sandbox::{InProcessSandbox, TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};

/// 2026-11-26 15:04:05 in Taipei: where the simulated clocks start.
pub const START_MS: i64 = 1_795_676_645_000;
pub const CHECKOUT: &str = "/taiwan/v1/vexora/checkout";
pub const QUERY: &str = "/taiwan/v1/vexora/queryPayInResult";
pub const PAYOUT: &str = "/taiwan/v1/vexora/disbursements";
pub const PAYOUT_QUERY: &str = "/taiwan/v1/vexora/queryPayOutResult";

/// `fields` with `timestamp` (the sandbox clock's now) and `sign` added,
/// signed with the SDK's primitive, as JSON bytes.
pub fn signed_body(fields: &Value, now_ms: i64) -> Vec<u8> {
    let mut fields: Map<String, Value> = fields.as_object().expect("an object").clone();
    fields.insert("timestamp".into(), json!(now_ms.to_string()));
    let pairs: Vec<(String, String)> = fields
        .iter()
        .filter_map(|(key, value)| {
            value.as_str().filter(|text| !text.is_empty()).map(|text| (key.clone(), text.to_owned()))
        })
        .collect();
    let sign = vexora::signing::sign_pairs(
        pairs.iter().map(|(key, value)| (key.as_str(), value.as_str())),
        TEST_MERCHANT_SECRET.as_bytes(),
    );
    fields.insert("sign".into(), json!(sign.to_string()));
    Value::Object(fields).to_string().into_bytes()
}

/// A signed API request by the test merchant, naming the sandbox in `Host`.
pub fn api_request(sandbox: &InProcessSandbox, route: &str, fields: &Value) -> Request<Body> {
    Request::post(route)
        .header("host", sandbox.host())
        .header("content-type", "application/json")
        .header("merchantNo", TEST_MERCHANT_NO)
        .body(Body::from(signed_body(fields, sandbox.control().now_ms())))
        .expect("a request")
}

/// A signed API call; returns the envelope.
pub async fn api(sandbox: &InProcessSandbox, route: &str, fields: Value) -> Value {
    let answer = sandbox.call(api_request(sandbox, route, &fields)).await.expect("an answer");
    assert_eq!(answer.status(), 200);
    json_of(answer).await
}

/// A response's body as JSON.
pub async fn json_of(answer: axum::response::Response) -> Value {
    let bytes = answer.into_body().collect().await.expect("a body").to_bytes();
    serde_json::from_slice(&bytes).expect("JSON")
}

/// A Taiwan checkout of `amount` whole units, its payer at `ip`.
pub fn checkout_fields(trade_no: &str, amount: u64, ip: &str, notify_url: &str) -> Value {
    json!({
        "tradeNo": trade_no,
        "amount": amount.to_string(),
        "mobile": "0912345678",
        "firstname": "abc",
        "lastname": "efg",
        "email": "123@gmail.com",
        "channelCode": "NET_BANKING",
        "wayCode": "BANK_TRANSFER",
        "ipAddress": ip,
        "bankNumber": "808-0368988888888",
        "notifyUrl": notify_url,
        "returnUrl": "http://merchant.sim/return"
    })
}

/// A Taiwan payout of `amount` whole units.
pub fn payout_fields(trade_no: &str, amount: u64, notify_url: &str) -> Value {
    json!({
        "tradeNo": trade_no,
        "amount": amount.to_string(),
        "bankCode": "004",
        "bankNumber": "3560123456789012",
        "mobile": "0912345678",
        "email": "payee@example.com",
        "name": "Lin Mei",
        "notifyUrl": notify_url
    })
}

/// A query of `tradeNo` at `route`.
pub fn query_fields(trade_no: &str) -> Value {
    json!({ "tradeNo": trade_no })
}
