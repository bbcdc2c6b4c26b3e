//! Checkouts against a sandbox on loopback, to find out where the client's
//! time goes next to a bare surf client's (BENCHMARKS.md, "Client vs bare
//! surf"). Every mode but the first four times each request on its own and
//! prints per-request statistics, so that load from other work, which comes
//! and goes over milliseconds, affects both sides alike.
//!
//! ```sh
//! cargo build --release -p vexora-benches --example profile_loopback
//! # Instructions per checkout under callgrind (run with N and 2N):
//! valgrind --tool=callgrind target/release/examples/profile_loopback client 2000
//! valgrind --tool=callgrind target/release/examples/profile_loopback bare 2000
//! # The same with 64 in flight:
//! valgrind --tool=callgrind target/release/examples/profile_loopback client64 2000
//! valgrind --tool=callgrind target/release/examples/profile_loopback bare64 2000
//! # Wall clock:
//! target/release/examples/profile_loopback runs 8192 1     # client vs bare, alternating runs of 1
//! target/release/examples/profile_loopback gap 8192 10      # bare POSTs after 10 µs of work vs none
//! target/release/examples/profile_loopback parts 8192      # prepare, send, decode vs bare
//! target/release/examples/profile_loopback transport 8192  # the SDK's transport alone vs bare
//! target/release/examples/profile_loopback cold 4000 validate
//! ```

use std::time::{Duration, Instant};

use futures_lite::future::block_on;
use vexora::Client;
use vexora::data::CheckoutData;
use vexora::taiwan::CheckoutRequest;
use vexora::transport::{HttpRequest, Transport};
use vexora_benches::{
    TYPICAL_NOTIFICATION, alternate_client_and_bare, nth_order, post_bare, send_bare, send_through_client,
};
use vexora_sandbox::{Sandbox, SandboxConfig};
use vexora_tests::{SECRET, sandbox_config, seed_net_banking};

const MODES: &str =
    "client, bare, client64, bare64, runs [K], gap [µs], parts, transport, cold [prepare|validate|sign|verify]";

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let count: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(1_000);
    let option = args.next();

    let sandbox = Sandbox::spawn(SandboxConfig::default()).expect("the sandbox starts on loopback");
    let config = sandbox_config(sandbox.base_url("taiwan")).build().expect("a valid configuration");
    let bare: surf::Client =
        surf::Config::new().set_timeout(Some(config.timeout())).try_into().expect("curl initialises");
    let client = Client::new(config);
    let base = seed_net_banking();
    let orders: Vec<_> = (0..count).map(|n| nth_order(&base, n)).collect();
    let loopback = Loopback { client: &client, bare: &bare };

    match mode.as_str() {
        // A plain loop, not `send_through_client(.., 1)`: the stream moves
        // each checkout future into a task of its own, a copy that would be
        // counted as the client's work.
        "client" => block_on(async {
            for order in &orders {
                client.send(order).await.expect("accepted");
            }
        }),
        "bare" => {
            let prepared = loopback.prepare_all(&orders);
            block_on(async {
                for request in prepared {
                    post_bare(&bare, request).await;
                }
            });
        }
        "client64" => block_on(send_through_client(&client, &orders, 64)),
        "bare64" => block_on(send_bare(&bare, loopback.prepare_all(&orders), 64)),
        "runs" => loopback.runs(&orders, option.and_then(|k| k.parse().ok()).unwrap_or(1)),
        "gap" => loopback.gap(&orders, option.and_then(|us| us.parse().ok()).unwrap_or(10)),
        "parts" => loopback.parts(&orders),
        "transport" => loopback.transport_vs_bare(&orders),
        "cold" => loopback.cold(&orders, option.as_deref().unwrap_or("prepare")),
        other => {
            eprintln!("unknown mode {other:?}: {MODES}");
            std::process::exit(2);
        }
    }
    println!("{mode}: {count} checkouts");
}

/// The two clients under comparison.
struct Loopback<'a> {
    client: &'a Client,
    bare: &'a surf::Client,
}

