//! The states of the builders `#[derive(Signable)]` gives every endpoint
//! struct, and how a request is built.
//!
//! Every request has a `builder()`: a setter per field and a `build` that
//! compiles only once each required field is set. Forgetting one is a
//! compile error naming it:
//!
//! ```compile_fail
//! use vexora::taiwan::PayoutRequest;
//!
//! // error: the required field `amount` is not set
//! let payout = PayoutRequest::builder().trade_no("PO-1").build();
//! ```
//!
//! Fields required only under a condition (a `postcode` for store
//! payments) and every rule are checked when the request is validated,
//! which the client does before anything is sent.
//!
//! # Request structs are `#[non_exhaustive]`
//!
//! The gateway adds optional fields to its endpoints over time, and the
//! SDK adds them to the structs. So that doing so is not a breaking change,
//! every request struct is `#[non_exhaustive]` (the derive refuses one that
//! is not): outside this crate a request cannot be written as a struct
//! literal, nor as `Request { field, ..other }`. Its fields stay public, to
//! read and to assign:
//!
//! ```
//! use vexora::taiwan::PayoutRequest;
//! use vexora::types::TradeNo;
//!
//! let payout = PayoutRequest::builder()
//!     .trade_no("PO-1")
//!     .amount(100)
//!     .bank_code("004")
//!     .bank_number("3560123456789012")
//!     .mobile("0912345678")
//!     .email("payee@example.com")
//!     .name("Lin Mei")
//!     .notify_url("https://merchant.example/vexora/notify")
//!     .build();
//! // The same payout under another number: a copy, with the field assigned.
//! let mut again = payout.clone();
//! again.trade_no = TradeNo::new("PO-2");
//! ```
//!
//! ```compile_fail,E0639
//! use vexora::taiwan::PayInQueryRequest;
//! use vexora::types::TradeNo;
//!
//! // error: cannot create non-exhaustive struct using struct expression
//! let query = PayInQueryRequest { trade_no: TradeNo::new("T1") };
//! ```
//!
//! # `Default`
//!
//! Request structs keep `Default`, which gives an empty request: every
//! field empty or absent. It is there for two reasons:
//!
//! - Requests read from JSON (`vexora call <endpoint> --json`, or a service
//!   of yours that takes orders as JSON) use `#[serde(default)]`, which
//!   needs it: a field missing from the input is then reported by
//!   validation as `required`, by its wire name, with every other
//!   violation, instead of failing the whole parse at the first one.
//! - Code that fills a request field by field, from a form or a database
//!   row, starts from `default()` and assigns what it has.
//!
//! An empty request cannot reach the gateway: the client validates every
//! request before sending it, and each required field left empty is refused
//! by name ([`Error::Invalid`](crate::Error::Invalid)). A request built in
//! code should still come from `builder()`, so that a forgotten field, or a
//! field the gateway makes required later, is a compile error rather than a
//! refusal at run time.

/// A required field that has not been given yet.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unset;

/// A required field that has been given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Set;
