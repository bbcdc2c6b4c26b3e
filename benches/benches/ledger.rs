//! Notifications settled per second through the ledger's webhook (the
//! SDK's extractor verifies, the ledger settles exactly once, `OK` after
//! the commit) against a bare handler that makes the same insert (the
//! notification under a unique key) in one transaction of the same
//! database: on SQLite (a temporary file, WAL) and on Postgres
//! (`VEXORA_TEST_POSTGRES_URL`).
//!
//! `cargo bench -p vexora-benches -- ledger_sqlite` (or `ledger_postgres`).
//! The target: the SDK's share of the time, `(webhook - bare) / webhook`,
//! at most 20 %.

use std::cell::Cell;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use criterion::{Criterion, Throughput, criterion_group};
use sqlx::{Connection, Executor};
use tokio::runtime::Runtime;
use vexora_benches::Results;
use vexora_benches::settlement::{bare_router, deliver, ledger_router, paid_notification, record_intent, trade_no};
use vexora_ledger::{Kind, Ledger, Money, Observation, RecordKeys, Reported, Source};

/// The secret the notifications are signed with.
const SECRET: &str = "test-app-secret-123";

/// The limit on the SDK's share of a settled notification's time.
const SDK_SHARE: f64 = 0.20;

/// The database the Postgres group creates afresh on the cluster.
const POSTGRES_DATABASE: &str = "vexora_bench_settle";

/// Lines printed after criterion's summary.
static NOTES: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn note(line: String) {
    println!("{line}");
    NOTES.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(line);
}

/// One database under test: the ledger, both routers, and the `tradeNo`s
/// handed out so far.
struct Bench {
    runtime: Runtime,
    ledger: Ledger,
    webhook: axum::Router,
    bare: axum::Router,
    run: String,
    /// Whether the database is SQLite.
    sqlite: bool,
    next: Cell<u64>,
    /// The first `tradeNo` number with no intent recorded yet.
    recorded: Cell<u64>,
    applied: Cell<u64>,
}

/// How many intents are recorded at a time, ahead of the notifications
/// that settle them.
const INTENTS_AHEAD: u64 = 4096;

impl Bench {
    fn open(url: &str) -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        let ledger = runtime.block_on(Ledger::connect(url)).expect("the ledger opens and migrates");
        let webhook = ledger_router(ledger.clone(), SECRET);
        let sqlite = url.starts_with("sqlite:");
        let bare = runtime.block_on(bare_router(ledger.pool().clone(), sqlite)).expect("the bare table");
        let since_epoch = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
        let run = format!("B{}", since_epoch.as_millis());
        Self {
            runtime,
            ledger,
            webhook,
            bare,
            run,
            sqlite,
            next: Cell::new(0),
            recorded: Cell::new(0),
            applied: Cell::new(0),
        }
    }

    fn trade_nos(&self, count: u64) -> Vec<String> {
        let first = self.next.get();
        self.next.set(first + count);
        (first..first + count).map(|n| trade_no(&self.run, n)).collect()
    }

    /// The next `count` trade numbers, their pay-in intents recorded: in
    /// chunks, ahead of time, as a shop records its checkouts minutes before
    /// their notifications come. On SQLite the chunk's log is then copied
    /// into the database file, so that no timed commit pays for it.
    fn recorded_trade_nos(&self, count: u64) -> Vec<String> {
        let trade_nos = self.trade_nos(count);
        let needed = self.next.get();
        if needed > self.recorded.get() {
            let from = self.recorded.get();
            let to = needed.max(from + INTENTS_AHEAD);
            self.runtime.block_on(async {
                for n in from..to {
                    record_intent(&self.ledger, &trade_no(&self.run, n)).await.expect("the intent is recorded");
                }
                if self.sqlite {
                    sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                        .execute(self.ledger.pool())
                        .await
                        .expect("checkpointed");
                }
            });
            self.recorded.set(to);
        }
        trade_nos
    }

    /// `count` notifications through the ledger's webhook, their intents
    /// recorded first (untimed); the time of the deliveries.
    fn webhook(&self, count: u64) -> Duration {
        let trade_nos = self.recorded_trade_nos(count);
        self.runtime.block_on(async {
            let bodies: Vec<String> = trade_nos.iter().map(|t| paid_notification(t, SECRET)).collect();
            let start = Instant::now();
            for body in bodies {
                let (status, answer) = deliver(&self.webhook, body).await;
                assert_eq!((status.as_u16(), answer.as_ref()), (200, b"OK".as_slice()));
            }
            let elapsed = start.elapsed();
            self.applied.set(self.applied.get() + count);
            elapsed
        })
    }

    /// `count` notifications through the bare handler.
    fn bare(&self, count: u64) -> Duration {
        let bodies: Vec<String> = self.trade_nos(count).iter().map(|t| paid_notification(t, SECRET)).collect();
        self.runtime.block_on(async {
            let start = Instant::now();
            for body in bodies {
                let (status, answer) = deliver(&self.bare, body).await;
                assert_eq!((status.as_u16(), answer.as_ref()), (200, b"OK".as_slice()));
            }
            start.elapsed()
        })
    }

    /// `count` observations settled with `Ledger::settle` directly: the
    /// ledger's part of the webhook, without axum and verification.
    fn settle(&self, count: u64) -> Duration {
        let trade_nos = self.recorded_trade_nos(count);
        self.runtime.block_on(async {
            let paid = Reported::Status {
                status: vexora::types::TradeStatus::Success,
                amount: Some(Money::from(vexora_benches::settlement::AMOUNT)),
            };
            let observations: Vec<Observation> = trade_nos
                .iter()
                .map(|t| Observation::new(Kind::PayIn, RecordKeys::trade_no(t), Source::Notification, paid.clone()))
                .collect();
            let start = Instant::now();
            for observation in &observations {
                let settled = self.ledger.settle(observation).await.expect("settled");
                assert!(matches!(settled, vexora_ledger::Settled::Applied(_)), "{settled:?}");
            }
            let elapsed = start.elapsed();
            self.applied.set(self.applied.get() + count);
            elapsed
        })
    }

    /// Every notification the webhook acknowledged was applied: paid, and
    /// nothing kept for a person.
    fn check_books(&self) {
        self.runtime.block_on(async {
            let paid: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM vexora_records WHERE state = 'paid' AND paid = '300'")
                    .fetch_one(self.ledger.pool())
                    .await
                    .expect("the books are readable");
            assert_eq!(u64::try_from(paid).ok(), Some(self.applied.get()), "every acknowledged notification paid");
            let attention = self.ledger.needs_attention().await.expect("the books are readable");
            assert!(attention.is_empty(), "{attention:?}");
        });
    }
}

