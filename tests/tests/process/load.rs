//! Load: checkouts through the SDK's default client (surf on curl), 64 in
//! flight, to a sandbox in a process of its own; every order paid through
//! the sandbox's control API; every notification verified with
//! `vexora::notification::Verifier::pay_in`, de-duplicated by
//! `PayInNotification::dedup_key` and processed exactly once by one merchant
//! receiver in this process.
//!
//! The sandbox runs in a child process (this test binary started again,
//! running only [`sandbox_process`]) so that this process's memory is the
//! client's and the receiver's alone (no other test runs beside a load run:
//! it holds [`crate::PROCESS`] alone), and the sandbox's growing order book
//! is measured apart (`/proc/<pid>/status` of the child).
//!
//! - `two_thousand_orders_sixty_four_in_flight`: the bounded run, in CI.
//! - `large_run`: ignored; 20,000 orders (or `VEXORA_LOAD_ORDERS`), meant for
//!   release builds. Its command and numbers are in RELIABILITY.md.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::ops::Range;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use vexora::notification::{Acknowledgement, DedupKey, Verifier};
use vexora::taiwan::{ChannelCode, CheckoutRequest, WayCode};
use vexora::transport::{HttpRequest, Transport};
use vexora::types::{TradeNo, TradeStatus};
use vexora::{AppSecret, Client};
use vexora_sandbox::{Sandbox, SandboxConfig, TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};
use vexora_tests::sandbox_config;

use crate::PROCESS;

/// Requests in flight at once.
const IN_FLIGHT: usize = 64;
/// Orders of the bounded run.
const ORDERS: usize = 2_000;
/// Orders before the client's memory is first measured: connections,
/// pools, runtime and allocator arenas are set up by then.
const WARM_UP: usize = 200;
/// Set in the child process's environment: run the sandbox.
const CHILD_ENV: &str = "VEXORA_LOAD_SANDBOX_PROCESS";
/// The child's line saying where it listens.
const LISTENING: &str = "vexora-load-sandbox listening on ";
/// Every this many notifications processed, the receiver answers 503 as if
/// its acknowledgement had been lost after processing, so the sandbox
/// sends the notification again: de-duplication is exercised under load,
/// not only assumed.
const LOST_ACK_EVERY: usize = 100;
/// The largest request head the receiver reads.
const MAX_HEAD: usize = 16 * 1024;

/// Not a test: the sandbox of the load tests, run in a child process they
/// start (this binary, with [`CHILD_ENV`] set). Serves until its stdin
/// closes, which happens when the parent ends, however it ends.
#[test]
#[ignore = "the load tests' sandbox process; does nothing when run directly"]
fn sandbox_process() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        // Retries after 2 ms instead of 2 s, for the lost acknowledgements.
        let sandbox = Sandbox::start(SandboxConfig::default().time_scale(0.001)).await.expect("the sandbox starts");
        println!("{LISTENING}{}", sandbox.url());
        let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await;
        sandbox.shutdown().await;
    });
}

/// The sandbox in a child process; killed when dropped.
struct SandboxProcess {
    child: Child,
    /// `http://ADDR`.
    url: String,
}

