//! A local stand-in for the Vexora payment gateway, for testing merchants'
//! integrations and the SDK offline.
//!
//! The sandbox loads the endpoint descriptions of `spec/` at start-up and
//! serves each at `POST /<region><path>`. Every request is judged on its own,
//! by a generic validator written from the spec format (not by the SDK's
//! derive, so a bug in one is caught by the other): known `merchantNo`
//! header, JSON object of scalar values, signature (with the SDK's shared
//! primitive `vexora::signing`), `timestamp` within ±5 minutes, every field
//! rule, no unknown field; then duplicate `tradeNo`s and the payer-IP limits.
//! Refusals are the gateway's envelope with a **sandbox code** (9xxx; the
//! real table is not public) and a message naming the problem.
//!
//! A checkout's `paymentUrl` opens a cashier page where the payer pays in
//! full, pays part or fails; the sandbox then sends the signed notification
//! to `notifyUrl`, retried on the documented ladder until it gets `OK`.
//! Tests script the same outcomes at `/sandbox/orders/{tradeNo}/{action}`,
//! inject faults at `/sandbox/faults`, and read `/sandbox/deliveries` and
//! `/sandbox/stats`. The crate's README lists every route and code.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), vexora_sandbox::SandboxError> {
//! use vexora_sandbox::{Sandbox, SandboxConfig, TEST_MERCHANT_NO};
//!
//! let sandbox = Sandbox::start(SandboxConfig::default().time_scale(0.001)).await?;
//! println!("merchant {TEST_MERCHANT_NO}, base URL {}", sandbox.base_url("taiwan"));
//! assert!(sandbox.routes().contains(&"/taiwan/v1/vexora/checkout".to_owned()));
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod api;
mod app;
mod body;
mod cashier;
mod clock;
mod config;
mod control;
mod envelope;
mod error;
mod faults;
mod notify;
mod server;
mod signature;
mod spec_rules;
mod specs;
mod state;

pub use app::SandboxStats;
pub use config::{SandboxConfig, TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};
pub use envelope::SandboxCode;
pub use error::SandboxError;
pub use faults::Fault;
pub use notify::{DeliveryOutcome, DeliveryRecord, RETRY_LADDER};
pub use server::{RunningSandbox, Sandbox, SandboxHandle, VERSION_HEADER};
pub use spec_rules::RuleError;
pub use specs::SpecSource;
