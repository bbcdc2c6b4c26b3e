//! Every vexora benchmark in one run, followed by the ratio table that
//! BENCHMARKS.md reports: `cargo bench -p vexora-benches`.
//!
//! Ratios are only meaningful between numbers of the same run on the same
//! machine; the table at the end uses only medians written by this process.

use std::cell::Cell;
use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use criterion::{Criterion, Throughput, criterion_group};
use futures_lite::future::block_on;
use md5::{Digest, Md5};
use vexora::signing::sign_request;
use vexora::taiwan::CheckoutRequest;
use vexora::transport::HttpRequest;
use vexora::{AppSecret, Client};
use vexora_benches::{
    NaiveCheckout, Results, TYPICAL_NOTIFICATION, alternate_client_and_bare, naive_sign, nth_order, send_bare,
    send_through_client, signed_bytes,
};
use vexora_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use vexora_tests::{SECRET, SEED_TIMESTAMP, recording_client, sandbox_config, seed_net_banking};

/// Signing and preparing the seed's NET_BANKING checkout.
fn request(c: &mut Criterion) {
    let request = seed_net_banking();
    let timestamp = SEED_TIMESTAMP.to_string();
    let floor_bytes = signed_bytes(&request, &timestamp, SECRET);
    let naive = NaiveCheckout::from_request(&request, SEED_TIMESTAMP);
    let (client, _transport) = recording_client("taiwan");

    let mut group = c.benchmark_group("request");
    // The paired ratios below run when the floor ran (criterion's filter).
    let floor_ran = Cell::new(false);
    group.bench_function("md5_floor", |b| {
        floor_ran.set(true);
        b.iter(|| Md5::digest(black_box(floor_bytes.as_slice())))
    });
    group.bench_function("sign_derive", |b| {
        b.iter(|| sign_request(black_box(&request), black_box(timestamp.as_str()), black_box(SECRET.as_bytes())))
    });
    group.bench_function("sign_naive", |b| b.iter(|| naive_sign(black_box(&naive), black_box(SECRET))));
    group.bench_function("prepare", |b| b.iter(|| client.prepare(black_box(&request))));
    group.finish();
    if !floor_ran.get() {
        return;
    }
    let md5_floor = || {
        black_box(Md5::digest(black_box(floor_bytes.as_slice())));
    };
    let sign = || {
        black_box(sign_request(black_box(&request), timestamp.as_str(), SECRET.as_bytes()));
    };
    let naive = || {
        black_box(naive_sign(black_box(&naive), black_box(SECRET)));
    };
    let prepare = || {
        let _ = black_box(client.prepare(black_box(&request)));
    };
    paired_micro("sign_derive / md5_floor", &sign, &md5_floor);
    paired_micro("sign_naive / sign_derive", &naive, &sign);
    paired_micro("prepare / md5_floor", &prepare, &md5_floor);
}

/// Verifying and reading the documented paid notification.
fn notification(c: &mut Criterion) {
    let secret = AppSecret::new(SECRET);
    let same_length = vec![b'x'; TYPICAL_NOTIFICATION.len()];

    let mut group = c.benchmark_group("notification");
    group.bench_function("verify_notification", |b| {
        b.iter(|| vexora::notification::verify(black_box(TYPICAL_NOTIFICATION), &secret))
    });
    let floor_ran = Cell::new(false);
    group.bench_function("md5_notification_floor", |b| {
        floor_ran.set(true);
        b.iter(|| Md5::digest(black_box(same_length.as_slice())))
    });
    group.finish();
    if !floor_ran.get() {
        return;
    }
    let verify = || {
        let _ = black_box(vexora::notification::verify(black_box(TYPICAL_NOTIFICATION), &secret));
    };
    let md5_same_length = || {
        black_box(Md5::digest(black_box(same_length.as_slice())));
    };
    paired_micro("verify_notification / md5_notification_floor", &verify, &md5_same_length);
}