/// Both sides, then the same comparison interleaved, on one database.
fn settle_group(c: &mut Criterion, group_name: &str, bench: &Bench) {
    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Elements(1));
    let ran = Cell::new(false);
    group.bench_function("webhook", |b| {
        ran.set(true);
        b.iter_custom(|iters| bench.webhook(iters));
    });
    group.bench_function("bare", |b| b.iter_custom(|iters| bench.bare(iters)));
    group.finish();
    if !ran.get() {
        return;
    }
    paired_rounds(group_name, bench);
    bench.check_books();
}

/// Criterion times each side in a window of its own, seconds apart; on
/// shared cores the load moves between them. Here each round times a batch
/// of each case back to back (which goes first alternates), and the median
/// of the per-round ratios is reported.
fn paired_rounds(group_name: &str, bench: &Bench) {
    const ROUNDS: usize = 24;
    const BATCH: u64 = 64;
    let per = |elapsed: Duration| elapsed.as_nanos() as f64 / BATCH as f64;
    let (mut webhook_times, mut bare_times, mut settle_times) = (Vec::new(), Vec::new(), Vec::new());
    let (mut shares, mut settle_shares) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (webhook, bare, settle) = if round % 2 == 0 {
            let webhook = per(bench.webhook(BATCH));
            let settle = per(bench.settle(BATCH));
            (webhook, per(bench.bare(BATCH)), settle)
        } else {
            let bare = per(bench.bare(BATCH));
            let settle = per(bench.settle(BATCH));
            (per(bench.webhook(BATCH)), bare, settle)
        };
        shares.push((webhook - bare) / webhook);
        settle_shares.push((settle - bare) / webhook);
        webhook_times.push(webhook);
        bare_times.push(bare);
        settle_times.push(settle);
    }
    let share = median(&mut shares);
    let verdict = if share <= SDK_SHARE { "met" } else { "MISSED" };
    note(format!("{group_name}: paired, interleaved ({ROUNDS} rounds of {BATCH} notifications per case; medians):"));
    note(format!(
        "  webhook {:.1} µs, Ledger::settle alone {:.1} µs, bare {:.1} µs per notification",
        median(&mut webhook_times) / 1e3,
        median(&mut settle_times) / 1e3,
        median(&mut bare_times) / 1e3
    ));
    note(format!(
        "  SDK share (webhook - bare) / webhook {:>6.1} %  (target <= {:.0} %: {verdict}); of it, the ledger's statements (settle - bare) / webhook {:.1} %",
        share * 100.0,
        SDK_SHARE * 100.0,
        median(&mut settle_shares) * 100.0
    ));
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn ledger_sqlite(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let bench = Bench::open(&format!("sqlite:{}", dir.path().join("books.sqlite3").display()));
    settle_group(c, "ledger_sqlite", &bench);
}

fn ledger_postgres(c: &mut Criterion) {
    let Ok(url) = std::env::var("VEXORA_TEST_POSTGRES_URL") else {
        note("ledger_postgres: NOT RUN, VEXORA_TEST_POSTGRES_URL is not set (see vexora-ledger/README.md)".to_owned());
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let (base, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    runtime.block_on(async {
        let mut admin = sqlx::PgConnection::connect(&url).await.expect("the cluster answers");
        let drop = format!("DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)");
        admin.execute(drop.as_str()).await.expect("dropped");
        admin.execute(format!("CREATE DATABASE {POSTGRES_DATABASE}").as_str()).await.expect("created");
    });
    let query = if query.is_empty() { String::new() } else { format!("?{query}") };
    let bench = Bench::open(&format!("{server}/{POSTGRES_DATABASE}{query}"));
    settle_group(c, "ledger_postgres", &bench);
}

criterion_group! {
    name = ledger;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    targets = ledger_sqlite, ledger_postgres
}

fn main() {
    let started = SystemTime::now();
    ledger();
    let criterion = Criterion::default().configure_from_args();
    criterion.final_summary();
    let executable = std::env::current_exe().unwrap_or_default();
    let results = Results::new(Results::default_directory(&executable), started);
    println!("\nvexora-ledger medians of this run (per notification)");
    for group in ["ledger_sqlite", "ledger_postgres"] {
        let (Some(webhook), Some(bare)) = (results.median_ns(group, "webhook"), results.median_ns(group, "bare"))
        else {
            println!("  {group:<16} not measured in this run");
            continue;
        };
        let share = (webhook - bare) / webhook;
        println!(
            "  {group:<16} webhook {:.1} µs ({:.0}/s), bare {:.1} µs ({:.0}/s): SDK share {:.1} % (criterion's medians, no verdict)",
            webhook / 1e3,
            1e9 / webhook,
            bare / 1e3,
            1e9 / bare,
            share * 100.0
        );
    }
    for line in NOTES.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter() {
        println!("{line}");
    }
}
