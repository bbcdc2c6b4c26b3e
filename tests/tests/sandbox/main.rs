//! The sandbox on its own, over raw HTTP (not the SDK's client): its
//! gateway API, its cashier page and notifications, its dashboard, its
//! fault switches, and the kinds it serves from their spec alone.
//!
//! One test binary for all of them, so the sandbox, axum and tokio are
//! compiled into a test once.

#[path = "../sandbox_support/mod.rs"]
mod sandbox_support;

mod open_kinds;
mod sandbox_api;
mod sandbox_cashier;
mod sandbox_dashboard;
mod sandbox_faults;
