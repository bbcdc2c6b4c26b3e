//! The CI budget of seeds: a fixed list, so the list and not the clock
//! decides what runs. Each seed runs the whole lifecycle against its own
//! faults and must keep every invariant; a failure prints the seed and the
//! command that replays it.

use vexora_simulation::{Books, run, run_on};

/// Seeds `0..SEEDS`, under a minute on two shared cores in a debug build.
const SEEDS: u64 = 200;

#[test]
fn every_invariant_holds_for_the_ci_seeds() {
    let failed: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|worker| {
                scope.spawn(move || {
                    (0..SEEDS)
                        .filter(|seed| seed % 2 == worker)
                        .map(run)
                        .filter(|verdict| !verdict.passed())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a worker thread ends"))
            .map(|verdict| {
                format!(
                    "seed {} (replay: cargo run -p vexora-simulation -- replay {}):\n  {}",
                    verdict.seed,
                    verdict.seed,
                    verdict.violations.join("\n  ")
                )
            })
            .collect()
    });
    assert!(failed.is_empty(), "{} of {SEEDS} seeds broke an invariant:\n{}", failed.len(), failed.join("\n"));
}

/// A seed replays: the same verdict, and the same run (the creates, the
/// faults, the payers, the deliveries, each reconciler pass and what it
/// settled) at the same simulated times. Events of one instant are
/// compared as a set: two receivers finish their database work on SQLite's
/// own threads, in either order. Which of the two reconcilers claims a
/// pass's records is a race too, but whichever does, each record is
/// claimed once a pass and the other finds nothing, and the leases a dead
/// worker leaves end on the books' clock, so the passes repeat. Seed 0's
/// reconciler dies in the middle of settling.
#[test]
fn a_seed_replays_to_the_same_verdict_and_run() {
    for seed in [0, 1, 35, 41] {
        let (first, second) = (run(seed), run(seed));
        assert_eq!(first.violations, second.violations, "seed {seed}");
        let lines = |verdict: &vexora_simulation::Verdict| -> Vec<String> {
            let mut lines: Vec<(i64, String)> =
                verdict.trace.iter().map(|event| (event.at_ms, event.to_string())).collect();
            lines.sort();
            lines.into_iter().map(|(_, line)| line).collect()
        };
        let run_of_first = lines(&first);
        assert!(run_of_first.iter().any(|line| line.contains("pass 1:")), "seed {seed}: the reconcilers ran");
        assert_eq!(run_of_first, lines(&second), "seed {seed}: the same run");
    }
}

/// Notifications are not only lost and repeated but reordered: an attempt
/// held up on the way reaches a receiver after a later attempt of the same
/// notification has (seed 1 holds up four).
#[test]
fn a_notification_attempt_arrives_after_a_later_one() {
    let verdict = run(1);
    assert!(verdict.passed(), "{:?}", verdict.violations);
    let lines: Vec<&str> = verdict.trace.iter().map(|event| event.what.as_str()).collect();
    let overtaken: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter_map(|(at, line)| {
            let (held, later) = line.split_once(" (held up) arrived after attempt ")?;
            let (notification, _) = held.split_once(" attempt ")?;
            let later = later.split(':').next()?;
            // The later attempt reached a receiver before the held one.
            let first = format!("{notification} attempt {later}: receiver-");
            lines[..at].iter().any(|earlier| earlier.starts_with(&first)).then_some(*line)
        })
        .collect();
    assert!(!overtaken.is_empty(), "no attempt arrived after a later one:\n{}", lines.join("\n"));
}

/// A shorter fixed list with the books on Postgres (a database per seed),
/// at `VEXORA_TEST_POSTGRES_URL` (see `scripts/postgres.sh`). Under
/// `CI=true` a missing URL fails: CI never skips Postgres.
#[test]
fn every_invariant_holds_for_the_ci_seeds_on_postgres() {
    let Ok(url) = std::env::var("VEXORA_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "VEXORA_TEST_POSTGRES_URL is not set under CI=true: run scripts/postgres.sh first"
        );
        eprintln!("NOT RUN on Postgres (set VEXORA_TEST_POSTGRES_URL)");
        return;
    };
    let books = Books::Postgres(url);
    let failed: Vec<String> = (1_000..1_040)
        .map(|seed| run_on(seed, &books))
        .filter(|verdict| !verdict.passed())
        .map(|verdict| format!("seed {}: {}", verdict.seed, verdict.violations.join("; ")))
        .collect();
    assert!(failed.is_empty(), "{} of 40 seeds broke an invariant on Postgres:\n{}", failed.len(), failed.join("\n"));
}
