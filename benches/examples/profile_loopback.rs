//! Sequential checkouts against a sandbox on loopback, through `Client` or a
//! bare surf client, for instruction counts under callgrind (the sandbox's
//! work is the same on both sides, so the difference is the SDK's):
//!
//! ```sh
//! cargo build --release -p vexora-benches --example profile_loopback
//! valgrind --tool=callgrind target/release/examples/profile_loopback client 2000
//! valgrind --tool=callgrind target/release/examples/profile_loopback bare 2000
//! ```

use futures_lite::future::block_on;
use vexora::transport::HttpRequest;
use vexora::Client;
use vexora_benches::{nth_order, post_bare};
use vexora_sandbox::{Sandbox, SandboxConfig};
use vexora_tests::{sandbox_config, seed_net_banking};

fn main() {
    let mut args = std::env::args().skip(1);
    let side = args.next().unwrap_or_default();
    let count: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(1_000);

    let sandbox = Sandbox::spawn(SandboxConfig::default()).expect("the sandbox starts on loopback");
    let config = sandbox_config(sandbox.base_url("taiwan")).build().expect("a valid configuration");
    let bare: surf::Client =
        surf::Config::new().set_timeout(Some(config.timeout())).try_into().expect("curl initialises");
    let client = Client::new(config);
    let base = seed_net_banking();

    let orders: Vec<_> = (0..count).map(|n| nth_order(&base, n)).collect();
    match side.as_str() {
        "client" => block_on(async {
            for order in &orders {
                client.checkout(order).await.expect("accepted");
            }
        }),
        "bare" => {
            let prepared: Vec<HttpRequest> = orders.iter().map(|order| client.prepare(order).expect("valid")).collect();
            block_on(async {
                for request in prepared {
                    post_bare(&bare, request).await;
                }
            });
        }
        "time" => time_sides(&client, &bare, &orders),
        "alternate" => alternate(&client, &bare, &orders),
        "parts" => parts(&client, &bare, &orders),
        "tvb" => transport_vs_bare(&client, &bare, &orders),
        "runs" => runs(&client, &bare, &orders, args.next().and_then(|k| k.parse().ok()).unwrap_or(8)),
        "cold" => cold(&client, &orders, args.next().as_deref().unwrap_or("prepare")),
        other => {
            eprintln!("unknown side {other:?}: client, bare or time");
            std::process::exit(2);
        }
    }
    println!("{side}: {count} checkouts");
}

/// Interleaved wall-clock rounds of each side (no callgrind): median
/// microseconds per request of client, bare, and the SDK's transport alone.
fn time_sides(client: &Client, bare: &surf::Client, orders: &[vexora::taiwan::CheckoutRequest]) {
    use std::time::Instant;
    use vexora::transport::{SurfTransport, Transport};
    let transport = SurfTransport::new(std::time::Duration::from_secs(30));
    let mut per_side: [Vec<f64>; 4] = Default::default();
    for (round, round_orders) in orders.chunks_exact(800).enumerate() {
        for step in 0..4 {
            let side = (round + step) % 4;
            // Each side its own orders: the sandbox refuses a tradeNo twice.
            let chunk = &round_orders[side * 200..(side + 1) * 200];
            let prepared: Vec<HttpRequest> = chunk.iter().map(|order| client.prepare(order).expect("valid")).collect();
            let started = Instant::now();
            block_on(async {
                match side {
                    0 => {
                        for order in chunk {
                            client.checkout(order).await.expect("accepted");
                        }
                    }
                    1 => {
                        for request in prepared {
                            post_bare(bare, request).await;
                        }
                    }
                    2 => {
                        for request in prepared {
                            transport.send(request).await.expect("answered");
                        }
                    }
                    _ => {
                        let (mut preparing, mut decoding) = (0.0, 0.0);
                        for order in chunk {
                            let t0 = Instant::now();
                            let request = client.prepare(order).expect("valid");
                            preparing += t0.elapsed().as_secs_f64();
                            let response = transport.send(request).await.expect("answered");
                            let t1 = Instant::now();
                            let _: vexora::taiwan::CheckoutData =
                                vexora::envelope::decode(&response).expect("accepted");
                            decoding += t1.elapsed().as_secs_f64();
                        }
                        if round % 5 == 0 {
                            println!("prepare {:.2} µs, decode {:.2} µs", preparing * 5e3, decoding * 5e3);
                        }
                    }
                }
            });
            per_side[side].push(started.elapsed().as_secs_f64() * 1e6 / chunk.len() as f64);
        }
    }
    for (name, values) in ["client", "bare", "transport", "by hand"].iter().zip(per_side.iter_mut()) {
        values.sort_by(f64::total_cmp);
        println!("{name:>10}: median {:.1} µs per request over {} rounds", values[values.len() / 2], values.len());
    }
}