/// The ratio `measured / base` measured interleaved: 41 rounds of 2,000
/// calls of each, back to back in alternating order, and the median of the
/// per-round ratios.
///
/// Criterion's medians of two benchmarks are taken seconds apart; on a
/// shared machine whose speed changes between them, their ratio moves by
/// a third. Timing both sides within milliseconds of each other, many
/// times, leaves both under the same conditions (as the loopback pairs).
/// `name` is the ratio's in [`TARGETS`], whose limit it is judged by.
fn paired_micro(name: &str, measured: &dyn Fn(), base: &dyn Fn()) {
    const ROUNDS: usize = 41;
    const CALLS: u32 = 2_000;
    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        for _ in 0..CALLS {
            f();
        }
        start.elapsed().as_secs_f64()
    };
    // Warm-up: caches, branch predictors, the allocator's free lists.
    time(measured);
    time(base);
    let mut ratios = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        let (m, b) = if round % 2 == 0 {
            let m = time(measured);
            (m, time(base))
        } else {
            let b = time(base);
            (time(measured), b)
        };
        ratios.push(m / b);
    }
    let ratio = median(&mut ratios);
    let target = TARGETS.iter().find(|target| target.name == name).expect("each paired ratio is one of TARGETS");
    let verdict = target.judge(ratio);
    note(format!("paired micro  {name:<46} {ratio:>7.2}  ({verdict})"));
}

/// Requests in flight in the concurrent cases.
const IN_FLIGHT: usize = 64;

/// Lines for the summary that criterion does not produce (connection
/// counts, paired ratios), printed after the ratio table.
static NOTES: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn note(line: String) {
    println!("{line}");
    NOTES.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(line);
}

/// The median of `values` (sorted in place).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The seed checkout, each time with a `tradeNo` and payer IP of its own.
struct Orders {
    base: CheckoutRequest,
    next: Cell<u32>,
}

impl Orders {
    fn take(&self, count: u64) -> Vec<CheckoutRequest> {
        (0..count)
            .map(|_| {
                let n = self.next.get();
                self.next.set(n + 1);
                nth_order(&self.base, n)
            })
            .collect()
    }
}

/// Both sides' connection pools opened, and the sandbox past its start-up
/// (its tables past their first nodes, its allocator holding its pages).
/// Without this the first benchmark of the group, the client's sequential
/// one, paid for all of that; criterion's warm-up of one second covers
/// only part of it.
///
/// Sequential only: each pool keeps the one connection the sequential
/// benchmarks use, as a client that sends one request at a time has.
fn warm_up_both_sides(client: &Client, bare: &surf::Client, orders: &Orders) {
    for _ in 0..2 {
        block_on(send_through_client(client, &orders.take(2_048), 1));
        let prepared: Vec<HttpRequest> =
            orders.take(2_048).iter().map(|order| client.prepare(order).expect("the seed order is valid")).collect();
        block_on(send_bare(bare, prepared, 1));
    }
}

/// The sandbox's count of accepted TCP connections and of requests.
fn sandbox_counts(sandbox: &SandboxHandle) -> (u64, u64) {
    let stats = sandbox.stats();
    (stats.connections_accepted, stats.requests)
}

/// N checkouts through `Client` against the same signed bodies POSTed by a
/// bare surf client, sequentially and with [`IN_FLIGHT`] in flight, against
/// the sandbox on loopback.
fn client_vs_bare(c: &mut Criterion) {
    let sandbox = Sandbox::spawn(SandboxConfig::default()).expect("the sandbox starts on loopback");
    let config = sandbox_config(sandbox.base_url("taiwan")).build().expect("a valid configuration");
    // The bare client is configured as the SDK's transport configures its own.
    let bare: surf::Client =
        surf::Config::new().set_timeout(Some(config.timeout())).try_into().expect("curl initialises");
    // Real clock: the sandbox refuses timestamps more than 5 minutes off.
    let client = Client::new(config);
    let orders = Orders { base: seed_net_banking(), next: Cell::new(0) };

    warm_up_both_sides(&client, &bare, &orders);

    let mut group = c.benchmark_group("client_vs_bare");
    group.throughput(Throughput::Elements(1));
    let mut connections = Vec::new();
    let ran = Cell::new(false);
    for (name, in_flight) in [("sequential", 1), ("64_in_flight", IN_FLIGHT)] {
        let before = sandbox_counts(&sandbox);
        group.bench_function(format!("client_{name}"), |b| {
            ran.set(true);
            b.iter_custom(|iters| {
                let batch = orders.take(iters);
                let start = Instant::now();
                block_on(send_through_client(&client, &batch, in_flight));
                start.elapsed()
            })
        });
        let after = sandbox_counts(&sandbox);
        connections.push((format!("client_{name}"), after.0 - before.0, after.1 - before.1));

        let before = after;
        group.bench_function(format!("bare_{name}"), |b| {
            b.iter_custom(|iters| {
                // Built by the same client, so both sides send identical bytes.
                let prepared: Vec<HttpRequest> = orders
                    .take(iters)
                    .iter()
                    .map(|order| client.prepare(order).expect("the seed order is valid"))
                    .collect();
                let start = Instant::now();
                block_on(send_bare(&bare, prepared, in_flight));
                start.elapsed()
            })
        });
        let after = sandbox_counts(&sandbox);
        connections.push((format!("bare_{name}"), after.0 - before.0, after.1 - before.1));
    }
    group.finish();
    if !ran.get() {
        return;
    }
    note("connections the sandbox accepted during each benchmark (each side has its own pool):".to_owned());
    for (name, connections, requests) in connections {
        note(format!("  {name:<24} {connections:>4} connections for {requests:>7} requests"));
    }
    paired_client_vs_bare(&client, &bare, &orders);
    alternating_client_vs_bare(&client, &bare, &orders);
}

