//! The static description of a validated field, as the derive emits it.

use std::fmt;

use vexora_spec::pattern::Pattern;

/// One field of a request: its wire name, when it must be present, and the
/// rules its text must follow when it is.
///
/// Emitted by `#[derive(Validate)]`; the fields are public so the derive can
/// build it in a `const` and tests can compare it with `spec/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The name on the wire (after `rename`/`rename_all`).
    pub name: &'static str,
    /// The Rust field name.
    pub rust_name: &'static str,
    /// When the field must be present.
    pub presence: Presence,
    /// Rules for the field's text when it is present, in attribute order.
    pub rules: &'static [Rule],
    /// The rules of the field's type (`WireValue::TYPE_RULES`), checked
    /// after `rules`.
    pub type_rules: &'static [Rule],
}

impl FieldSpec {
    /// Every rule the field's text must follow: its own, then its type's.
    pub fn all_rules(&self) -> impl Iterator<Item = &'static Rule> + use<> {
        self.rules.iter().chain(self.type_rules)
    }
}

/// When a field must be present (non-empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always.
    Required,
    /// Never; the rules apply only when it is present.
    Optional,
    /// When the field `field` (wire name) has one of the wire texts `values`.
    RequiredIf {
        /// Wire name of the field the condition reads.
        field: &'static str,
        /// The values any of which makes this field required.
        values: &'static [&'static str],
    },
}

/// A rule for a present field's wire text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// At least this many characters (Unicode scalar values).
    MinLength(usize),
    /// At most this many characters (Unicode scalar values).
    MaxLength(usize),
    /// ASCII digits only.
    Digits,
    /// A decimal amount of at least this value (`"100"`).
    MinAmount(&'static str),
    /// The whole text matches the pattern.
    Pattern(&'static Pattern),
    /// A named format.
    Format(Format),
    /// One of these exact values.
    OneOf(&'static [&'static str]),
    /// A function of the crate that defines the request.
    Custom(CustomRule),
}

/// A rule as a spec file names it, for comparing rules in `const` code
/// (the derive checks that a field's type supplies exactly the rules its
/// spec asks for beyond the field's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKey {
    /// `min_length`.
    MinLength(usize),
    /// `max_length`.
    MaxLength(usize),
    /// `digits`.
    Digits,
    /// `min_amount`.
    MinAmount(&'static str),
    /// `pattern`, by its source.
    Pattern(&'static str),
    /// `format`.
    Format(Format),
    /// `one_of`.
    OneOf(&'static [&'static str]),
    /// `custom`, by the function's name.
    Custom(&'static str),
}

impl RuleKey {
    /// Whether `rule` is the rule this key names.
    pub const fn names(&self, rule: &Rule) -> bool {
        match (self, rule) {
            (Self::MinLength(a), Rule::MinLength(b)) | (Self::MaxLength(a), Rule::MaxLength(b)) => *a == *b,
            (Self::Digits, Rule::Digits) => true,
            (Self::MinAmount(a), Rule::MinAmount(b)) => crate::const_text::same_text(a, b),
            (Self::Pattern(source), Rule::Pattern(pattern)) => crate::const_text::same_text(source, pattern.source),
            (Self::Format(a), Rule::Format(b)) => *a as u8 == *b as u8,
            (Self::OneOf(a), Rule::OneOf(b)) => {
                if a.len() != b.len() {
                    return false;
                }
                let mut i = 0;
                while i < a.len() {
                    if !crate::const_text::same_text(a[i], b[i]) {
                        return false;
                    }
                    i += 1;
                }
                true
            }
            (Self::Custom(name), Rule::Custom(custom)) => crate::const_text::same_text(name, custom.name),
            _ => false,
        }
    }

    /// Whether `rules` are exactly the rules `keys` name, in any order.
    pub const fn same_set(keys: &[RuleKey], rules: &[Rule]) -> bool {
        if keys.len() != rules.len() {
            return false;
        }
        let mut i = 0;
        while i < keys.len() {
            let mut found = false;
            let mut j = 0;
            while j < rules.len() {
                found = found || keys[i].names(&rules[j]);
                j += 1;
            }
            if !found {
                return false;
            }
            i += 1;
        }
        true
    }
}

/// A named format a field's text must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An email address: one `@`, a local part and a dotted domain, no spaces.
    Email,
    /// An IPv4 or IPv6 address.
    Ip,
    /// An absolute `http://` or `https://` URL with a host.
    HttpUrl,
}

impl Format {
    /// The machine code reported when the format does not hold.
    pub const fn code(self) -> &'static str {
        match self {
            Format::Email => "email",
            Format::Ip => "ip",
            Format::HttpUrl => "url",
        }
    }
}

/// A `custom = path::to::fn` rule: the function and the path it was named by.
#[derive(Clone, Copy)]
pub struct CustomRule {
    /// The path as written in the attribute, for messages and conformance.
    pub name: &'static str,
    /// The check.
    pub check: fn(&str) -> Result<(), Invalid>,
}

impl PartialEq for CustomRule {
    // Function pointers have no reliable identity across codegen units;
    // the path that names the function is the identity that matters.
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for CustomRule {}

impl fmt::Debug for CustomRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Custom({})", self.name)
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::MinLength(n) => write!(f, "MinLength({n})"),
            Rule::MaxLength(n) => write!(f, "MaxLength({n})"),
            Rule::Digits => f.write_str("Digits"),
            Rule::MinAmount(min) => write!(f, "MinAmount({min})"),
            Rule::Pattern(pattern) => write!(f, "Pattern({:?})", pattern.source),
            Rule::Format(format) => write!(f, "Format({format:?})"),
            Rule::OneOf(values) => write!(f, "OneOf({values:?})"),
            Rule::Custom(custom) => custom.fmt(f),
        }
    }
}

/// What a custom rule returns when the text breaks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// Machine code, e.g. `"bank_number"`.
    pub code: &'static str,
    /// What is wrong and what to do instead, for a person.
    pub message: String,
}

impl Invalid {
    /// A failure with a machine code and a message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}
