//! vexora: the Rust SDK for the Vexora payment gateway.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// Lets the derive's absolute `::vexora::...` paths resolve inside this crate too.
extern crate self as vexora;

pub mod endpoint;
pub mod signing;
pub mod validation;
pub mod wire;

pub use endpoint::Endpoint;
pub use validation::Validate;
pub use wire::Signable;
pub use vexora_derive::{Signable, Validate};
