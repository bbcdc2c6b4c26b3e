//! Real OS processes on one ledger database, a SQLite file and Postgres:
//! this test binary starts copies of itself as receivers, reconciler
//! workers and creates that are killed half-way, against the sandbox in
//! the parent, and compares the books with the gateway's at the end.
//!
//! Proven on each database:
//!
//! - **Two receivers and two reconciler workers at once.** Every
//!   notification reaches both receivers at the same moment (through a
//!   fan-out relay) while both workers query the same records, and the
//!   sandbox loses 30 % of the notifications and a fifth of the creates'
//!   answers. Each notification and each query result is applied once: what
//!   the five processes (parent included) say they applied, and the rows
//!   their settlement code wrote in the merchant's own table, add up to the
//!   gateway's paid-in and paid-out totals; every record holds the
//!   gateway's status and amount; its history is one unbroken chain with no
//!   observation twice.
//! - **A process killed** (SIGKILL) between recording the intent and
//!   sending, and between sending and recording the answer, for a checkout
//!   and a payout each. A new reconciler process settles the two the
//!   gateway made and keeps the two it never saw for a person; the
//!   merchant's restart logic sends all four again with the resolving
//!   create, which makes the missing ones and finds the others: one order
//!   or payout per `tradeNo`, credited or debited once.
//! - **A receiver killed** in the middle of a stream of notifications: a
//!   new one takes over, the gateway's retries bring what the dead one did
//!   not acknowledge, and nothing is lost or applied twice.
//!
//! `harness = false`: started with [`roles::CHILD_VAR`] set, `main` plays
//! the role its arguments name (`receiver`, `reconciler`, `create-until`);
//! otherwise it runs every scenario and exits non-zero naming each that
//! failed. Arguments that are not flags select scenarios by name, e.g.
//! `cargo test -p vexora-ledger --test processes -- sqlite`.

mod books;
mod children;
#[path = "../common/mod.rs"]
mod common;
mod concurrent;
mod gateway;
mod killed;
mod relay;
mod roles;

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;
use std::time::Instant;

/// A scenario, run on the database at the URL it is given.
type Scenario = fn(String) -> Pin<Box<dyn Future<Output = ()> + Send>>;

const SCENARIOS: [(&str, Scenario); 2] = [
    ("two_receivers_and_two_workers", |url| Box::pin(concurrent::two_receivers_and_two_workers(url))),
    ("killed_processes", |url| Box::pin(killed::killed_processes(url))),
];

fn main() -> ExitCode {
    if std::env::var_os(roles::CHILD_VAR).is_some() {
        return roles::play(std::env::args().skip(1).collect());
    }
    let filters: Vec<String> = std::env::args().skip(1).filter(|arg| !arg.starts_with('-')).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    // The scenarios share nothing (each has its own database, sandbox and
    // children) and mostly wait, so they run at once.
    let started = Instant::now();
    let running: Vec<_> = [Database::Sqlite, Database::Postgres]
        .into_iter()
        .flat_map(|database| SCENARIOS.map(|(name, scenario)| (database, name, scenario)))
        .map(|(database, name, scenario)| (format!("{database}::{name}"), database, name, scenario))
        .filter(|(full_name, ..)| {
            filters.is_empty() || filters.iter().any(|filter| full_name.contains(filter.as_str()))
        })
        .map(|(full_name, database, name, scenario)| {
            let run = runtime.spawn(async move {
                let ran = run(database, name, scenario).await;
                (ran, started.elapsed())
            });
            (full_name, run)
        })
        .collect();
    let mut failed = Vec::new();
    for (full_name, run) in running {
        match runtime.block_on(run) {
            Ok((true, took)) => println!("ok {full_name} (done after {:.1} s)", took.as_secs_f64()),
            Ok((false, _)) => println!("NOT RUN {full_name}"),
            Err(error) => {
                let why = error.try_into_panic().map_or_else(|error| error.to_string(), panic_text);
                println!("FAILED {full_name} (after {:.1} s): {why}", started.elapsed().as_secs_f64());
                failed.push(full_name);
            }
        }
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        println!("failed: {}", failed.join(", "));
        ExitCode::FAILURE
    }
}

/// Runs `scenario` on a fresh database; `false` when there is none
/// (Postgres not configured outside CI).
async fn run(database: Database, name: &str, scenario: Scenario) -> bool {
    let db = match database {
        Database::Sqlite => common::sqlite(),
        Database::Postgres => match common::postgres(&format!("processes_{name}")).await {
            Some(db) => db,
            None => return false,
        },
    };
    scenario(db.url.clone()).await;
    true
}

#[derive(Debug, Clone, Copy)]
enum Database {
    Sqlite,
    Postgres,
}

impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        })
    }
}

fn panic_text(panic: Box<dyn Any + Send>) -> String {
    match panic.downcast::<String>() {
        Ok(text) => *text,
        Err(panic) => panic.downcast_ref::<&str>().map_or_else(|| "a panic".to_owned(), |text| (*text).to_owned()),
    }
}
