//! The merchant's own check for one request field, in place of the pattern
//! the provider's documents give: for values the gateway accepts beyond its
//! documents, which only the merchant's contract with Vexora can say (a
//! Taiwan bank code of another length, say).

use std::fmt;

use super::report::{ValidationErrors, Violation};
use super::validate::Validate;
use crate::wire::{FieldVisitor, Signable};

/// The code of a violation of a [`FieldRule`].
pub const CONFIGURED: &str = "configured";

/// One field's check, set with
/// [`ConfigBuilder::field_rule`](crate::config::ConfigBuilder::field_rule).
#[derive(Clone, Copy)]
pub struct FieldRule {
    pub(crate) spec: &'static str,
    pub(crate) field: &'static str,
    pub(crate) expected: &'static str,
    pub(crate) accepts: fn(&str) -> bool,
}

impl fmt::Debug for FieldRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FieldRule")
            .field("spec", &self.spec)
            .field("field", &self.field)
            .field("expected", &self.expected)
            .finish_non_exhaustive()
    }
}

impl FieldRule {
    /// Why the rule cannot apply, if it cannot: it must name a field of an
    /// endpoint of this SDK whose documented rules include a pattern.
    pub(crate) fn problem(&self) -> Option<&'static str> {
        let Some(fields) = crate::spec_index::request_fields(self.spec) else {
            return Some("names no endpoint of this SDK (write \"<region>/<name>\", e.g. \"taiwan/payout\")");
        };
        let Some(&(_, has_pattern)) = fields.iter().find(|(name, _)| *name == self.field) else {
            return Some("names no request field of that endpoint (write its wire name, e.g. \"bankCode\")");
        };
        (!has_pattern).then_some("names a field without a documented pattern to replace")
    }
}

/// `request.validate()`, with each rule's check in place of the documented
/// pattern of its field. Without rules for the endpoint it is exactly
/// `validate()`.
pub(crate) fn validate_with<E: Validate + Signable>(
    request: &E,
    spec: &str,
    rules: &[FieldRule],
) -> Result<(), ValidationErrors> {
    let mut own = rules.iter().filter(|rule| rule.spec == spec).peekable();
    if own.peek().is_none() {
        return request.validate();
    }
    let own: Vec<&FieldRule> = own.collect();
    let mut violations = request.validate().err().map(|errors| errors.violations().to_vec()).unwrap_or_default();
    violations
        .retain(|violation| !(violation.code == "pattern" && own.iter().any(|rule| rule.field == violation.field)));
    let mut texts = FieldTexts { wanted: &own, refused: Vec::new() };
    request.visit_wire_fields("", &mut texts);
    violations.extend(texts.refused);
    if violations.is_empty() {
        return Ok(());
    }
    // Field order, as `validate` reports.
    let position = |name: &str| E::FIELDS.iter().position(|field| field.name == name).unwrap_or(usize::MAX);
    violations.sort_by_key(|violation| position(&violation.field));
    Err(ValidationErrors::from_violations(violations))
}

/// Runs the rules on the present values of their fields.
struct FieldTexts<'r> {
    wanted: &'r [&'r FieldRule],
    refused: Vec<Violation>,
}

impl FieldVisitor for FieldTexts<'_> {
    fn visit(&mut self, name: &str, text: &str) {
        if text.is_empty() {
            return;
        }
        for rule in self.wanted.iter().filter(|rule| rule.field == name) {
            if !(rule.accepts)(text) {
                let message = format!("must be {}, as configured for this merchant", rule.expected);
                self.refused.push(Violation::new(name, CONFIGURED, message).with_param("expected", rule.expected));
            }
        }
    }
}