impl SandboxProcess {
    fn start() -> Self {
        let exe = std::env::current_exe().expect("the test binary's path");
        // libtest names a test by its module path without the crate's name.
        let module = module_path!().split_once("::").map_or(module_path!(), |(_, module)| module);
        let mut child = Command::new(exe)
            .arg(format!("{module}::sandbox_process"))
            .args(["--exact", "--ignored", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the sandbox process starts");
        let stdout = child.stdout.take().expect("a piped stdout");
        // libtest may print `test sandbox_process ... ` on the same line.
        let (found, url) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
            for line in lines.by_ref() {
                if let Some((_, url)) = line.split_once(LISTENING) {
                    let _ = found.send(url.trim().to_owned());
                    break;
                }
            }
            // Keep reading, so the child never blocks on a full pipe.
            lines.for_each(drop);
        });
        let Ok(url) = url.recv_timeout(Duration::from_secs(30)) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the sandbox process did not say where it listens within 30 s");
        };
        Self { child, url }
    }

    /// A field of the child's `/proc/<pid>/status`, in KiB.
    fn memory_kib(&self, field: &str) -> Option<u64> {
        memory_kib(&format!("/proc/{}/status", self.child.id()), field)
    }

    /// The child's CPU time so far, in seconds.
    fn cpu_seconds(&self) -> Option<f64> {
        cpu_seconds(&format!("/proc/{}/stat", self.child.id()))
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A field of a `/proc/.../status` file (`VmRSS`, `VmHWM`) in KiB; `None`
/// where there is no procfs.
fn memory_kib(status_file: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status_file).ok()?;
    let line = status.lines().find(|line| line.starts_with(field) && line[field.len()..].starts_with(':'))?;
    line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()
}

fn own_memory_kib(field: &str) -> Option<u64> {
    memory_kib("/proc/self/status", field)
}

/// User + system CPU time of a process from `/proc/.../stat`, in seconds
/// (USER_HZ is 100 on Linux).
fn cpu_seconds(stat_file: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(stat_file).ok()?;
    // Fields after the command name, which is in parentheses: state is
    // field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |index: usize| fields.get(index)?.parse::<u64>().ok();
    Some((ticks(11)? + ticks(12)?) as f64 / 100.0)
}

/// What the merchant's receiver saw.
#[derive(Debug, Default)]
struct Ledger {
    /// Dedup keys of the notifications processed: each processed once.
    processed: HashSet<DedupKey>,
    /// Verified notifications whose key was already processed: answered
    /// `OK`, not processed again.
    duplicates: usize,
    /// Processed, then answered 503 on purpose (see [`LOST_ACK_EVERY`]).
    lost_acks: usize,
    /// Notifications that failed verification (must stay 0).
    verify_failures: usize,
    /// Verified notifications whose status was not `0000` (must stay 0).
    not_paid: usize,
    /// Requests the receiver could not read as HTTP (must stay 0).
    unreadable: usize,
}

/// The merchant's notify endpoint: one listener, a task per connection.
struct Receiver {
    addr: SocketAddr,
    ledger: Arc<Mutex<Ledger>>,
}

impl Receiver {
    /// A receiver with room for `orders` dedup keys from the start (a
    /// merchant's database would hold them; here they are the one thing
    /// that grows with the orders, about 100 bytes each).
    async fn start(secret: AppSecret, orders: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let addr = listener.local_addr().expect("an address");
        let ledger = Ledger { processed: HashSet::with_capacity(orders), ..Ledger::default() };
        let ledger = Arc::new(Mutex::new(ledger));
        let shared = Arc::clone(&ledger);
        let verifier = Arc::new(Verifier::new(secret));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(receive(stream, Arc::clone(&verifier), Arc::clone(&shared)));
            }
        });
        Self { addr, ledger }
    }

    fn url(&self) -> String {
        format!("http://{}/vexora/notify", self.addr)
    }

    fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One notification: read, verify, de-duplicate, process once, answer.
async fn receive(mut stream: TcpStream, verifier: Arc<Verifier>, ledger: Arc<Mutex<Ledger>>) {
    let Some(body) = read_request(&mut stream).await else {
        ledger.lock().unwrap_or_else(PoisonError::into_inner).unreadable += 1;
        return;
    };
    let (status, answer) = match verifier.pay_in(&body) {
        Err(_) => {
            ledger.lock().unwrap_or_else(PoisonError::into_inner).verify_failures += 1;
            (400, "FAIL")
        }
        Ok(notification) => {
            let mut ledger = ledger.lock().unwrap_or_else(PoisonError::into_inner);
            if notification.status != TradeStatus::Success {
                ledger.not_paid += 1;
            }
            // A real shop records the key and credits the order in one
            // transaction; here recording the key is the processing.
            if ledger.processed.insert(notification.dedup_key()) {
                if ledger.processed.len() % LOST_ACK_EVERY == 0 {
                    ledger.lost_acks += 1;
                    (503, "acknowledgement lost")
                } else {
                    (Acknowledgement::STATUS, Acknowledgement::BODY)
                }
            } else {
                ledger.duplicates += 1;
                (Acknowledgement::STATUS, Acknowledgement::BODY)
            }
        }
    };
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
}