/// The sequential target as the issue states it, a median per-request
/// time: checkouts through the client and bare POSTs alternate one request
/// at a time, every request is timed on its own, and the medians of the
/// two sides are compared.
///
/// Batches, as criterion and the rounds above time them, take the mean of
/// a few hundred requests, whose tail (a request preempted by other work on
/// the two cores) moves it by several percent; and a batch of one side runs
/// tens of milliseconds before or after the other's, under another load.
fn alternating_client_vs_bare(client: &Client, bare: &surf::Client, orders: &Orders) {
    const PAIRS: u64 = 2_048;
    let [through_client, bare_post] = block_on(alternate_client_and_bare(client, bare, &orders.take(2 * PAIRS), 1));
    // A request takes far less than 2^53 ns.
    let nanos = |times: &[Duration]| times.iter().map(|time| time.as_nanos() as f64).collect::<Vec<_>>();
    let (mut through_client, mut bare_post) = (nanos(&through_client), nanos(&bare_post));
    let mut pair_ratios: Vec<f64> = through_client.iter().zip(&bare_post).map(|(c, b)| c / b).collect();
    let (client_median, bare_median) = (median(&mut through_client), median(&mut bare_post));
    let ratio = client_median / bare_median;
    let verdict = if ratio <= CLIENT_OVER_BARE { "met" } else { "MISSED" };
    note(format!("alternating, one request at a time ({PAIRS} pairs; medians of per-request times):"));
    note(format!(
        "  client {:.1} µs, bare {:.1} µs: client / bare {ratio:>7.3}  (target <= {CLIENT_OVER_BARE:.2}: {verdict}); median of pair ratios {:.3}",
        client_median / 1e3,
        bare_median / 1e3,
        median(&mut pair_ratios)
    ));
}

/// The same comparisons as criterion's, but interleaved: each round times a
/// batch of each of the four cases back to back, and the ratios are taken
/// within the round. Load from other processes that comes and goes between
/// criterion's benchmarks (seconds apart) then affects both sides of a
/// ratio alike; the median over rounds is reported.
fn paired_client_vs_bare(client: &Client, bare: &surf::Client, orders: &Orders) {
    // Even: each order of the two sides is run as often as the other.
    // Sequential batches are short (16 ms), so that load from other work
    // changes less within a round; concurrent ones are four waves of 64.
    const ROUNDS: usize = 48;
    const SEQUENTIAL_BATCH: u64 = 64;
    const CONCURRENT_BATCH: u64 = 256;
    let run = |case: usize| -> f64 {
        let (in_flight, requests) = if case < 2 { (1, SEQUENTIAL_BATCH) } else { (IN_FLIGHT, CONCURRENT_BATCH) };
        let batch = orders.take(requests);
        let elapsed = if matches!(case, 0 | 2) {
            let start = Instant::now();
            block_on(send_through_client(client, &batch, in_flight));
            start.elapsed()
        } else {
            let prepared: Vec<HttpRequest> =
                batch.iter().map(|order| client.prepare(order).expect("the seed order is valid")).collect();
            let start = Instant::now();
            block_on(send_bare(bare, prepared, in_flight));
            start.elapsed()
        };
        // Nanoseconds per request; a batch is far below 2^53 ns.
        elapsed.as_nanos() as f64 / requests as f64
    };
    let (mut sequential, mut concurrent, mut gain) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Cases: 0 client sequential, 1 bare sequential, 2 client 64, 3 bare 64.
        // Which side goes first swaps every round, so that each case
        // follows the same cases as its counterpart: a rotation of all four
        // put "bare 64 in flight" right before "client sequential" in three
        // rounds of four, and a burst of 64 slows the requests after it.
        let order = if round % 2 == 0 { [0, 1, 2, 3] } else { [1, 0, 3, 2] };
        let mut per_request = [0.0; 4];
        for case in order {
            per_request[case] = run(case);
        }
        sequential.push(per_request[0] / per_request[1]);
        concurrent.push(per_request[2] / per_request[3]);
        gain.push(per_request[0] / per_request[2]);
    }
    note(format!(
        "paired, interleaved ({ROUNDS} rounds of {SEQUENTIAL_BATCH} sequential and {CONCURRENT_BATCH} concurrent requests per case; median of per-round ratios of mean times):"
    ));
    note(format!(
        "  client / bare, sequential            {:>7.3}  (target <= {CLIENT_OVER_BARE:.2})",
        median(&mut sequential)
    ));
    note(format!("  client / bare, 64 in flight          {:>7.3}  (no target)", median(&mut concurrent)));
    let gain = median(&mut gain);
    let verdict = if gain >= THROUGHPUT_GAIN { "met" } else { "MISSED" };
    note(format!(
        "  client throughput, 64 in flight / sequential {gain:>7.3}  (target >= {THROUGHPUT_GAIN:.2}: {verdict})"
    ));
}

