//! One run: from a seed, a merchant's day against a failing world, then
//! the reconcilers until nothing is unknown, then the invariants.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use vexora::notification::Verifier;
use vexora::resolve::ResolvePolicy;
use vexora::{AppSecret, Client};
use vexora_ledger::webhook::Webhook;
use vexora_ledger::{Ledger, Options, Outcome, Reconciler, ReconcilerOptions, State};
use vexora_sandbox::{PaymentOutcome, Sandbox, SandboxConfig, VisibilityDelay};

use crate::clock::{BooksClock, SimClock};
use crate::decide::Decider;
use crate::gateway::InProcessGateway;
use crate::invariants::{Snapshot, violations};
use crate::merchant::{Merchant, SimClient, config};
use crate::network::FaultyNetwork;
use crate::plan::{Payment, Plan};
use crate::receivers::Receivers;
use crate::shop::{Shop, moves};
use crate::trace::{Event, Trace};
use crate::{MERCHANT_NO, MERCHANT_SECRET};

/// Where every run's simulated clock starts: 2026-01-05 09:00 UTC.
const START_MS: i64 = 1_767_603_600_000;

/// How long a run may take in real time before it counts as a hang.
const HANG_AFTER: Duration = Duration::from_secs(60);

/// What the merchant's balance opens with in each region, in whole units.
const OPENING_BALANCE: u64 = 100_000;

/// A reconciler's lease on the records it claims, on the books' clock
/// (which moves with the run's): longer than any pass, whose queries stall
/// for minutes of simulated time at most, so only a dead worker's claims
/// ever wait for it to end.
const WORKER_LEASE: Duration = Duration::from_secs(3_600);

/// How many reconciler passes a run may take to learn everything.
const MOST_PASSES: u32 = 60;

/// The longest a record stays hidden from queries after it was made.
const MOST_HIDDEN_MS: u64 = 20_000;

/// How a run ended.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// Its seed.
    pub seed: u64,
    /// Each invariant it broke; empty when it passed.
    pub violations: Vec<String>,
    /// What happened, in order.
    pub trace: Vec<Event>,
}

impl Verdict {
    /// Whether every invariant held.
    pub fn passed(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Where a run keeps its books.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Books {
    /// A SQLite file in a temporary folder of its own.
    Sqlite,
    /// A fresh database, `vexora_sim_SEED`, on the Postgres server this
    /// URL reaches (as a user that may create databases); dropped after a
    /// run that passed.
    Postgres(String),
}

/// Runs the seed with its books on SQLite: see [`run_on`].
pub fn run(seed: u64) -> Verdict {
    run_on(seed, &Books::Sqlite)
}

/// Runs the seed on a runtime of its own (one thread, so that the run's
/// tasks interleave the same way each time), its books in `books`, and
/// judges it. A panic or a run longer than a minute is a violation too.
pub fn run_on(seed: u64, books: &Books) -> Verdict {
    let trace = Trace::default();
    let books_clock = BooksClock::new();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async {
            tokio::time::timeout(HANG_AFTER, simulate(seed, books, trace.clone(), books_clock.clone())).await
        })
    }));
    // A run cut short by a hang or a panic let go of nothing.
    trace.stop_clock();
    books_clock.let_go();
    let violations = match outcome {
        Ok(Ok(Ok(violations))) => violations,
        Ok(Ok(Err(setup))) => vec![format!("the run could not be set up: {setup}")],
        Ok(Err(_)) => vec![format!("hang: the run had not ended after {HANG_AFTER:?}")],
        Err(panic) => {
            let text = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
                .unwrap_or_default();
            vec![format!("panic: {text}")]
        }
    };
    Verdict { seed, violations, trace: trace.events() }
}

