//! # vexora-simulation
//!
//! A seeded fault simulation of the whole payment lifecycle. One run is one
//! seed: from it alone come the merchant's work (checkouts in two regions,
//! paid in full, in part or not at all; payouts, some alike) and the faults
//! (the network refusing, losing answers after the gateway acted,
//! stalling, proxies' pages; the gateway slow to show what it made, losing,
//! repeating and delaying notifications; receivers down; the merchant's
//! process killed at failpoints). The SDK, the ledger and the sandbox run
//! in one process on one simulated clock; two receivers and two
//! reconcilers share one database. At the end of every run the books'
//! invariants are checked ([`invariants`]).
//!
//! Faults are decided by what they hit (the record and the attempt), never
//! by arrival order, so a seed replays: `cargo run -p vexora-simulation --
//! replay SEED` prints its trace.

pub mod clock;
pub mod decide;
pub mod gateway;
pub mod invariants;
pub mod merchant;
pub mod network;
pub mod plan;
pub mod receivers;
pub mod run;
pub mod shop;
pub mod trace;

pub use run::{Books, Verdict, run, run_on};

/// The merchant the simulation plays: the sandbox's test merchant.
pub const MERCHANT_NO: &str = vexora_sandbox::TEST_MERCHANT_NO;
/// Its app secret.
pub const MERCHANT_SECRET: &str = vexora_sandbox::TEST_MERCHANT_SECRET;
