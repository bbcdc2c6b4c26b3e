//! What the benchmarks in `benches/sdk.rs` compare against, and how their
//! results are read back.
//!
//! - [`NaiveCheckout`] and [`naive_sign`]: the signer a hand-written SDK
//!   would have (`serde_json::to_value` → `BTreeMap<String, String>` →
//!   concatenation → MD5 → hex), the baseline for `sign_derive`. It starts
//!   from a typed struct, as the derive does, and is tested to produce the
//!   same signature, so the comparison is between two correct signers.
//! - [`TYPICAL_NOTIFICATION`]: the gateway's documented paid notification.
//! - [`post_bare`]: the bare surf client's side of `client_vs_bare`;
//!   [`send_through_client`] and [`send_bare`]: either side, any number in
//!   flight; [`alternate_client_and_bare`]: both sides timed request by
//!   request.
//! - [`Results`]: criterion's medians of this run, for the ratio table the
//!   benchmark prints at the end.
//! - [`settlement`]: both sides of `benches/ledger.rs`, the ledger's
//!   webhook and a bare insert into the same database.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use futures_util::stream::{self, StreamExt};
use md5::{Digest, Md5};
use serde::Serialize;
use serde_json::Value;
use vexora::Client;
use vexora::taiwan::CheckoutRequest;
use vexora::transport::HttpRequest;

pub mod settlement;

/// The gateway's documented paid notification, signed with the seed's
/// secret `test-app-secret-123` (the `notification_paid` signature vector).
pub const TYPICAL_NOTIFICATION: &[u8] = br#"{"platFormTradeNo":"c167o1itir0fypid","tradeNo":"00000007","amount":"300","status":"0000","message":"success","remark":"000000","sign":"d2a1dfad392f7d937b2cc1660401a647"}"#;

/// POSTs exactly what `Client::prepare` built, with a bare surf client, and
/// reads the whole response: the SDK's own work is all that is left out.
pub async fn post_bare(bare: &surf::Client, prepared: HttpRequest) {
    let mut request = surf::post(prepared.url.as_str()).body(surf::Body::from_bytes(prepared.body));
    for (name, value) in prepared.headers.iter() {
        request = request.header(*name, value.as_str());
    }
    let mut response = bare.send(request).await.expect("the sandbox answers");
    let body = response.body_bytes().await.expect("the sandbox sends a whole body");
    // Both sides must have been accepted, or the comparison is void.
    let accepted = br#""code":"0000""#;
    assert!(body.windows(accepted.len()).any(|w| w == accepted), "{}", String::from_utf8_lossy(&body));
}

/// Sends every order through `client` with `in_flight` of them at a time
/// (1: one after the other), on this thread.
pub async fn send_through_client(client: &Client, orders: &[CheckoutRequest], in_flight: usize) {
    stream::iter(orders)
        .map(|order| client.send(order))
        .buffer_unordered(in_flight)
        .for_each(|result| {
            result.expect("the sandbox accepts every order");
            async {}
        })
        .await;
}

/// POSTs every prepared request with the bare client, `in_flight` at a time.
pub async fn send_bare(bare: &surf::Client, prepared: Vec<HttpRequest>, in_flight: usize) {
    stream::iter(prepared)
        .map(|request| post_bare(bare, request))
        .buffer_unordered(in_flight)
        .for_each(|()| async {})
        .await;
}

/// Checkouts through `client` and bare POSTs in alternating runs of `run`
/// requests (1: one by one), every request timed on its own: the client's
/// times, then the bare side's. The bare side's requests are all prepared
/// before the first is sent, so that no `prepare` runs just before a timed
/// checkout and warms its code.
pub async fn alternate_client_and_bare(
    client: &Client,
    bare: &surf::Client,
    orders: &[CheckoutRequest],
    run: usize,
) -> [Vec<Duration>; 2] {
    let chunks: Vec<&[CheckoutRequest]> = orders.chunks_exact(run.max(1)).collect();
    let mut bare_requests = chunks
        .iter()
        .skip(1)
        .step_by(2)
        .flat_map(|chunk| chunk.iter())
        .map(|order| client.prepare(order).expect("the seed order is valid"))
        .collect::<Vec<_>>()
        .into_iter();
    let mut times = [Vec::new(), Vec::new()];
    for (index, chunk) in chunks.iter().enumerate() {
        if index % 2 == 0 {
            for order in *chunk {
                let started = Instant::now();
                client.send(order).await.expect("the sandbox accepts every order");
                times[0].push(started.elapsed());
            }
        } else {
            for request in bare_requests.by_ref().take(chunk.len()) {
                let started = Instant::now();
                post_bare(bare, request).await;
                times[1].push(started.elapsed());
            }
        }
    }
    times
}

