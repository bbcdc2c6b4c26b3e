//! What only the whole process shows: its memory (the load run, the sandbox
//! against hostile clients), its thread count (reads waiting to retry) and
//! what a tracing subscriber sees. A test that measures or captures holds
//! [`PROCESS`] alone, so no other test of this binary runs beside it; the
//! others share it.

#[macro_use]
#[path = "../backends/mod.rs"]
mod backends;
#[path = "../sandbox_support/mod.rs"]
mod sandbox_support;

mod load;
mod retry_waits;
mod sandbox_hostile;
mod tracing;

/// Held alone (`write`) by a test that measures the process or captures
/// its events, shared (`read`) by the others.
static PROCESS: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());
