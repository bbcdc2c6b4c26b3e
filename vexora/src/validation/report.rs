//! Collecting violations: what `#[derive(Validate)]` calls for each field.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value, json};
use vexora_spec::decimal;

use super::formats;
use super::spec::{FieldSpec, Format, Invalid, Presence, Rule};
use crate::wire::WireValue;

/// One broken rule of one field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// The field's wire name, e.g. `"ipAddress"`.
    pub field: String,
    /// Machine code of the rule, e.g. `"max_length"`, `"required_if"`.
    pub code: String,
    /// What is wrong, for a person.
    pub message: String,
    /// The rule's parameters, e.g. `{"max": 32}`.
    pub params: Map<String, Value>,
}

impl Violation {
    /// A violation with no parameters.
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), code: code.into(), message: message.into(), params: Map::new() }
    }

    /// Adds a parameter.
    pub fn with_param(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.params.insert(name.to_owned(), value.into());
        self
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.field, self.message, self.code)
    }
}

/// Every violation of a request, in field order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ValidationErrors {
    violations: Vec<Violation>,
}

impl ValidationErrors {
    /// Wraps violations found elsewhere (e.g. while reading input).
    pub fn from_violations(violations: Vec<Violation>) -> Self {
        Self { violations }
    }

    /// The violations, in field order.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Whether `field` (wire name) broke the rule `code`.
    pub fn has(&self, field: &str, code: &str) -> bool {
        self.violations.iter().any(|v| v.field == field && v.code == code)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} invalid field(s)", self.violations.len())?;
        for violation in &self.violations {
            write!(f, "; {violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl IntoIterator for ValidationErrors {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.violations.into_iter()
    }
}

/// Runs the rules of each field and gathers the violations.
///
/// Allocation-free while every rule holds.
#[derive(Debug, Default)]
pub struct Report {
    violations: Vec<Violation>,
}

impl Report {
    /// An empty report.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks one field.
    ///
    /// `condition_holds` is whether a `RequiredIf` condition is met (the
    /// derive evaluates it on the sibling field); it is ignored otherwise.
    // `always`: inlined into the derive's `validate`, `spec` is a constant,
    // so the loop over its rules and the match on each rule fold away and
    // only the checks themselves remain.
    #[inline(always)]
    pub fn check<T: WireValue + ?Sized>(&mut self, spec: &'static FieldSpec, value: &T, condition_holds: bool) {
        let checked = value.with_wire_text(|text| {
            for rule in spec.all_rules() {
                if let Some(violation) = check_rule(spec.name, rule, text) {
                    self.violations.push(violation);
                }
            }
        });
        if checked.is_some() {
            return;
        }
        let missing = match spec.presence {
            Presence::Required => true,
            Presence::RequiredIf { .. } => condition_holds,
            Presence::Optional => false,
        };
        if missing {
            self.violations.push(missing_violation(spec, T::WHEN_ABSENT));
        }
    }

    /// `Ok` if nothing was violated, else every violation in order.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.violations.is_empty() { Ok(()) } else { Err(ValidationErrors { violations: self.violations }) }
    }
}

/// The violation of `rule` by `text`, if any. The checks are inline and the
/// violations are built out of line: valid input, the common case, runs
/// through a few compares per rule.
#[inline(always)]
fn check_rule(field: &'static str, rule: &Rule, text: &str) -> Option<Violation> {
    let holds = match *rule {
        // Characters, not bytes; ASCII text (most values) needs no count.
        Rule::MinLength(min) => text.len() >= min && (text.is_ascii() || text.chars().count() >= min),
        // No more bytes than `max` means no more characters either.
        Rule::MaxLength(max) => text.len() <= max || text.chars().count() <= max,
        Rule::Digits => text.bytes().all(|b| b.is_ascii_digit()),
        Rule::MinAmount(min) => decimal::compare(text, min).is_some_and(|order| order.is_ge()),
        Rule::Pattern(pattern) => pattern.is_match(text),
        Rule::Format(format) => formats::holds(format, text),
        Rule::OneOf(allowed) => allowed.contains(&text),
        Rule::Custom(custom) => {
            return (custom.check)(text).err().map(|invalid| custom_violation(field, custom.name, invalid));
        }
    };
    if holds { None } else { Some(violation(field, rule)) }
}

/// What a field that must be present but is not reports.
#[cold]
#[inline(never)]
fn missing_violation(spec: &'static FieldSpec, when_absent: &'static str) -> Violation {
    match spec.presence {
        Presence::RequiredIf { field, values: [value] } => {
            Violation::new(spec.name, "required_if", format!("is required when {field} is {value}"))
                .with_param("field", field)
                .with_param("value", *value)
        }
        Presence::RequiredIf { field, values } => {
            Violation::new(spec.name, "required_if", format!("is required when {field} is {}", values.join(" or ")))
                .with_param("field", field)
                .with_param("values", values.to_vec())
        }
        Presence::Required | Presence::Optional => Violation::new(spec.name, "required", when_absent),
    }
}

/// What a broken built-in `rule` reports.
#[cold]
#[inline(never)]
fn violation(field: &'static str, rule: &Rule) -> Violation {
    match *rule {
        Rule::MinLength(min) => {
            Violation::new(field, "min_length", format!("must be at least {min} characters")).with_param("min", min)
        }
        Rule::MaxLength(max) => {
            Violation::new(field, "max_length", format!("must be at most {max} characters")).with_param("max", max)
        }
        Rule::Digits => Violation::new(field, "digits", "must contain only the digits 0-9"),
        Rule::MinAmount(min) => {
            Violation::new(field, "min_amount", format!("must be an amount of at least {min}")).with_param("min", min)
        }
        Rule::Pattern(pattern) => {
            Violation::new(field, "pattern", format!("must match the pattern {}", pattern.source))
                .with_param("pattern", pattern.source)
        }
        Rule::Format(format) => {
            let message = match format {
                Format::Email => "must be an email address",
                Format::Ip => "must be an IPv4 or IPv6 address",
                Format::HttpUrl => "must be an absolute http:// or https:// URL",
            };
            Violation::new(field, format.code(), message)
        }
        Rule::OneOf(allowed) => Violation::new(field, "one_of", format!("must be one of {}", allowed.join(", ")))
            .with_param("allowed", json!(allowed)),
        // Not reached: `check_rule` reports a custom rule with its own words.
        Rule::Custom(custom) => Violation::new(field, custom.name, "is invalid").with_param("rule", custom.name),
    }
}

/// What a broken custom rule reports: its own code and message.
#[cold]
#[inline(never)]
fn custom_violation(field: &'static str, rule: &'static str, invalid: Invalid) -> Violation {
    Violation::new(field, invalid.code, invalid.message).with_param("rule", rule)
}
