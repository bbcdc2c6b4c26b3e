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

pub(crate) use field_rule::validate_with;
pub use field_rule::{FieldRule, CONFIGURED};
pub use report::{ValidationErrors, Violation};
pub use spec::Invalid;
pub(crate) use spec::{FieldSpec, Format};

/// A request that can check itself before it is sent.
pub trait Validate {
    /// Every validated field, in declaration order (the derive's table;
    /// its types are not part of the API).
    #[doc(hidden)]
    const FIELDS: &'static [FieldSpec];

    /// Checks every rule of every field and reports all violations at once.
    fn validate(&self) -> Result<(), ValidationErrors>;
}

/// Whether `text` has the named format (the check `Rule::Format` runs).
#[doc(hidden)]
pub fn format_holds(format: Format, text: &str) -> bool {
    formats::holds(format, text)
}