/// A checkout as a hand-written SDK declares it: a plain serde struct with
/// `timestamp` as one more field.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NaiveCheckout {
    trade_no: String,
    amount: u64,
    mobile: String,
    firstname: String,
    lastname: String,
    email: String,
    channel_code: String,
    way_code: String,
    ip_address: String,
    postcode: Option<String>,
    address: Option<String>,
    bank_number: Option<String>,
    notify_url: String,
    return_url: String,
    remark: Option<String>,
    timestamp: u64,
}

impl NaiveCheckout {
    /// The same fields as `request`, stamped with `timestamp`.
    pub fn from_request(request: &CheckoutRequest, timestamp: u64) -> Self {
        Self {
            trade_no: request.trade_no.as_str().to_owned(),
            amount: request.amount.units(),
            mobile: request.mobile.clone(),
            firstname: request.firstname.clone(),
            lastname: request.lastname.clone(),
            email: request.email.to_string(),
            channel_code: request.channel_code.as_str().to_owned(),
            way_code: request.way_code.as_str().to_owned(),
            ip_address: request.ip_address.clone(),
            postcode: request.postcode.clone(),
            address: request.address.clone(),
            bank_number: request.bank_number.clone(),
            notify_url: request.notify_url.to_string(),
            return_url: request.return_url.to_string(),
            remark: request.remark.clone(),
            timestamp,
        }
    }
}

/// Signs the way hand-written SDKs do: to a JSON value, into a sorted map
/// of strings (nulls, empty strings, objects and arrays left out), joined as
/// `key=value`, the secret appended, MD5, hex through `format!`.
///
/// Returns `None` only if the struct cannot be serialized (it always can).
pub fn naive_sign<T: Serialize>(request: &T, secret: &str) -> Option<String> {
    let value = serde_json::to_value(request).ok()?;
    let mut params: BTreeMap<String, String> = BTreeMap::new();
    for (key, value) in value.as_object()? {
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            Value::Bool(flag) => flag.to_string(),
            Value::Null | Value::Object(_) | Value::Array(_) => continue,
        };
        if key != "sign" && !text.is_empty() {
            params.insert(key.clone(), text);
        }
    }
    let mut canonical = String::new();
    for (key, value) in &params {
        canonical.push_str(key);
        canonical.push('=');
        canonical.push_str(value);
    }
    canonical.push_str(secret);
    let digest = Md5::digest(canonical.as_bytes());
    let mut hex = String::new();
    for byte in digest {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    Some(hex)
}

/// `base` as the `n`-th order of a run: its own `tradeNo` and payer
/// `ipAddress` (`10.x.y.z` from `n`, unique below 2^24), since the gateway
/// refuses a repeated `tradeNo` and allows 10 orders a day per payer IP.
pub fn nth_order(base: &CheckoutRequest, n: u32) -> CheckoutRequest {
    let [_, x, y, z] = n.to_be_bytes();
    let mut order = base.clone();
    order.trade_no = vexora::types::TradeNo::new(format!("BENCH{n:010}"));
    order.ip_address = format!("10.{x}.{y}.{z}");
    order
}

/// Exactly the bytes a request signature hashes: canonical string + secret.
pub fn signed_bytes(request: &CheckoutRequest, timestamp: &str, secret: &str) -> Vec<u8> {
    let mut bytes = vexora::signing::request_canonical(request, timestamp).into_bytes();
    bytes.extend_from_slice(secret.as_bytes());
    bytes
}

/// The medians criterion wrote during this run.
#[derive(Debug, Clone)]
pub struct Results {
    directory: PathBuf,
    started: SystemTime,
}

impl Results {
    /// Results under criterion's output `directory`, counting only those
    /// written at or after `started` (so a filtered run never mixes in
    /// numbers from an earlier one).
    pub fn new(directory: impl Into<PathBuf>, started: SystemTime) -> Self {
        Self { directory: directory.into(), started }
    }

