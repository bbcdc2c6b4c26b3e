//! The trait every request implements through `#[derive(Validate)]`.

use super::report::ValidationErrors;
use super::spec::FieldSpec;

/// A request that can check itself before it is sent.
pub trait Validate {
    /// Every validated field, in declaration order (the derive's table;
    /// its types are not part of the API).
    #[doc(hidden)]
    const FIELDS: &'static [FieldSpec];

    /// Checks every rule of every field and reports all violations at once.
    fn validate(&self) -> Result<(), ValidationErrors>;
}
