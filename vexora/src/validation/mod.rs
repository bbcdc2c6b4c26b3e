//! Validation of requests before anything is sent.
//!
//! `#[derive(Validate)]` turns `#[vexora(...)]` field attributes into a static
//! table of [`FieldSpec`]s ([`Validate::FIELDS`]) and a `validate` method that
//! runs every rule of that table through [`Report`]. The table is both what is
//! enforced and what the spec conformance tests compare with `spec/`, so the
//! documentation of a field can never drift from its checks.
//!
//! Validation reports **every** violation at once, in field order, keyed by
//! wire name, each with a machine code, a message and its parameters.

mod formats;
mod pattern;
mod report;
mod spec;

pub use pattern::{CharClass, Pattern, PatternItem};
pub use report::{Report, ValidationErrors, Violation};
pub use spec::{CustomRule, FieldSpec, Format, Invalid, Presence, Rule};

/// A request that can check itself before it is sent.
pub trait Validate {
    /// Every validated field, in declaration order.
    const FIELDS: &'static [FieldSpec];

    /// Checks every rule of every field and reports all violations at once.
    fn validate(&self) -> Result<(), ValidationErrors>;
}

/// Whether `text` has the named format (the check `Rule::Format` runs).
pub fn format_holds(format: Format, text: &str) -> bool {
    formats::holds(format, text)
}