/// The sandbox dashboard's first page (50 rows) over a book of 50 orders
/// and over 10,000, and a search by trade number among the 10,000: a page
/// costs its rows, not the whole book.
fn dashboard(c: &mut Criterion) {
    let mut group = c.benchmark_group("dashboard");
    let bare: surf::Client = surf::Config::new().try_into().expect("curl initialises");
    let mut sandboxes = Vec::new();
    for total in [50u32, 10_000] {
        let sandbox = Sandbox::spawn(SandboxConfig::default()).expect("the sandbox starts on loopback");
        let client = Client::new(sandbox_config(sandbox.base_url("taiwan")).build().expect("a valid configuration"));
        let orders = Orders { base: seed_net_banking(), next: Cell::new(0) };
        block_on(send_through_client(&client, &orders.take(u64::from(total)), 64));
        let page = format!("{}?per_page=50", sandbox.dashboard_url());
        group.bench_function(format!("page_1_of_{total}"), |b| {
            b.iter(|| block_on(get_page(&bare, &page)));
        });
        if total == 10_000 {
            let one = nth_order(&seed_net_banking(), 4_242).trade_no;
            let search = format!("{}?q={one}", sandbox.dashboard_url());
            assert!(block_on(get_page(&bare, &search)).contains(one.as_str()), "the search finds the order");
            group.bench_function("search_in_10000", |b| b.iter(|| block_on(get_page(&bare, &search))));
        }
        sandboxes.push(sandbox);
    }
    group.finish();
}

async fn get_page(bare: &surf::Client, url: &str) -> String {
    let mut response = bare.get(url).await.expect("the dashboard answers");
    assert_eq!(response.status(), 200);
    response.body_string().await.expect("a page")
}

criterion_group! {
    name = sandbox_pages;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = dashboard
}

criterion_group! {
    name = network;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = client_vs_bare
}

criterion_group! {
    name = micro;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = request, notification
}

/// The limit on the dashboard's first page over 10,000 orders against the
/// same page over 50: a page stays fast however many orders there are.
const DASHBOARD_BOOK_GROWTH: f64 = 2.0;

/// The limit on the Client's median per-request time over bare surf's.
const CLIENT_OVER_BARE: f64 = 1.05;

/// The least throughput with 64 in flight over sequential throughput.
const THROUGHPUT_GAIN: f64 = 1.8;

/// One ratio: `name` is `measured / base`, which must be at most `limit`
/// (or, with `at_least`, at least `limit`); no limit: shown for information.
struct Target {
    name: &'static str,
    measured: (&'static str, &'static str),
    base: (&'static str, &'static str),
    limit: Option<f64>,
    at_least: bool,
    /// Where the verdict comes from when the ratio of criterion's medians
    /// cannot give it (printed instead of `met` or `MISSED`).
    judged_by: Option<&'static str>,
}

impl Target {
    /// `ratio` against the limit, as the summary prints it: `target <= 1.25:
    /// met`, or where the verdict comes from instead, or `no target`.
    fn judge(&self, ratio: f64) -> String {
        let Some(limit) = self.limit else {
            return "no target".to_owned();
        };
        let (relation, met) = if self.at_least { (">=", ratio >= limit) } else { ("<=", ratio <= limit) };
        let verdict = self.judged_by.unwrap_or(if met { "met" } else { "MISSED" });
        format!("target {relation} {limit:.2}: {verdict}")
    }
}