/// Client, bare, transport alone, and prepare + transport, rotating one
/// request at a time; per-request latency medians of each.
fn alternate(client: &Client, bare: &surf::Client, orders: &[vexora::taiwan::CheckoutRequest]) {
    use std::time::Instant;
    use vexora::transport::{SurfTransport, Transport};
    let transport = SurfTransport::new(std::time::Duration::from_secs(30));
    let mut times: [Vec<f64>; 5] = Default::default();
    for (round, four) in orders.chunks_exact(5).enumerate() {
        let mut prepared: Vec<Option<HttpRequest>> =
            four.iter().map(|o| Some(client.prepare(o).expect("valid"))).collect();
        block_on(async {
            for step in 0..5 {
                let side = (round + step) % 5;
                let request = prepared[side].take().expect("once");
                let started = Instant::now();
                match side {
                    0 => drop(client.checkout(&four[0]).await.expect("accepted")),
                    1 => post_bare(bare, request).await,
                    2 => drop(transport.send(request).await.expect("answered")),
                    3 => {
                        let request = client.prepare(&four[3]).expect("valid");
                        let response = client.transport().send(request).await.expect("answered");
                        let _: vexora::taiwan::CheckoutData = vexora::envelope::decode(&response).expect("accepted");
                    }
                    _ => {
                        let request = client.prepare(&four[4]).expect("valid");
                        let response = transport.send(request).await.expect("answered");
                        let _: vexora::taiwan::CheckoutData = vexora::envelope::decode(&response).expect("accepted");
                    }
                }
                times[side].push(started.elapsed().as_secs_f64() * 1e6);
            }
        });
    }
    let mut medians = [0.0; 5];
    for (median, values) in medians.iter_mut().zip(times.iter_mut()) {
        values.sort_by(f64::total_cmp);
        *median = values[values.len() / 2];
    }
    println!(
        "client {:.1}, bare {:.1}, transport {:.1}, by hand own {:.1}, by hand other {:.1} µs; client/bare {:.3}",
        medians[0],
        medians[1],
        medians[2],
        medians[3],
        medians[4],
        medians[0] / medians[1]
    );
}

/// Median per-request time of `prepare` and of decoding, inside a
/// sequential loop of checkouts (caches as cold as a real client's).
fn cold(client: &Client, orders: &[vexora::taiwan::CheckoutRequest], first: &str) {
    use std::time::Instant;
    use vexora::transport::Transport;
    let (mut preparing, mut decoding) = (Vec::new(), Vec::new());
    block_on(async {
        for order in orders {
            let warm = (first == "warm").then(|| order.clone());
            let order = warm.as_ref().unwrap_or(order);
            let t0 = Instant::now();
            match first {
                "validate" => drop(std::hint::black_box(vexora::validation::Validate::validate(order))),
                "sign" => drop(std::hint::black_box(vexora::signing::sign_request(order, "1795676645000", b"secret"))),
                "timestamp" => drop(std::hint::black_box(std::time::SystemTime::now())),
                "verify" => drop(std::hint::black_box(vexora::notification::verify(
                    vexora_benches::TYPICAL_NOTIFICATION,
                    &vexora::AppSecret::new("test-app-secret-123"),
                ))),
                _ => {}
            }
            let t1 = Instant::now();
            let request = client.prepare(order).expect("valid");
            let t2 = Instant::now();
            preparing.push(if matches!(first, "prepare" | "warm") { t2 - t1 } else { t1 - t0 }.as_secs_f64() * 1e6);
            let response = client.transport().send(request).await.expect("answered");
            let t1 = Instant::now();
            let _: vexora::taiwan::CheckoutData = vexora::envelope::decode(&response).expect("accepted");
            decoding.push(t1.elapsed().as_secs_f64() * 1e6);
        }
    });
    preparing.sort_by(f64::total_cmp);
    decoding.sort_by(f64::total_cmp);
    let n = preparing.len();
    println!(
        "{first} median {:.2} µs (p25 {:.2}, p75 {:.2}); decode median {:.2} µs (p25 {:.2}, p75 {:.2})",
        preparing[n / 2],
        preparing[n / 4],
        preparing[3 * n / 4],
        decoding[n / 2],
        decoding[n / 4],
        decoding[3 * n / 4]
    );
}

/// Client and bare in alternating runs of `run` requests; per-request medians.
fn runs(client: &Client, bare: &surf::Client, orders: &[vexora::taiwan::CheckoutRequest], run: usize) {
    use std::time::Instant;
    let (mut client_times, mut bare_times) = (Vec::new(), Vec::new());
    for (index, chunk) in orders.chunks_exact(run).enumerate() {
        let prepared: Vec<HttpRequest> = chunk.iter().map(|o| client.prepare(o).expect("valid")).collect();
        block_on(async {
            if index % 2 == 0 {
                for order in chunk {
                    let started = Instant::now();
                    client.checkout(order).await.expect("accepted");
                    client_times.push(started.elapsed().as_secs_f64() * 1e6);
                }
            } else {
                for request in prepared {
                    let started = Instant::now();
                    post_bare(bare, request).await;
                    bare_times.push(started.elapsed().as_secs_f64() * 1e6);
                }
            }
        });
    }
    let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len() as f64;
    let (cm, bm) = (mean(&client_times), mean(&bare_times));
    client_times.sort_by(f64::total_cmp);
    bare_times.sort_by(f64::total_cmp);
    let (c, b) = (client_times[client_times.len() / 2], bare_times[bare_times.len() / 2]);
    let p90 = |values: &[f64]| values[values.len() * 9 / 10];
    println!(
        "runs of {run}: medians client {c:.1} µs, bare {b:.1} µs, ratio {:.3}; means {cm:.1} / {bm:.1} = {:.3}; p90 {:.1} / {:.1}",
        c / b,
        cm / bm,
        p90(&client_times),
        p90(&bare_times)
    );
}

