//! Replays every committed fuzz input through the checks the fuzz targets
//! run, so CI keeps what the fuzzers established without a fuzzer.
//!
//! The checks are `fuzz/src/`, compiled here as a module: the same code,
//! not a copy. Inputs are `fuzz/seeds/<target>/` (hand-written, readable)
//! and `fuzz/corpus/<target>/` (minimised by `cargo fuzz cmin`); see
//! FUZZING.md.
//! The fuzzers' own corpora (`fuzz/corpus/<target>/`) are not committed
//! yet: one `derive_validation` input still fails its check and is being
//! investigated (FUZZING.md, "Status"); add `"corpus"` below once minimised.

use std::path::{Path, PathBuf};

#[path = "../../../fuzz/src/lib.rs"]
mod fuzz_checks;

/// The fuzz crate's folder.
fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// Every file of `fuzz/<kind>/<target>/`, sorted; fails if there is none,
/// so a lost corpus cannot pass as an empty one.
fn inputs(kind: &str, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = fuzz_dir().join(kind).join(target);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap_or_else(|error| panic!("{}: {error}", dir.display())).path())
        .filter(|path| path.is_file())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "{} has no inputs", dir.display());
    paths
        .into_iter()
        .filter_map(|path| match std::fs::read(&path) {
            Ok(bytes) => Some((path, bytes)),
            // Gone since the listing: a fuzzer running on this checkout
            // replaced it with a smaller input (never the case in CI).
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => panic!("{}: {error}", path.display()),
        })
        .collect()
}

/// Runs `check` on every seed and corpus input of `target`, naming the
/// input that fails. `check` returns whether an input reached the target's
/// deepest properties; at least one seed must, or the replay would only
/// ever exercise refusals.
fn replay(target: &str, check: fn(&[u8]) -> bool) {
    let (mut count, mut deep) = (0, 0);
    for kind in ["seeds", "corpus"] {
        for (path, bytes) in inputs(kind, target) {
            match std::panic::catch_unwind(|| check(&bytes)) {
                Ok(reached) => deep += usize::from(reached),
                Err(panic) => {
                    let message = panic
                        .downcast_ref::<String>()
                        .map(String::as_str)
                        .or_else(|| panic.downcast_ref::<&str>().copied())
                        .unwrap_or("(see the panic above)");
                    panic!("{target}: {} fails: {message}", path.display());
                }
            }
            count += 1;
        }
        if kind == "seeds" {
            assert!(deep > 0, "{target}: no seed reaches the deepest checks");
        }
    }
    eprintln!("{target}: {count} inputs replayed, {deep} reached the deepest checks");
}

/// `response_decode`: at least one input decodes into typed data.
#[test]
fn response_decode_corpus() {
    replay("response_decode", fuzz_checks::response_decode::check);
}

/// `notification_verify`: at least one input is verified.
#[test]
fn notification_verify_corpus() {
    replay("notification_verify", fuzz_checks::notification_verify::check);
}

/// `sandbox_request`: at least one input is an accepted checkout.
#[test]
fn sandbox_request_corpus() {
    replay("sandbox_request", fuzz_checks::sandbox_request::check);
}

/// `derive_validation`: at least one input is a valid request.
#[test]
fn derive_validation_corpus() {
    replay("derive_validation", fuzz_checks::derive_validation::check);
}
