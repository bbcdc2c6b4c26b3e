//! Fixtures shared by the workspace's integration tests.
//!
//! The seed document's two checkout examples, a client that records instead
//! of sending, the signature vectors, and a generic signer that works on any
//! JSON object, written independently of the derive so the two can be
//! compared; and [`testland`], a region only the tests have.

pub mod testland;

use std::path::{Path, PathBuf};

/// The README's quickstart, compiled as a doctest so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

use serde::Deserialize;
use serde_json::{Map, Value};
use vexora::clock::FixedClock;
use vexora::config::ConfigBuilder;
use vexora::taiwan::{ChannelCode, CheckoutRequest, WayCode};
use vexora::transport::{HttpRequest, RecordingTransport};
use vexora::types::{Amount, TradeNo};
use vexora::{Client, Config};

/// The seed examples' app secret, as in the signature vectors.
pub const SECRET: &str = "test-app-secret-123";
/// The seed examples' timestamp.
pub const SEED_TIMESTAMP: u64 = 1_724_142_041_682;
/// A merchant number of the documented form.
pub const MERCHANT_NO: &str = "0000000001";
/// A base URL for `region` on a reserved example domain: the real host is
/// not public. A client only sends its base URL's region's requests.
pub fn base_url(region: &str) -> String {
    format!("https://gateway.example/{region}")
}

/// The SDK configured for a sandbox at `base_url` (its test merchant), to
/// add what a test needs (a deadline, retries) before `build`.
pub fn sandbox_config(base_url: impl Into<String>) -> ConfigBuilder {
    Config::builder()
        .merchant_no(vexora_sandbox::TEST_MERCHANT_NO)
        .app_secret(vexora_sandbox::TEST_MERCHANT_SECRET)
        .base_url(base_url)
}

/// The seed document's NET_BANKING request example.
pub fn seed_net_banking() -> CheckoutRequest {
    CheckoutRequest::builder()
        .trade_no(TradeNo::new("00000007"))
        .amount(Amount::new(300))
        .mobile("0912345678")
        .firstname("abc")
        .lastname("efg")
        .email("123@gmail.com")
        .channel_code(ChannelCode::NetBanking)
        .way_code(WayCode::BANK_TRANSFER)
        .ip_address("192.168.0.1")
        .bank_number("808-0368988888888")
        .notify_url("https://google.com")
        .return_url("http://abc.com/callback_page")
        .remark("000000")
        .build()
}

/// The seed document's STORE request example.
pub fn seed_store() -> CheckoutRequest {
    let mut request = seed_net_banking();
    request.channel_code = ChannelCode::Store;
    request.way_code = WayCode::SEVEN_ELEVEN;
    request.postcode = Some("123".into());
    request.address = Some("123".into());
    request.bank_number = None;
    request
}

/// `request` with `change` applied. Request structs are `#[non_exhaustive]`,
/// so outside the SDK a variant of a request is a copy with fields assigned,
/// not `Request { field, ..base }`.
pub fn changed<R>(mut request: R, change: impl FnOnce(&mut R)) -> R {
    change(&mut request);
    request
}

/// An e-wallet checkout of 300 TWD with a fresh `tradeNo`, for tests that
/// send many orders: `ip` lets them stay within the per-IP daily limits.
pub fn ewallet_order(ip: &str, notify_url: &str) -> CheckoutRequest {
    CheckoutRequest::builder()
        .trade_no(TradeNo::generate())
        .amount(Amount::new(300))
        .mobile("0912345678")
        .firstname("Mei")
        .lastname("Lin")
        .email("mei.lin@example.com")
        .channel_code(ChannelCode::Ewallet)
        .way_code(WayCode::new("LINE_PAY"))
        .ip_address(ip)
        .notify_url(notify_url)
        .return_url("https://merchant.example/done")
        .build()
}

/// A client of `region` with the seed's secret and clock, recording instead
/// of sending.
pub fn recording_client(region: &str) -> (Client<RecordingTransport>, RecordingTransport) {
    let config = Config::builder()
        .merchant_no(MERCHANT_NO)
        .app_secret(SECRET)
        .base_url(base_url(region))
        .build()
        .expect("the fixture configuration is valid");
    let transport = RecordingTransport::new();
    let client = Client::with_transport(config, transport.clone()).with_clock(FixedClock(SEED_TIMESTAMP));
    (client, transport)
}

/// A request as HTTP text: request line, headers, blank line, exact body.
pub fn render_http(request: &HttpRequest) -> String {
    let mut text = format!("{} {}\n", request.method, request.url);
    for (name, value) in request.headers.iter() {
        text.push_str(&format!("{name}: {value}\n"));
    }
    text.push('\n');
    text.push_str(std::str::from_utf8(&request.body).expect("bodies are UTF-8 JSON"));
    text.push('\n');
    text
}

/// One case of `fixtures/sign-vectors.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignVector {
    /// Case name.
    pub name: String,
    /// `request` or `notification`.
    pub kind: String,
    /// The app secret.
    pub secret: String,
    /// The payload as a JSON object, when there is no raw body.
    #[serde(default)]
    pub body: Option<Map<String, Value>>,
    /// The payload exactly as on the wire, when number text matters.
    #[serde(default)]
    pub raw_body: Option<String>,
    /// The string hashed before the secret.
    pub canonical: String,
    /// The expected signature.
    pub sign: String,
}

/// The tests crate's fixture folder.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every signature vector (a byte-identical copy of `shared/vectors/`).
pub fn sign_vectors() -> Vec<SignVector> {
    let text = std::fs::read_to_string(fixtures_dir().join("sign-vectors.json")).expect("fixture is readable");
    serde_json::from_str(&text).expect("fixture is valid JSON")
}

/// The canonical string of any JSON object, by the signing rule,
/// written without the SDK's request machinery: `sign`, nulls, empty
/// strings, objects and arrays left out; strings raw; numbers and booleans
/// as their JSON text; keys in code-point order.
pub fn generic_canonical(object: &Map<String, Value>) -> String {
    let mut pairs: Vec<(&str, String)> = object
        .iter()
        .filter(|(key, _)| *key != "sign")
        .filter_map(|(key, value)| {
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                Value::Bool(flag) => flag.to_string(),
                Value::Null | Value::Object(_) | Value::Array(_) => return None,
            };
            (!text.is_empty()).then_some((key.as_str(), text))
        })
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    pairs.into_iter().map(|(key, value)| format!("{key}={value}")).collect()
}

/// Lowercase hex MD5 of `canonical + secret`, computed with the md-5 crate
/// directly rather than through the SDK's hasher.
pub fn md5_hex(canonical: &str, secret: &str) -> String {
    use md5::{Digest, Md5};
    let digest = Md5::new().chain_update(canonical).chain_update(secret).finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}
