//! The SDK: its wire format, signing, validation, notifications, transports
//! and retries, offline on recorded exchanges and end to end against the
//! sandbox or a gateway that misbehaves.
//!
//! One test binary for all of them, so the SDK, the sandbox, axum and tokio
//! are compiled into a test once. insta names a snapshot by its module
//! path: `snapshots/sdk__<module>__<name>.snap`.

#[macro_use]
#[path = "../backends/mod.rs"]
mod backends;
#[path = "../sandbox_support/mod.rs"]
mod sandbox_support;
mod scripted_gateway;

mod checkout_validation;
mod connection_reuse;
mod coverage_table;
mod decimal_amounts;
mod derive_behaviour;
mod e2e_sdk;
mod every_endpoint;
mod faults;
mod field_rules;
mod fuzz_corpus_replay;
mod hostile_gateway;
mod kyc;
mod notification_strict;
mod notification_tamper;
mod notification_typed;
mod notification_vectors;
mod open_kinds;
mod payment_steps;
mod payouts;
mod query_and_balance;
mod secret_hygiene;
mod sign_vectors;
mod signing_properties;
mod spec_conformance;
mod surf_transport;
mod webhook_axum;
mod wire_format;
