//! The states of the builders `#[derive(Signable)]` gives every endpoint
//! struct.
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

/// A required field that has not been given yet.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unset;

/// A required field that has been given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Set;
