//! `vexora-simulation`: run seeds, or replay one with its trace.
//!
//! ```sh
//! cargo run --release -p vexora-simulation -- run --seeds 10000 --jobs 2
//! cargo run --release -p vexora-simulation -- run --seeds 200 --repeat 3
//! cargo run -p vexora-simulation -- replay 1234
//! ```

use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use clap::{Parser, Subcommand};
use vexora_simulation::{Books, Verdict, run_on};

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
        /// Runs each seed this many times and counts the seeds whose
        /// verdicts (the invariants each run broke) differ between runs, and
        /// those whose traces do (events of one instant compared as a set).
        #[arg(long, default_value_t = 1)]
        repeat: u64,
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
            if verdict.passed() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Command::Run { from, seeds, jobs, repeat, postgres } => {
            let books = books(postgres);
            let repeat = repeat.max(1);
            let started = Instant::now();
            let next = AtomicU64::new(from);
            let failed = Mutex::new(Vec::new());
            let differ = Mutex::new(Vec::new());
            let traces_differ = Mutex::new(Vec::new());
            std::thread::scope(|scope| {
                for _ in 0..jobs.max(1) {
                    scope.spawn(|| {
                        loop {
                            let seed = next.fetch_add(1, Ordering::Relaxed);
                            if seed >= from + seeds {
                                return;
                            }
                            let verdicts: Vec<Verdict> = (0..repeat).map(|_| run_on(seed, &books)).collect();
                            if let Some(verdict) = verdicts.iter().find(|verdict| !verdict.passed()) {
                                report(verdict);
                                failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(seed);
                            }
                            if verdicts.iter().any(|verdict| verdict.violations != verdicts[0].violations) {
                                println!("seed {seed}: the verdicts of its {repeat} runs differ");
                                differ.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(seed);
                            }
                            if verdicts.iter().any(|verdict| events(verdict) != events(&verdicts[0])) {
                                traces_differ.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(seed);
                            }
                        }
                    });
                }
            });
            let elapsed = started.elapsed().as_secs_f64();
            let failed = failed.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
            let differ = differ.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
            let traces_differ = traces_differ.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
            let runs = seeds * repeat;
            let seeds_failed = if repeat == 1 { "" } else { " seeds" };
            println!(
                "{runs} runs in {elapsed:.1} s ({:.1} runs/s), {}{seeds_failed} failed{}",
                runs as f64 / elapsed,
                failed.len(),
                if failed.is_empty() { String::new() } else { format!(": seeds {failed:?}") }
            );
            if repeat > 1 {
                println!(
                    "{} of {seeds} seeds gave verdicts that differ between their {repeat} runs{}",
                    differ.len(),
                    if differ.is_empty() { String::new() } else { format!(": seeds {differ:?}") }
                );
                println!(
                    "{} of {seeds} seeds gave traces that differ between their {repeat} runs{}",
                    traces_differ.len(),
                    if traces_differ.is_empty() { String::new() } else { format!(": seeds {traces_differ:?}") }
                );
            }
            if failed.is_empty() && differ.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
    }
}

/// A run's events, those of one simulated instant in a fixed order: two
/// receivers finish their database work on SQLite's own threads, so events
/// of one instant may be logged in either order.
fn events(verdict: &Verdict) -> Vec<String> {
    let mut lines: Vec<(i64, String)> = verdict.trace.iter().map(|event| (event.at_ms, event.to_string())).collect();
    lines.sort();
    lines.into_iter().map(|(_, line)| line).collect()
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