/// The body of one `Content-Length` request, within the SDK's notification
/// size limit; `None` if it is not one.
async fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut raw = Vec::with_capacity(1024);
    let mut buffer = [0u8; 4096];
    let (head_end, length) = loop {
        let read = stream.read(&mut buffer).await.ok().filter(|read| *read > 0)?;
        raw.extend_from_slice(&buffer[..read]);
        if let Some(end) = raw.windows(4).position(|window| window == b"\r\n\r\n") {
            let head = std::str::from_utf8(&raw[..end]).ok()?;
            let length = head.lines().find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.trim().eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>().ok())?
            })?;
            break (end + 4, length);
        }
        if raw.len() > MAX_HEAD {
            return None;
        }
    };
    if length > vexora::notification::MAX_BODY_BYTES {
        return None;
    }
    while raw.len() < head_end + length {
        let read = stream.read(&mut buffer).await.ok().filter(|read| *read > 0)?;
        raw.extend_from_slice(&buffer[..read]);
    }
    raw.truncate(head_end + length);
    Some(raw.split_off(head_end))
}

/// The `n`-th order: a fresh `tradeNo`, and a payer IP of its own
/// (`10.x.y.z`), since the sandbox allows an IP 10 orders and 3 payments a day.
fn order(n: usize, notify_url: &str) -> CheckoutRequest {
    let [_, x, y, z] = u32::try_from(n + 1).expect("fewer than 2^32 orders").to_be_bytes();
    let mut order = vexora_tests::ewallet_order(&format!("10.{x}.{y}.{z}"), notify_url);
    order.channel_code = ChannelCode::NetBanking;
    order.way_code = WayCode::BANK_TRANSFER;
    order.bank_number = Some("808-0368988888888".into());
    order.remark = Some(format!("load-{n}"));
    order
}

/// Where each order's outcome is recorded: allocated whole before the run,
/// so that recording costs no memory while the client's is measured.
struct Outcomes {
    /// The `tradeNo` of order `n`, once accepted and paid
    /// (`TradeNo::generate` makes 32 characters).
    trade_nos: Vec<OnceLock<[u8; 32]>>,
    /// How long order `n`'s checkout took, in microseconds.
    checkout_micros: Vec<AtomicU64>,
    /// Every error (none expected; `String`s only when there are some).
    errors: Mutex<Vec<String>>,
}

impl Outcomes {
    fn new(orders: usize) -> Self {
        Self {
            trade_nos: (0..orders).map(|_| OnceLock::new()).collect(),
            checkout_micros: (0..orders).map(|_| AtomicU64::new(0)).collect(),
            errors: Mutex::new(Vec::new()),
        }
    }