impl Loopback<'_> {
    /// Every order prepared by the client, so that the bare side sends
    /// exactly the client's bytes.
    fn prepare_all(&self, orders: &[CheckoutRequest]) -> Vec<HttpRequest> {
        orders.iter().map(|order| self.client.prepare(order).expect("the seed order is valid")).collect()
    }

    /// Client checkouts and bare POSTs in alternating runs of `run`
    /// requests: with `run` 1 each request follows one of the other side.
    fn runs(&self, orders: &[CheckoutRequest], run: usize) {
        let times = block_on(alternate_client_and_bare(self.client, self.bare, orders, run));
        let mut sides = [Timings::new("client"), Timings::new("bare")];
        for (side, times) in sides.iter_mut().zip(times) {
            times.into_iter().for_each(|time| side.push(time));
        }
        println!("alternating runs of {run}:");
        report(&mut sides);
    }

    /// Bare POSTs one after the other, alternating between runs of 64
    /// sent back to back and runs of 64 with `gap_micros` of busy work
    /// before each (untimed): whether a gap as long as the SDK's work
    /// between two requests makes the next exchange itself slower.
    fn gap(&self, orders: &[CheckoutRequest], gap_micros: u64) {
        let mut sides = [Timings::new("after gap"), Timings::new("no gap")];
        let gap = Duration::from_micros(gap_micros);
        for (index, chunk) in orders.chunks_exact(64).enumerate() {
            let side = index % 2;
            let prepared = self.prepare_all(chunk);
            block_on(async {
                for request in prepared {
                    if side == 0 {
                        let spin = Instant::now();
                        while spin.elapsed() < gap {
                            std::hint::spin_loop();
                        }
                    }
                    let started = Instant::now();
                    post_bare(self.bare, request).await;
                    sides[side].push(started.elapsed());
                }
            });
        }
        println!("bare POSTs, with and without {gap_micros} µs of work before each:");
        report(&mut sides);
    }

    /// The client's three steps by hand (prepare, the client's own
    /// transport, decode), each timed, alternating one request at a time
    /// with bare POSTs of requests prepared beforehand.
    fn parts(&self, orders: &[CheckoutRequest]) {
        let mut sides = ["whole", "prepare", "send", "decode", "bare"].map(Timings::new);
        let (mine, theirs): (Vec<_>, Vec<_>) = orders.chunks_exact(2).map(|two| (&two[0], &two[1])).unzip();
        // Prepared ahead, so that no prepare runs just before a timed one.
        let prepared = self.prepare_all(&theirs.into_iter().cloned().collect::<Vec<_>>());
        for (pair, (order, request)) in mine.into_iter().zip(prepared).enumerate() {
            block_on(async {
                let client_side = async {
                    let t0 = Instant::now();
                    let request = self.client.prepare(order).expect("valid");
                    let t1 = Instant::now();
                    let response = self.client.transport().send(request).await.expect("answered");
                    let t2 = Instant::now();
                    let _: CheckoutData = vexora::envelope::decode(&response).expect("accepted");
                    let t3 = Instant::now();
                    [t3 - t0, t1 - t0, t2 - t1, t3 - t2]
                };
                let bare_side = async {
                    let started = Instant::now();
                    post_bare(self.bare, request).await;
                    started.elapsed()
                };
                let (steps, bare) = if pair % 2 == 0 {
                    let steps = client_side.await;
                    (steps, bare_side.await)
                } else {
                    let bare = bare_side.await;
                    (client_side.await, bare)
                };
                for (side, time) in sides.iter_mut().zip(steps.into_iter().chain([bare])) {
                    side.push(time);
                }
            });
        }
        println!("client steps by hand, alternating with bare:");
        report(&mut sides);
    }

    /// The client's transport alone against bare, alternating one request
    /// at a time, both sending prepared requests; lists each side's slow
    /// requests by index, so that the server's stalls, which hit both, can
    /// be told from the transport's.
    fn transport_vs_bare(&self, orders: &[CheckoutRequest]) {
        let mut sides = [Timings::new("transport"), Timings::new("bare")];
        for (pair, two) in self.prepare_all(orders).chunks_exact(2).enumerate() {
            block_on(async {
                for step in 0..2 {
                    let started = Instant::now();
                    let side = (pair + step) % 2;
                    if side == 0 {
                        self.client.transport().send(two[0].clone()).await.expect("answered");
                    } else {
                        post_bare(self.bare, two[1].clone()).await;
                    }
                    sides[side].push(started.elapsed());
                }
            });
        }
        for side in &sides {
            println!("  {} requests over 1 ms (index: µs): {}", side.name, side.slow(Duration::from_millis(1)));
        }
        report(&mut sides);
    }

    /// One operation timed inside a sequential loop of checkouts, where
    /// the thread has waited a round trip since it last ran SDK code (as a
    /// real client does): `prepare` itself, or `validate`, `sign` or
    /// `verify` (of the documented notification) just before it. Decoding
    /// is timed too, after every response.
    fn cold(&self, orders: &[CheckoutRequest], operation: &str) {
        let secret = vexora::AppSecret::new(SECRET);
        let mut sides = [Timings::new(operation), Timings::new("decode")];
        block_on(async {
            for order in orders {
                let started = Instant::now();
                match operation {
                    "validate" => drop(std::hint::black_box(vexora::Validate::validate(order))),
                    "sign" => drop(std::hint::black_box(vexora::signing::sign_request(order, "1795676645000", b"k"))),
                    "verify" => drop(std::hint::black_box(vexora::notification::verify(TYPICAL_NOTIFICATION, &secret))),
                    _ => {}
                }
                let before_prepare = Instant::now();
                let request = self.client.prepare(order).expect("valid");
                let prepared = Instant::now();
                sides[0].push(if operation == "prepare" {
                    prepared - before_prepare
                } else {
                    before_prepare - started
                });
                let response = self.client.transport().send(request).await.expect("answered");
                let received = Instant::now();
                let _: CheckoutData = vexora::envelope::decode(&response).expect("accepted");
                sides[1].push(received.elapsed());
            }
        });
        println!("inside a loop of checkouts:");
        report(&mut sides[..1]);
        report(&mut sides[1..]);
    }
}

