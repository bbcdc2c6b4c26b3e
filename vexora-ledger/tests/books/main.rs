//! The ledger's tests of the merchant's books, in one binary: every
//! invariant on both databases, the webhook glue, the reconciler against
//! the sandbox, the books agreeing with the gateway's under faults, and the
//! webhook example's receivers. (The tests that kill and restart processes
//! are the `processes` binary.)
//!
//! Postgres tests each make a database named after the test (see
//! `common`), so test names are unique across these modules.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod attention_events;
mod books_agree;
mod invariants;
mod reconciler;
mod webhook;
mod webhook_sqlite;
