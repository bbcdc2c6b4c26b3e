//! Heap allocations on the hot paths, counted by an instrumented global
//! allocator: counts, not time, so the assertions are exact and never flaky.
//!
//! The allocator is this test binary's only (this file is a binary of its
//! own), and its counters are process-wide, so the binary has no test
//! harness (`harness = false` in Cargo.toml): everything is measured in
//! `main`, the process's only thread. Under libtest the harness's main
//! thread allocated while the test ran, now and then.
//!
//! The counts (also in BENCHMARKS.md):
//!
//! | path | allocations |
//! | --- | --- |
//! | `sign_request` (derive), any request | 0 |
//! | `validate` of a valid request | 0 |
//! | `Client::prepare` | 2: URL, body (the header list is the client's, shared) |
//! | `notification::verify`, documented paid notification | 6: field list, then `tradeNo`, `platFormTradeNo`, `amount`, `message`, `remark` |

use std::alloc::System;

use stats_alloc::{INSTRUMENTED_SYSTEM, Region, Stats, StatsAlloc};
use vexora::signing::sign_request;
use vexora::taiwan::{BalanceRequest, PayInQueryRequest};
use vexora::types::TradeNo;
use vexora::{AppSecret, Validate};
use vexora_tests::{SECRET, SEED_TIMESTAMP, recording_client, seed_net_banking, seed_store};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The gateway's documented paid notification (signature vector `notification_paid`).
const PAID_NOTIFICATION: &[u8] = br#"{"platFormTradeNo":"c167o1itir0fypid","tradeNo":"00000007","amount":"300","status":"0000","message":"success","remark":"000000","sign":"d2a1dfad392f7d937b2cc1660401a647"}"#;

/// Runs `f` (already warmed up by the caller) and returns what it allocated
/// while running, with its result; the result is dropped by the caller,
/// outside the count.
fn allocations<R>(f: impl FnOnce() -> R) -> (Stats, R) {
    let region = Region::new(GLOBAL);
    let result = f();
    (region.change(), result)
}

/// New blocks plus resizes: every call into the allocator that hands out memory.
fn handed_out(stats: &Stats) -> usize {
    stats.allocations + stats.reallocations
}

fn main() {
    hot_path_allocation_counts();
    println!("hot_path_allocation_counts ... ok");
}

fn hot_path_allocation_counts() {
    let timestamp = SEED_TIMESTAMP.to_string();
    let net_banking = seed_net_banking();
    let store = seed_store();
    let query = PayInQueryRequest::builder().trade_no(TradeNo::new("00000007")).build();
    let balance = BalanceRequest::builder().build();
    let (client, _transport) = recording_client("taiwan");
    let secret = AppSecret::new(SECRET);

    // Warm-up: anything lazily set up on first use is not the steady state.
    let _ = sign_request(&net_banking, &timestamp, SECRET.as_bytes());
    let _ = net_banking.validate();
    let _ = client.prepare(&net_banking);
    let _ = vexora::notification::verify(PAID_NOTIFICATION, &secret);

    // Several rounds: a count that is not the same every time is a bug too.
    for _ in 0..3 {
        let (stats, _) = allocations(|| {
            for _ in 0..100 {
                std::hint::black_box(sign_request(&net_banking, &timestamp, SECRET.as_bytes()));
                std::hint::black_box(sign_request(&store, &timestamp, SECRET.as_bytes()));
                std::hint::black_box(sign_request(&query, &timestamp, SECRET.as_bytes()));
                std::hint::black_box(sign_request(&balance, &timestamp, SECRET.as_bytes()));
            }
        });
        assert_eq!(handed_out(&stats), 0, "signing through the derive allocated: {stats:?}");

        let (stats, valid) = allocations(|| (net_banking.validate(), store.validate(), query.validate()));
        assert!(valid.0.is_ok() && valid.1.is_ok() && valid.2.is_ok(), "{valid:?}");
        assert_eq!(handed_out(&stats), 0, "validating valid requests allocated: {stats:?}");

        let (stats, prepared) = allocations(|| client.prepare(&net_banking));
        let prepared = prepared.expect("the seed request is valid");
        // URL, the `merchantNo` and `Content-Type` values, the header list, the body.
        assert_eq!(stats.allocations, 2, "prepare: {stats:?}");
        assert_eq!(stats.reallocations, 0, "prepare grew a buffer: {stats:?}");
        assert_eq!(stats.deallocations, 0, "prepare allocated something temporary: {stats:?}");
        assert!(prepared.body.len() <= prepared.body.capacity());
        let (stats, ()) = allocations(|| drop(prepared));
        assert_eq!(stats.deallocations, 2, "dropping the prepared request: {stats:?}");

        let (stats, verified) = allocations(|| vexora::notification::verify(PAID_NOTIFICATION, &secret));
        let verified = verified.expect("the documented notification verifies");
        // The field list (freed before returning), then the five strings the
        // typed notification keeps: tradeNo, platFormTradeNo, amount, message, remark.
        assert_eq!(handed_out(&stats), 6, "verify: {stats:?}");
        assert_eq!(stats.deallocations, 1, "verify: only the field list is temporary: {stats:?}");
        drop(verified);
    }
}
