//! `vexora-simulation`: run seeds, or replay one with its trace.
//!
//! ```sh
//! cargo run --release -p vexora-simulation -- run --seeds 10000 --jobs 2
//! cargo run -p vexora-simulation -- replay 1234
//! ```

use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use clap::{Parser, Subcommand};
use vexora_simulation::{run_on, Books, Verdict};

#[derive(Parser)]
#[command(about = "A seeded fault simulation of the payment lifecycle, checked against the books' invariants")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs seeds `from..from+seeds` on `jobs` threads and prints runs per
    /// second and every failing seed.
    Run {
        /// The first seed.
        #[arg(long, default_value_t = 0)]
        from: u64,
        /// How many seeds.
        #[arg(long, default_value_t = 1_000)]
        seeds: u64,
        /// Threads, each running one seed at a time.
        #[arg(long, default_value_t = 2)]
        jobs: u64,
        /// Keep the books on this Postgres server (a database per run)
        /// instead of a SQLite file.
        #[arg(long, value_name = "URL")]
        postgres: Option<String>,
    },
    /// Runs one seed and prints what happened, step by step, and its verdict.
    Replay {
        /// The seed.
        seed: u64,
        /// Keep the books on this Postgres server.
        #[arg(long, value_name = "URL")]
        postgres: Option<String>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Replay { seed, postgres } => {
            let verdict = run_on(seed, &books(postgres));
            for event in &verdict.trace {
                println!("{event}");
            }
            report(&verdict);
            if verdict.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Run { from, seeds, jobs, postgres } => {
            let books = books(postgres);
            let started = Instant::now();
            let next = AtomicU64::new(from);
            let failed = Mutex::new(Vec::new());
            std::thread::scope(|scope| {
                for _ in 0..jobs.max(1) {
                    scope.spawn(|| loop {
                        let seed = next.fetch_add(1, Ordering::Relaxed);
                        if seed >= from + seeds {
                            return;
                        }
                        let verdict = run_on(seed, &books);
                        if !verdict.passed() {
                            report(&verdict);
                            failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(seed);
                        }
                    });
                }
            });
            let elapsed = started.elapsed().as_secs_f64();
            let failed = failed.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
            println!(
                "{seeds} runs in {elapsed:.1} s ({:.1} runs/s), {} failed{}",
                seeds as f64 / elapsed,
                failed.len(),
                if failed.is_empty() { String::new() } else { format!(": seeds {failed:?}") }
            );
            if failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn books(postgres: Option<String>) -> Books {
    postgres.map_or(Books::Sqlite, Books::Postgres)
}

fn report(verdict: &Verdict) {
    if verdict.passed() {
        println!("seed {}: every invariant held", verdict.seed);
        return;
    }
    println!("seed {} FAILED (replay: cargo run -p vexora-simulation -- replay {}):", verdict.seed, verdict.seed);
    for violation in &verdict.violations {
        println!("  {violation}");
    }
}