/// By hand (prepare, the client's transport, decode), each part timed,
/// alternating one request at a time with bare; per-request medians.
fn parts(client: &Client, bare: &surf::Client, orders: &[vexora::taiwan::CheckoutRequest]) {
    use std::time::Instant;
    use vexora::transport::Transport;
    let mut times: [Vec<f64>; 5] = Default::default();
    // Prepared ahead, so that no prepare runs just before the timed one.
    let mut prepared: Vec<HttpRequest> =
        orders.chunks_exact(2).map(|two| client.prepare(&two[1]).expect("valid")).collect();
    prepared.reverse();
    for (pair, two) in orders.chunks_exact(2).enumerate() {
        let prepared = prepared.pop().expect("one per pair");
        block_on(async {
            for step in 0..2 {
                if (pair + step) % 2 == 0 {
                    let t0 = Instant::now();
                    let request = client.prepare(&two[0]).expect("valid");
                    let t1 = Instant::now();
                    let response = client.transport().send(request).await.expect("answered");
                    let t2 = Instant::now();
                    let _: vexora::taiwan::CheckoutData = vexora::envelope::decode(&response).expect("accepted");
                    let t3 = Instant::now();
                    times[0].push((t1 - t0).as_secs_f64() * 1e6);
                    times[1].push((t2 - t1).as_secs_f64() * 1e6);
                    times[2].push((t3 - t2).as_secs_f64() * 1e6);
                    times[3].push((t3 - t0).as_secs_f64() * 1e6);
                } else {
                    let t0 = Instant::now();
                    post_bare(bare, prepared.clone()).await;
                    times[4].push(t0.elapsed().as_secs_f64() * 1e6);
                }
            }
        });
    }
    let mut m = [0.0; 5];
    for (index, (median, values)) in m.iter_mut().zip(times.iter_mut()).enumerate() {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        values.sort_by(f64::total_cmp);
        *median = values[values.len() / 2];
        let p = |q: usize| values[values.len() * q / 100];
        println!("  part {index}: mean {mean:.1}, p50 {:.1}, p90 {:.1}, p99 {:.1}", p(50), p(90), p(99));
    }
    println!(
        "prepare {:.1}, send {:.1}, decode {:.1}, whole {:.1}; bare {:.1} µs; whole/bare {:.3}, send/bare {:.3}",
        m[0],
        m[1],
        m[2],
        m[3],
        m[4],
        m[3] / m[4],
        m[1] / m[4]
    );
}

/// The client's transport alone against bare, alternating one request at a
/// time, both on prepared requests; per-request statistics.
fn transport_vs_bare(client: &Client, bare: &surf::Client, orders: &[vexora::taiwan::CheckoutRequest]) {
    use std::time::Instant;
    use vexora::transport::Transport;
    let mut prepared: Vec<HttpRequest> = orders.iter().map(|o| client.prepare(o).expect("valid")).collect();
    prepared.reverse();
    let mut times: [Vec<f64>; 2] = Default::default();
    for pair in 0..orders.len() / 2 {
        let (a, b) = (prepared.pop().expect("two"), prepared.pop().expect("two"));
        block_on(async {
            for step in 0..2 {
                let t0 = Instant::now();
                if (pair + step) % 2 == 0 {
                    client.transport().send(a.clone()).await.expect("answered");
                    times[0].push(t0.elapsed().as_secs_f64() * 1e6);
                } else {
                    post_bare(bare, b.clone()).await;
                    times[1].push(t0.elapsed().as_secs_f64() * 1e6);
                }
            }
        });
    }
    for (name, values) in ["transport", "bare"].iter().zip(times.iter()) {
        let slow: Vec<String> =
            values.iter().enumerate().filter(|(_, t)| **t > 1000.0).map(|(i, t)| format!("#{i}:{t:.0}")).collect();
        println!("  {name} slow: {}", slow.join(" "));
    }
    for (name, values) in ["transport", "bare"].iter().zip(times.iter_mut()) {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        values.sort_by(f64::total_cmp);
        let p = |q: usize| values[values.len() * q / 100];
        let slow = values.iter().filter(|t| **t > 1000.0).count();
        println!("  {name:>9}: mean {mean:.1}, p50 {:.1}, p90 {:.1}, p99 {:.1}, max {:.0}, over 1 ms {slow}, sum over 1 ms {:.0}", p(50), p(90), p(99), values[values.len() - 1], values.iter().filter(|t| **t > 1000.0).sum::<f64>());
    }
}