async fn simulate(seed: u64, books: &Books, trace: Trace, books_clock: BooksClock) -> Result<Vec<String>, String> {
    let plan = Plan::of(seed);
    let decider = Decider::new(seed);
    let dir = tempfile::tempdir().map_err(|error| error.to_string())?;
    let url = match books {
        Books::Sqlite => format!("sqlite:{}", dir.path().join("books.sqlite3").display()),
        Books::Postgres(server) => fresh_postgres(server, seed).await?,
    };
    let mut options = Options::default();
    options.intent_grace = Duration::ZERO;
    options.processing_after = Duration::ZERO;
    options.clock = Arc::new(books_clock.clone());
    // Two pools on one database: two receiver processes.
    let mut ledgers = Vec::new();
    for _ in 0..2 {
        ledgers.push(Ledger::connect_with(&url, options.clone()).await.map_err(|error| error.to_string())?);
    }
    let verdict = live(seed, &plan, decider, &ledgers, trace.clone(), &books_clock).await;
    trace.stop_clock();
    books_clock.let_go();
    // Closed, not dropped: a pool's connections keep their files open
    // until closed, and thousands of runs share the process.
    for ledger in &ledgers {
        ledger.close().await;
    }
    if let (Books::Postgres(server), Ok(violations)) = (books, &verdict) {
        if violations.is_empty() {
            drop_postgres(server, seed).await?;
        }
    }
    verdict
}

/// A new, empty database for the run of `seed` on the Postgres server
/// `server_url` reaches; its URL.
async fn fresh_postgres(server_url: &str, seed: u64) -> Result<String, String> {
    use sqlx::{Connection, Executor};
    let name = format!("vexora_sim_{seed}");
    let (base, query) = server_url.split_once('?').map_or((server_url, ""), |(base, query)| (base, query));
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    let mut admin = sqlx::PgConnection::connect(server_url).await.map_err(|error| error.to_string())?;
    for statement in [format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"), format!("CREATE DATABASE {name}")] {
        admin.execute(statement.as_str()).await.map_err(|error| error.to_string())?;
    }
    admin.close().await.map_err(|error| error.to_string())?;
    let query = if query.is_empty() { String::new() } else { format!("?{query}") };
    Ok(format!("{server}/{name}{query}"))
}

/// Drops the database of a run that passed (a failed run's stays, to look at).
async fn drop_postgres(server_url: &str, seed: u64) -> Result<(), String> {
    use sqlx::{Connection, Executor};
    let mut admin = sqlx::PgConnection::connect(server_url).await.map_err(|error| error.to_string())?;
    let statement = format!("DROP DATABASE IF EXISTS vexora_sim_{seed} WITH (FORCE)");
    admin.execute(statement.as_str()).await.map_err(|error| error.to_string())?;
    admin.close().await.map_err(|error| error.to_string())
}