    fn record(&self, n: usize, outcome: Result<(TradeNo, Duration), String>) {
        let recorded = outcome.and_then(|(trade_no, took)| {
            let bytes: [u8; 32] =
                trade_no.as_str().as_bytes().try_into().map_err(|_| format!("order {n}: tradeNo {trade_no}"))?;
            self.trade_nos[n].set(bytes).map_err(|_| format!("order {n} recorded twice"))?;
            self.checkout_micros[n].store(u64::try_from(took.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
            Ok(())
        });
        if let Err(error) = recorded {
            self.errors.lock().unwrap_or_else(PoisonError::into_inner).push(error);
        }
    }
}

/// One order: checkout through the SDK, then paid through the sandbox's
/// control API on the same transport (and connection pool). Returns the
/// `tradeNo` and how long the checkout took.
async fn one_order(
    client: &Client,
    n: usize,
    notify_url: &str,
    sandbox_url: &str,
) -> Result<(TradeNo, Duration), String> {
    let request = order(n, notify_url);
    let started = Instant::now();
    let created = client.send(&request).await.map_err(|error| format!("checkout {n}: {error}"))?;
    let took = started.elapsed();
    if created.status != TradeStatus::Processing || created.trade_no != request.trade_no.as_str() {
        return Err(format!("checkout {n}: unexpected answer {created:?}"));
    }
    let pay = HttpRequest {
        method: "POST",
        url: format!("{sandbox_url}/sandbox/orders/{}/pay", request.trade_no),
        headers: vec![("merchantNo", TEST_MERCHANT_NO.to_owned())].into(),
        body: Vec::new(),
        timeout: Duration::from_secs(30),
    };
    let paid = client.transport().send(pay).await.map_err(|error| format!("pay {n}: {error}"))?;
    if paid.status != 200 {
        return Err(format!("pay {n}: HTTP {}: {}", paid.status, String::from_utf8_lossy(&paid.body)));
    }
    Ok((request.trade_no, took))
}

/// Runs the orders of `range`, `in_flight` at a time, into `outcomes`.
async fn drive(
    client: &Arc<Client>,
    outcomes: &Arc<Outcomes>,
    range: Range<usize>,
    in_flight: usize,
    notify_url: &str,
    sandbox_url: &str,
) {
    let next = Arc::new(AtomicUsize::new(range.start));
    let mut workers = JoinSet::new();
    for _ in 0..in_flight {
        let (client, outcomes, next) = (Arc::clone(client), Arc::clone(outcomes), Arc::clone(&next));
        let (notify_url, sandbox_url) = (notify_url.to_owned(), sandbox_url.to_owned());
        let end = range.end;
        workers.spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= end {
                    return;
                }
                outcomes.record(n, one_order(&client, n, &notify_url, &sandbox_url).await);
            }
        });
    }
    while let Some(worker) = workers.join_next().await {
        worker.expect("a worker panicked");
    }
}

/// Memory of a process, in KiB.
#[derive(Debug, Clone, Copy, Default)]
struct Memory {
    rss: Option<u64>,
    peak: Option<u64>,
}

/// A finished run.
#[derive(Debug)]
struct Report {
    orders: usize,
    in_flight: usize,
    /// First checkout to last notification processed.
    wall: Duration,
    /// First checkout to last payment answered.
    requests_done: Duration,
    errors: Vec<String>,
    checkout_latencies: Vec<Duration>,
    paid: HashSet<String>,
    processed_trade_nos: HashSet<String>,
    duplicates: usize,
    lost_acks: usize,
    verify_failures: usize,
    not_paid: usize,
    unreadable: usize,
    /// This process (client and receiver): before the first order, after
    /// the warm-up, half-way, at the end.
    client: [Memory; 4],
    /// The sandbox's process at the end.
    sandbox: Memory,
    /// CPU seconds used during the run by this process and by the sandbox's.
    cpu: (Option<f64>, Option<f64>),
}

impl Report {
    fn percentile(&self, fraction: f64) -> Duration {
        let mut sorted = self.checkout_latencies.clone();
        sorted.sort_unstable();
        let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
        sorted.get(index).copied().unwrap_or_default()
    }

