//! Validation of requests before anything is sent.
//!
//! `#[derive(Validate)]` turns `#[vexora(...)]` field attributes into a static
//! table of every field's presence and rules and a [`Validate::validate`]
//! that runs it. The same attributes are checked against the endpoint's spec
//! file while the struct compiles, so what is enforced is what is documented.
//! A `custom = path` rule is a function `fn(&str) -> Result<(), Invalid>`.
//!
//! Validation reports **every** violation at once, in field order, keyed by
//! wire name, each with a machine code, a message and its parameters.

mod field_rule;
mod formats;
pub(crate) mod report;
pub(crate) mod spec;
mod validate;

pub(crate) use field_rule::validate_with;
pub use field_rule::{CONFIGURED, FieldRule};
pub(crate) use formats::holds as format_holds;
pub use report::{ValidationErrors, Violation};
pub(crate) use spec::Format;
pub use spec::Invalid;
pub use validate::Validate;