/// The run on its books: the day, the reconcilers, the invariants.
async fn live(
    seed: u64,
    plan: &Plan,
    decider: Decider,
    ledgers: &[Ledger],
    trace: Trace,
    books_clock: &BooksClock,
) -> Result<Vec<String>, String> {
    let verifier = Verifier::new(AppSecret::new(MERCHANT_SECRET));
    let shop = Shop::open(&ledgers[0], decider, plan.faults.killed / 2, trace.clone()).await?;
    let routers = [
        Webhook::new(ledgers[0].clone(), verifier.clone()).with_books(shop.books()).router(),
        Webhook::new(ledgers[1].clone(), verifier).with_books(shop.books()).router(),
    ];
    let receivers = Receivers::new(routers, decider, plan.faults, trace.clone());
    let slow = plan.faults.slow_to_show;
    let visibility: VisibilityDelay = Arc::new(move |kind: &str, trade_no: &str| {
        let key = format!("{kind}|{trade_no}");
        decider.strikes("slow-to-show", &key, 0, slow).then(|| 1 + decider.pick("hidden-ms", &key, 0, MOST_HIDDEN_MS))
    });
    let sandbox_config = SandboxConfig::default()
        .simulated_clock(START_MS)
        .platform_id_seed(seed)
        .opening_balance(MERCHANT_NO, OPENING_BALANCE)
        .deliver_with(Arc::new(receivers.clone()))
        .visibility_delay(visibility)
        // Always: a hidden record is one the gateway is still making, and
        // the seed already draws how many records are slow to show (none,
        // in some runs).
        .duplicates_while_hidden(true)
        .lose_notifications(plan.faults.notification_lost / 2, seed);
    let sandbox = Arc::new(Sandbox::in_process(sandbox_config).map_err(|error| error.to_string())?);
    let control = sandbox.control().clone();
    let clock = SimClock::new(control.clone(), START_MS);
    trace.set_clock(clock.clone());
    books_clock.follow(clock.clone());
    let network =
        FaultyNetwork::new(InProcessGateway::new(sandbox.clone()), decider, plan.faults, clock.clone(), trace.clone());
    let client = |region: &str| {
        Client::with_transport(config(&sandbox.base_url(region)), network.clone()).with_clock(clock.clone())
    };
    let mut merchant = Merchant {
        ledger: ledgers[0].clone(),
        taiwan: client("taiwan"),
        thailand: client("thailand"),
        policy: ResolvePolicy {
            deadline: Duration::from_secs(300),
            settle_delay: Duration::from_millis(MOST_HIDDEN_MS + 10_000),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        },
        decider,
        killed_percent: plan.faults.killed,
        trace: trace.clone(),
        requests: BTreeMap::new(),
        late: Vec::new(),
    };

    // The day's work, and the payers.
    for (n, checkout) in plan.checkouts.iter().enumerate() {
        merchant.checkout(plan, n, checkout).await;
        control.quiesce().await;
    }
    for (n, payout) in plan.payouts.iter().enumerate() {
        merchant.payout(plan, n, payout).await;
        control.quiesce().await;
    }
    for (n, checkout) in plan.checkouts.iter().enumerate() {
        let outcome = match checkout.payment {
            Payment::Full => PaymentOutcome::Pay,
            Payment::Part => PaymentOutcome::Partial,
            Payment::Failed => PaymentOutcome::Fail,
            Payment::Never => continue,
        };
        let trade_no = crate::merchant::trade_no(seed, &format!("C{n}"));
        if let Err(error) = control.finish_order(MERCHANT_NO, &trade_no, outcome) {
            trace.note("payer", format!("{trade_no}: cannot pay: {error}"));
        }
        control.quiesce().await;
    }
    for (n, payout) in plan.payouts.iter().enumerate() {
        let trade_no = crate::merchant::trade_no(seed, &format!("P{n}"));
        if let Err(error) = control.finish_payout(MERCHANT_NO, &trade_no, payout.succeeds) {
            trace.note("bank", format!("{trade_no}: cannot finish: {error}"));
        }
        control.quiesce().await;
    }
    merchant.record_late().await;
    control.quiesce().await;
    // The notifier's ladder runs its course; the next day settles.
    for step in [2, 10, 60, 600, 3_600, 3 * 3_600, 6 * 3_600, 86_400] {
        clock.advance(Duration::from_secs(step));
        control.quiesce().await;
    }

    // Two reconcilers, and the merchant's restart logic for what the
    // gateway never made, until nothing is unknown. The day ends here: from
    // now on the two workers race for the same records.
    trace.note("reconcilers", "the day is over: two reconcilers start");
    let clients = {
        let (taiwan, thailand) = (merchant.taiwan.clone(), merchant.thailand.clone());
        move |region: &str| -> Option<SimClient> {
            match region {
                "taiwan" => Some(taiwan.clone()),
                "thailand" => Some(thailand.clone()),
                _ => None,
            }
        }
    };
    let worker = |name: &str| {
        let mut options = ReconcilerOptions::default();
        options.worker = name.to_owned();
        options.settle_delay = Duration::ZERO;
        // A record asked about is due again a second later on the books'
        // clock, which stands still between the workers' claims at the
        // start of a pass: the worker that claims second never takes what
        // the first already asked about, so each record is queried once a
        // pass whichever of them wins the race. Every pass ends a minute on.
        options.initial_backoff = Duration::from_secs(1);
        options.max_backoff = Duration::from_secs(1);
        options.batch = 1_000;
        options.lease = WORKER_LEASE;
        options
    };
    // Until a pass settles nothing and sends nothing again, and every
    // record the reconcilers could not ask about has been asked since.
    let mut sent_again = BTreeSet::new();
    let mut unasked: BTreeSet<String> = BTreeSet::new();
    let mut quiet = false;
    for pass in 1..=MOST_PASSES {
        let reconciler = |ledger: &Ledger, name: &str| {
            Reconciler::new(ledger.clone(), clients.clone()).with_options(worker(name)).with_books(shop.books())
        };
        let (first, second) = (reconciler(&ledgers[0], "worker-1"), reconciler(&ledgers[1], "worker-2"));
        let (first, second) = tokio::join!(first.reconcile_once(), second.reconcile_once());
        let mut learnt = false;
        let mut died = false;
        // One line for both workers: which of them claims a record is a
        // race the seed does not decide, what they did together is not.
        let mut both = vexora_ledger::Summary::default();
        for summary in [first, second] {
            match summary {
                Ok(summary) => {
                    learnt |= summary.settled().next().is_some();
                    both.examined.extend(summary.examined);
                }
                // The worker died mid-settlement: the pass ends, its claims
                // are taken again when their leases end.
                Err(error) => {
                    trace.note("reconcilers", format!("pass {pass}: a worker stopped: {error}"));
                    learnt = true;
                    died = true;
                }
            }
        }
        // Asked about: one worker's answer is enough, whatever the other's
        // query met.
        let (failed, asked): (Vec<_>, Vec<_>) =
            both.examined.iter().partition(|examined| matches!(examined.outcome, Outcome::StillUnknown { .. }));
        unasked.extend(failed.iter().map(|examined| examined.keys.to_string()));
        let asked: BTreeSet<String> = asked.iter().map(|examined| examined.keys.to_string()).collect();
        for key in &asked {
            unasked.remove(key);
        }
        // Quiet also needs every record due now to have been asked about in
        // this pass: one a dead worker still holds was not.
        let due = ledgers[0].due(books_clock.now(), 10_000).await.map_err(|error| error.to_string())?;
        let passed_over = due.iter().filter(|record| !asked.contains(&record.keys.to_string())).count();
        if passed_over > 0 {
            learnt = true;
        }
        // A record both claimed in turn (its lease released at once) is
        // one line: how often it was claimed is the race again.
        both.examined.sort_by_key(|examined| (examined.keys.to_string(), format!("{:?}", examined.outcome)));
        both.examined.dedup_by(|a, b| a.keys == b.keys && a.outcome == b.outcome);
        trace.note("reconcilers", format!("pass {pass}: {both}"));
        let records = ledgers[0].records().await.map_err(|error| error.to_string())?;
        // A record no longer due has nothing left to ask (whether the books
        // are right about it is for the invariants to say).
        for record in records.iter().filter(|record| record.due_at.is_none()) {
            unasked.remove(&record.keys.to_string());
        }
        let never_made: Vec<String> = records
            .iter()
            .filter(|record| record.state == State::NotFound)
            .filter_map(|record| record.keys.get("tradeNo").map(str::to_owned))
            .filter(|trade_no| !sent_again.contains(trade_no))
            .collect();
        learnt |= !never_made.is_empty();
        for trade_no in never_made {
            merchant.send_again(&trade_no).await;
            sent_again.insert(trade_no);
        }
        clock.advance(Duration::from_secs(60));
        control.quiesce().await;
        if died {
            // Its claims are free once their leases end, on the books' clock.
            clock.advance(WORKER_LEASE);
            control.quiesce().await;
        }
        if !learnt && unasked.is_empty() {
            quiet = true;
            break;
        }
    }
    if !quiet {
        return Ok(vec![format!(
            "the reconcilers still learnt something after {MOST_PASSES} passes (not asked yet: {unasked:?})"
        )]);
    }

    let orders = control.orders();
    let payouts = control.payouts();
    let records = ledgers[0].records().await.map_err(|error| error.to_string())?;
    let attention = ledgers[0].needs_attention().await.map_err(|error| error.to_string())?;
    let intents: BTreeMap<String, String> =
        merchant.requests.iter().map(|(trade_no, (intent, _))| (trade_no.clone(), intent.clone())).collect();
    let acknowledged: Vec<Vec<u8>> = receivers.acknowledged().iter().map(|body| body.to_vec()).collect();
    let sent: BTreeSet<Vec<u8>> =
        control.deliveries().iter().map(|delivery| delivery.body.as_bytes().to_vec()).collect();
    let shop = moves(&ledgers[0]).await?;
    let balances: Vec<(String, vexora_sandbox::BalanceView, u64)> = ["taiwan", "thailand"]
        .into_iter()
        .filter_map(|region| {
            control.balance(MERCHANT_NO, region).map(|balance| (region.to_owned(), balance, OPENING_BALANCE * 100))
        })
        .collect();
    let snapshot = Snapshot {
        balances: &balances,
        shop: &shop,
        orders: &orders,
        payouts: &payouts,
        records: &records,
        attention: &attention,
        intents: &intents,
        acknowledged: &acknowledged,
        sent: &sent,
    };
    Ok(violations(&snapshot))
}