/// Per-request times of one side, in microseconds, in the order taken.
struct Timings {
    name: String,
    micros: Vec<f64>,
}

impl Timings {
    fn new(name: &str) -> Self {
        Self { name: name.to_owned(), micros: Vec::new() }
    }

    fn push(&mut self, time: Duration) {
        self.micros.push(time.as_secs_f64() * 1e6);
    }

    /// The requests that took longer than `limit`, as `#index:µs`.
    fn slow(&self, limit: Duration) -> String {
        let limit = limit.as_secs_f64() * 1e6;
        let slow = self.micros.iter().enumerate().filter(|(_, micros)| **micros > limit);
        slow.map(|(index, micros)| format!("#{index}:{micros:.0}")).collect::<Vec<_>>().join(" ")
    }
}

/// Mean, median, 90th and 99th percentile of every side, then (for two
/// sides or more) the ratio of the first side's median and mean to the last's.
fn report(sides: &mut [Timings]) {
    let mut summary = Vec::new();
    for side in sides.iter_mut() {
        let values = &mut side.micros;
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        values.sort_by(f64::total_cmp);
        let at = |percent: usize| values.get(values.len() * percent / 100).copied().unwrap_or(f64::NAN);
        println!(
            "  {:>9}: median {:7.1} µs, mean {mean:7.1}, p90 {:7.1}, p99 {:7.1}",
            side.name,
            at(50),
            at(90),
            at(99)
        );
        summary.push((&side.name, at(50), mean));
    }
    if let [first, .., last] = summary.as_slice() {
        println!("  {} / {}: medians {:.3}, means {:.3}", first.0, last.0, first.1 / last.1, first.2 / last.2);
    }
}
