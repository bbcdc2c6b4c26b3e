//! Runs one SDK operation many times, for instruction counts under
//! `valgrind --tool=callgrind` (repeatable on a shared machine, unlike time):
//!
//! ```sh
//! cargo build --release -p vexora-benches --example profile_op
//! valgrind --tool=callgrind target/release/examples/profile_op verify 100000
//! ```
//!
//! Operations: `md5_floor`, `sign`, `validate`, `prepare` (validation,
//! signing and the body), `verify`, `md5_notification`, `decode` (a
//! checkout response as the sandbox sends it). Each prints nothing but a
//! checksum, so the optimiser cannot drop the work.

use std::hint::black_box;

use md5::{Digest, Md5};
use vexora::AppSecret;
use vexora::signing::sign_request;
use vexora::validation::Validate;
use vexora_benches::{TYPICAL_NOTIFICATION, signed_bytes};
use vexora_tests::{SECRET, SEED_TIMESTAMP, recording_client, seed_net_banking};

fn main() {
    let mut args = std::env::args().skip(1);
    let operation = args.next().unwrap_or_default();
    let iterations: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);

    let request = seed_net_banking();
    let timestamp = SEED_TIMESTAMP.to_string();
    let floor_bytes = signed_bytes(&request, &timestamp, SECRET);
    let notification_length = vec![b'x'; TYPICAL_NOTIFICATION.len()];
    let secret = AppSecret::new(SECRET);
    let (client, _transport) = recording_client("taiwan");
    let response = vexora::transport::HttpResponse {
        status: 200,
        content_type: Some("application/json".to_owned()),
        body: CHECKOUT_RESPONSE.to_vec(),
    };

    let mut checksum = 0u64;
    for _ in 0..iterations {
        checksum = checksum.wrapping_add(match operation.as_str() {
            "md5_floor" => u64::from(Md5::digest(black_box(floor_bytes.as_slice()))[0]),
            "sign" => u64::from(
                sign_request(black_box(&request), black_box(timestamp.as_str()), black_box(SECRET.as_bytes()))
                    .as_str()
                    .as_bytes()[0],
            ),
            "validate" => u64::from(black_box(&request).validate().is_ok()),
            "prepare" => client.prepare(black_box(&request)).map_or(0, |prepared| prepared.body.len() as u64),
            "verify" => vexora::notification::verify(black_box(TYPICAL_NOTIFICATION), &secret)
                .map_or(0, |notification| notification.trade_no.as_str().len() as u64),
            "md5_notification" => u64::from(Md5::digest(black_box(notification_length.as_slice()))[0]),
            "decode" => vexora::envelope::decode::<vexora::data::CheckoutData>(black_box(&response))
                .map_or(0, |data| data.trade_no.as_str().len() as u64),
            other => {
                eprintln!(
                    "unknown operation {other:?}: md5_floor, sign, validate, prepare, verify, md5_notification, decode"
                );
                std::process::exit(2);
            }
        });
    }
    println!("{operation} x{iterations}: checksum {checksum}");
}

/// A checkout response as the sandbox sends it (members in its order).
const CHECKOUT_RESPONSE: &[u8] = br#"{"msg":"success","code":"0000","timestamp":1795676645000,"success":true,"data":{"tradeNo":"T20261126121500000001","platFormTradeNo":"c167o1itir0fypid","status":"0015","desc":"Paying","remark":"000000","paymentUrl":"http://127.0.0.1:40123/cashier/c167o1itir0fypid"}}"#;