const TARGETS: &[Target] = &[
    Target {
        name: "sign_derive / md5_floor",
        measured: ("request", "sign_derive"),
        base: ("request", "md5_floor"),
        limit: Some(1.25),
        at_least: false,
        judged_by: None,
    },
    Target {
        name: "sign_naive / sign_derive",
        measured: ("request", "sign_naive"),
        base: ("request", "sign_derive"),
        limit: Some(5.0),
        at_least: true,
        judged_by: None,
    },
    Target {
        name: "prepare / md5_floor",
        measured: ("request", "prepare"),
        base: ("request", "md5_floor"),
        limit: Some(3.0),
        at_least: false,
        judged_by: None,
    },
    Target {
        name: "verify_notification / md5_notification_floor",
        measured: ("notification", "verify_notification"),
        base: ("notification", "md5_notification_floor"),
        limit: Some(4.0),
        at_least: false,
        judged_by: None,
    },
    Target {
        name: "client_sequential / bare_sequential",
        measured: ("client_vs_bare", "client_sequential"),
        base: ("client_vs_bare", "bare_sequential"),
        limit: Some(CLIENT_OVER_BARE),
        at_least: false,
        // The two medians are timed in windows seconds apart, and load from
        // other work on the two shared cores moves between them: the same
        // code gave 0.92 and 1.11 a minute apart (BENCHMARKS.md). The
        // target is a median per-request time, which the alternating
        // measurement times with both sides within a millisecond.
        judged_by: Some("judged by the alternating per-request medians below"),
    },
    Target {
        name: "client_64_in_flight / bare_64_in_flight",
        measured: ("client_vs_bare", "client_64_in_flight"),
        base: ("client_vs_bare", "bare_64_in_flight"),
        limit: None,
        at_least: false,
        judged_by: None,
    },
    Target {
        // Time per request sequentially over time per request with 64 in
        // flight: the throughput gained by concurrency.
        name: "client throughput, 64 in flight / sequential",
        measured: ("client_vs_bare", "client_sequential"),
        base: ("client_vs_bare", "client_64_in_flight"),
        limit: Some(THROUGHPUT_GAIN),
        at_least: true,
        // Also two windows seconds apart: a quiet window for the sequential
        // case and a loaded one for the concurrent case gave 1.81 where the
        // paired rounds of the same run gave 2.39 (BENCHMARKS.md).
        judged_by: Some("judged by the paired rounds below"),
    },
    Target {
        name: "dashboard page_1_of_10000 / page_1_of_50",
        measured: ("dashboard", "page_1_of_10000"),
        base: ("dashboard", "page_1_of_50"),
        limit: Some(DASHBOARD_BOOK_GROWTH),
        at_least: false,
        judged_by: None,
    },
];

/// Every benchmark, as `(group, function)`, in the order of the summary.
const BENCHMARKS: &[(&str, &str)] = &[
    ("request", "md5_floor"),
    ("request", "sign_derive"),
    ("request", "sign_naive"),
    ("request", "prepare"),
    ("notification", "verify_notification"),
    ("notification", "md5_notification_floor"),
    ("client_vs_bare", "client_sequential"),
    ("client_vs_bare", "bare_sequential"),
    ("client_vs_bare", "client_64_in_flight"),
    ("client_vs_bare", "bare_64_in_flight"),
    ("dashboard", "page_1_of_50"),
    ("dashboard", "page_1_of_10000"),
    ("dashboard", "search_in_10000"),
];

fn print_medians(results: &Results) {
    println!("\nvexora medians of this run (per call; per request for client_vs_bare)");
    for (group, function) in BENCHMARKS {
        if let Some(ns) = results.median_ns(group, function) {
            let text = if ns >= 10_000.0 { format!("{:.1} µs", ns / 1_000.0) } else { format!("{ns:.0} ns") };
            println!("  {:<48} {text:>10}", format!("{group}/{function}"));
        }
    }
}

fn print_ratios(results: &Results) {
    println!("\nvexora ratios (medians of this run, from {})", results.directory().display());
    for target in TARGETS {
        let measured = results.median_ns(target.measured.0, target.measured.1);
        let base = results.median_ns(target.base.0, target.base.1);
        let (Some(measured), Some(base)) = (measured, base) else {
            println!("  {:<48} not measured in this run", target.name);
            continue;
        };
        let ratio = measured / base;
        println!("  {:<48} {ratio:>7.2}  ({})", target.name, target.judge(ratio));
    }
}

fn main() {
    let started = SystemTime::now();
    micro();
    sandbox_pages();
    // Last: it needs the sandbox and the network stack, and is the noisiest.
    network();
    let criterion = Criterion::default().configure_from_args();
    criterion.final_summary();
    let executable = std::env::current_exe().unwrap_or_default();
    let results = Results::new(Results::default_directory(&executable), started);
    print_medians(&results);
    print_ratios(&results);
    for line in NOTES.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter() {
        println!("{line}");
    }
}