    fn print(&self) {
        let mib = |value: Option<u64>| value.map_or("n/a".to_owned(), |kib| format!("{:.1} MiB", kib as f64 / 1024.0));
        let seconds = self.wall.as_secs_f64();
        eprintln!("load run: {} orders, {} in flight (surf on curl)", self.orders, self.in_flight);
        eprintln!(
            "  wall {seconds:.2} s (requests done at {:.2} s): {:.0} orders/s, {:.0} HTTP requests/s to the sandbox",
            self.requests_done.as_secs_f64(),
            self.orders as f64 / seconds,
            2.0 * self.orders as f64 / self.requests_done.as_secs_f64(),
        );
        eprintln!(
            "  checkout latency p50 {:?} p99 {:?} max {:?}",
            self.percentile(0.5),
            self.percentile(0.99),
            self.percentile(1.0)
        );
        eprintln!("  errors {}: {:?}", self.errors.len(), &self.errors[..self.errors.len().min(5)]);
        eprintln!(
            "  notifications: {} processed once, {} duplicates de-duplicated ({} acknowledgements lost on purpose), \
             {} verify failures, {} not paid, {} unreadable",
            self.processed_trade_nos.len(),
            self.duplicates,
            self.lost_acks,
            self.verify_failures,
            self.not_paid,
            self.unreadable
        );
        let [start, warm, half, end] = self.client;
        eprintln!(
            "  client RSS: start {}, after warm-up {}, half-way {}, end {}; peak (VmHWM) {}",
            mib(start.rss),
            mib(warm.rss),
            mib(half.rss),
            mib(end.rss),
            mib(end.peak)
        );
        eprintln!("  sandbox RSS: end {}, peak (VmHWM) {}", mib(self.sandbox.rss), mib(self.sandbox.peak));
        let seconds = |cpu: Option<f64>| cpu.map_or("n/a".to_owned(), |cpu| format!("{cpu:.2} s"));
        eprintln!("  CPU during the run: client {}, sandbox {}", seconds(self.cpu.0), seconds(self.cpu.1));
    }

    /// The run's promises: no error; every paid order's notification
    /// verified and processed exactly once; every lost acknowledgement
    /// redelivered and de-duplicated; nothing else arrived.
    fn assert_correct(&self) {
        assert!(self.errors.is_empty(), "{} errors, first: {:?}", self.errors.len(), self.errors.first());
        assert_eq!(self.paid.len(), self.orders, "orders missing, or tradeNos not unique");
        assert_eq!(self.processed_trade_nos, self.paid, "processed notifications differ from paid orders");
        assert_eq!((self.verify_failures, self.not_paid, self.unreadable), (0, 0, 0));
        assert_eq!(self.lost_acks, self.orders / LOST_ACK_EVERY);
        // The sandbox retries only what was not acknowledged.
        assert_eq!(self.duplicates, self.lost_acks, "duplicates without a lost acknowledgement");
    }

    /// Growth of the client's RSS from the warm-up to the end, in KiB.
    fn client_growth_kib(&self) -> Option<u64> {
        Some(self.client[3].rss?.saturating_sub(self.client[1].rss?))
    }
}

fn own_memory() -> Memory {
    Memory { rss: own_memory_kib("VmRSS"), peak: own_memory_kib("VmHWM") }
}