    /// Where criterion writes, by its own rule: `$CRITERION_HOME`, else
    /// `$CARGO_TARGET_DIR/criterion`, else `criterion/` in the target
    /// directory that holds `executable` (`<target>/<profile>/deps/<bench>`).
    pub fn default_directory(executable: &Path) -> PathBuf {
        if let Some(home) = std::env::var_os("CRITERION_HOME") {
            return PathBuf::from(home);
        }
        if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
            return PathBuf::from(target).join("criterion");
        }
        executable
            .ancestors()
            .nth(3)
            .map_or_else(|| PathBuf::from("target/criterion"), |target| target.join("criterion"))
    }

    /// The criterion output directory.
    pub fn directory(&self) -> &Path {
        &self.directory
    }

    /// The median time of `group/function` in nanoseconds, if it ran in
    /// this run.
    pub fn median_ns(&self, group: &str, function: &str) -> Option<f64> {
        let path = self.directory.join(group).join(function).join("new").join("estimates.json");
        let written = std::fs::metadata(&path).and_then(|meta| meta.modified()).ok()?;
        if written < self.started {
            return None;
        }
        let estimates: Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
        estimates.get("median")?.get("point_estimate")?.as_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vexora::signing::sign_request;
    use vexora_tests::{SECRET, SEED_TIMESTAMP, seed_net_banking, seed_store};

    #[test]
    fn the_naive_baseline_signs_like_the_derive() {
        for request in [seed_net_banking(), seed_store()] {
            let naive = naive_sign(&NaiveCheckout::from_request(&request, SEED_TIMESTAMP), SECRET);
            let derived = sign_request(&request, &SEED_TIMESTAMP.to_string(), SECRET.as_bytes());
            assert_eq!(naive.as_deref(), Some(derived.as_str()));
        }
        // The seed document's own signature, so neither side can drift.
        let naive = naive_sign(&NaiveCheckout::from_request(&seed_net_banking(), SEED_TIMESTAMP), SECRET);
        assert_eq!(naive.as_deref(), Some("5ee6720d71d0ed2458a065960490f67e"));
    }

    #[test]
    fn the_floor_hashes_what_the_signature_hashes() {
        let bytes = signed_bytes(&seed_net_banking(), &SEED_TIMESTAMP.to_string(), SECRET);
        let hex: String = Md5::digest(&bytes).iter().map(|byte| format!("{byte:02x}")).collect();
        assert_eq!(hex, "5ee6720d71d0ed2458a065960490f67e");
    }

    #[test]
    fn nth_orders_are_valid_and_unique_in_trade_no_and_ip() {
        use vexora::Validate;
        let base = seed_net_banking();
        let orders: Vec<_> = [0, 1, 255, 256, 65_536, 16_777_215].map(|n| nth_order(&base, n)).into();
        for order in &orders {
            assert_eq!(order.validate(), Ok(()));
        }
        assert_eq!(orders[3].ip_address, "10.0.1.0");
        assert_eq!(orders[5].ip_address, "10.255.255.255");
        let mut keys: Vec<_> = orders.iter().map(|o| (o.trade_no.as_str(), o.ip_address.as_str())).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), orders.len());
    }

    #[test]
    fn the_typical_notification_verifies() {
        let secret = vexora::AppSecret::new(SECRET);
        let notification = vexora::notification::verify(TYPICAL_NOTIFICATION, &secret);
        assert_eq!(notification.map(|n| n.trade_no.as_str().to_owned()).ok().as_deref(), Some("00000007"));
    }

    #[test]
    fn results_only_count_this_run() {
        let directory = std::env::temp_dir().join(format!("vexora-benches-{}", std::process::id()));
        let estimates = directory.join("g").join("f").join("new");
        std::fs::create_dir_all(&estimates).expect("temp dir is writable");
        let before = SystemTime::now() - std::time::Duration::from_secs(60);
        std::fs::write(estimates.join("estimates.json"), r#"{"median":{"point_estimate":12.5}}"#)
            .expect("temp dir is writable");
        assert_eq!(Results::new(&directory, before).median_ns("g", "f"), Some(12.5));
        let later = SystemTime::now() + std::time::Duration::from_secs(60);
        assert_eq!(Results::new(&directory, later).median_ns("g", "f"), None);
        assert_eq!(Results::new(&directory, before).median_ns("g", "missing"), None);
        let _ = std::fs::remove_dir_all(&directory);
    }
}