async fn run(orders: usize, in_flight: usize, notifications_within: Duration) -> Report {
    let sandbox = SandboxProcess::start();
    let receiver = Receiver::start(AppSecret::new(TEST_MERCHANT_SECRET), orders).await;
    let config = sandbox_config(format!("{}/taiwan", sandbox.url)).build().expect("a valid configuration");
    let client = Arc::new(Client::new(config));
    let outcomes = Arc::new(Outcomes::new(orders));
    let notify_url = receiver.url();
    let warm_up = WARM_UP.min(orders / 10);
    let half = orders / 2;

    let mut client_memory = [Memory::default(); 4];
    client_memory[0] = own_memory();
    let cpu_before = (cpu_seconds("/proc/self/stat"), sandbox.cpu_seconds());
    let started = Instant::now();
    drive(&client, &outcomes, 0..warm_up, in_flight, &notify_url, &sandbox.url).await;
    client_memory[1] = own_memory();
    drive(&client, &outcomes, warm_up..half, in_flight, &notify_url, &sandbox.url).await;
    client_memory[2] = own_memory();
    drive(&client, &outcomes, half..orders, in_flight, &notify_url, &sandbox.url).await;
    let requests_done = started.elapsed();
    let expected = outcomes.trade_nos.iter().filter(|slot| slot.get().is_some()).count();
    // Notifications still on their way.
    let deadline = Instant::now() + notifications_within;
    while receiver.ledger().processed.len() < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let wall = started.elapsed();
    // Late redeliveries of the last lost acknowledgements (2 ms apart).
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Measured before the report's own sets are built.
    client_memory[3] = own_memory();
    let sandbox_memory = Memory { rss: sandbox.memory_kib("VmRSS"), peak: sandbox.memory_kib("VmHWM") };
    let used = |before: Option<f64>, after: Option<f64>| Some(after? - before?);
    let cpu = (used(cpu_before.0, cpu_seconds("/proc/self/stat")), used(cpu_before.1, sandbox.cpu_seconds()));

    let outcomes = Arc::try_unwrap(outcomes).unwrap_or_else(|_| panic!("the workers are done"));
    let ledger = receiver.ledger();
    Report {
        orders,
        in_flight,
        wall,
        requests_done,
        errors: outcomes.errors.into_inner().unwrap_or_else(PoisonError::into_inner),
        checkout_latencies: outcomes
            .checkout_micros
            .iter()
            .map(|micros| Duration::from_micros(micros.load(Ordering::Relaxed)))
            .collect(),
        paid: outcomes
            .trade_nos
            .iter()
            .filter_map(|slot| slot.get().map(|bytes| String::from_utf8_lossy(bytes).into_owned()))
            .collect(),
        processed_trade_nos: ledger.processed.iter().map(|key| key.trade_no.as_str().to_owned()).collect(),
        duplicates: ledger.duplicates,
        lost_acks: ledger.lost_acks,
        verify_failures: ledger.verify_failures,
        not_paid: ledger.not_paid,
        unreadable: ledger.unreadable,
        client: client_memory,
        sandbox: sandbox_memory,
        cpu,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_orders_sixty_four_in_flight() {
    let _alone = PROCESS.write().await;
    let report = run(ORDERS, IN_FLIGHT, Duration::from_secs(30)).await;
    report.print();
    report.assert_correct();
    // Flat: after the warm-up the client grows only by the receiver's dedup
    // keys (about 100 bytes an order, 0.2 MB here).
    if let Some(growth) = report.client_growth_kib() {
        assert!(growth < 16 * 1024, "the client grew by {growth} KiB after the warm-up");
    }
}

/// The large run, for release builds (RELIABILITY.md):
/// `cargo test --release -p vexora-tests --test process -- --ignored --exact load::large_run --nocapture`.
/// `VEXORA_LOAD_ORDERS` and `VEXORA_LOAD_IN_FLIGHT` change its size.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "20,000 orders: run in release, see RELIABILITY.md"]
async fn large_run() {
    let _alone = PROCESS.write().await;
    let setting = |name: &str, default: usize| {
        std::env::var(name).ok().map_or(default, |value| value.parse().expect("a whole number"))
    };
    let orders = setting("VEXORA_LOAD_ORDERS", 20_000);
    let report = run(orders, setting("VEXORA_LOAD_IN_FLIGHT", IN_FLIGHT), Duration::from_secs(120)).await;
    report.print();
    report.assert_correct();
    // The receiver's dedup keys are live data (the merchant's database); no
    // per-order leak in the client means well under a kilobyte an order.
    if let Some(growth) = report.client_growth_kib() {
        let per_order = growth * 1024 / u64::try_from(orders).expect("fits");
        assert!(per_order < 1024, "the client grew by {growth} KiB after the warm-up, {per_order} bytes an order");
    }
}
