//! The generic validator: an endpoint's `[[request]]` rules from `spec/`,
//! compiled once at start-up and applied to any received body.
//!
//! Written from the spec format (`spec/README.md`) alone, without the SDK's
//! derive, so a mistake in one is caught by the other.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

use regex::Regex;
use vexora_spec::{Condition, EndpointSpec, FieldSpec};

use crate::error::RuleError;
use crate::gateway::body::{Field, Fields, Kind};

/// The JSON value kinds a spec type accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WireType {
    /// `string`, `status`: a JSON string.
    String,
    /// `decimal`: a string or a number.
    Decimal,
    /// `integer`: a number or a string of digits.
    Integer,
    /// `boolean`.
    Boolean,
    /// `object`, `array`: never accepted in a request body of scalars.
    Nested,
}

impl WireType {
    fn parse(ty: &str) -> Option<Self> {
        Some(match ty {
            "string" | "status" => Self::String,
            "decimal" => Self::Decimal,
            "integer" => Self::Integer,
            "boolean" => Self::Boolean,
            "object" | "array" => Self::Nested,
            _ => return None,
        })
    }

    fn accepts(self, field: &Field) -> bool {
        match self {
            Self::String => field.kind == Kind::String,
            Self::Decimal => matches!(field.kind, Kind::String | Kind::Number),
            Self::Integer => {
                let digits = field.text.strip_prefix('-').unwrap_or(&field.text);
                field.kind != Kind::Boolean && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
            }
            Self::Boolean => field.kind == Kind::Boolean,
            Self::Nested => false,
        }
    }
}

/// A named `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Email,
    Ip,
    HttpUrl,
}

impl Format {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "email" => Self::Email,
            "ip" => Self::Ip,
            "http_url" => Self::HttpUrl,
            _ => return None,
        })
    }

    fn check(self, value: &str) -> Result<(), &'static str> {
        let ok = match self {
            Self::Email => is_email(value),
            Self::Ip => value.parse::<IpAddr>().is_ok(),
            Self::HttpUrl => is_http_url(value),
        };
        if ok {
            return Ok(());
        }
        Err(match self {
            Self::Email => "must be an email address",
            Self::Ip => "must be an IPv4 or IPv6 address",
            Self::HttpUrl => "must be an http:// or https:// URL",
        })
    }
}

/// `local@domain.tld`: one `@`, no spaces, a dotted domain of non-empty labels.
fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
}

/// `http://` or `https://`, a non-empty host, no whitespace.
fn is_http_url(value: &str) -> bool {
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &value[8..]
    } else if lower.starts_with("http://") {
        &value[7..]
    } else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    !host.is_empty() && !host.starts_with(':') && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// One field's compiled rules.
#[derive(Debug)]
struct CompiledField {
    name: String,
    required: bool,
    required_if: Option<Condition>,
    wire_type: WireType,
    min_length: Option<usize>,
    max_length: Option<usize>,
    digits: bool,
    /// The smallest amount: its text, and its value in hundred-millionths.
    min_amount: Option<(String, u128)>,
    /// The spec's text (for the message) and the whole-value regex.
    pattern: Option<(String, Regex)>,
    format: Option<Format>,
    one_of: Option<Vec<String>>,
    /// The custom rule's name, its pattern's text and regex.
    custom: Option<(String, String, Regex)>,
}

/// An endpoint's request rules, ready to judge bodies.
#[derive(Debug)]
pub(crate) struct RequestRules {
    endpoint: String,
    fields: Vec<CompiledField>,
}

impl RequestRules {
    /// Compiles the spec's `[[request]]` rules; unknown types, formats or
    /// bad patterns are start-up errors, never silently skipped.
    pub(crate) fn compile(spec: &EndpointSpec) -> Result<Self, RuleError> {
        let endpoint = format!("{}/{}", spec.endpoint.region, spec.endpoint.name);
        let fields = spec.request.iter().map(|field| compile_field(&endpoint, field)).collect::<Result<Vec<_>, _>>()?;
        Ok(Self { endpoint, fields })
    }

    /// Every violated rule, in spec order, then every unknown field, each
    /// message starting with the field's wire name.
    pub(crate) fn check(&self, body: &Fields) -> Vec<String> {
        let mut violations = Vec::new();
        for field in &self.fields {
            check_field(field, body, &mut violations);
        }
        for received in body.iter() {
            if !self.fields.iter().any(|field| field.name == received.name) {
                violations.push(format!("{}: unknown field (not in the spec of {})", received.name, self.endpoint));
            }
        }
        violations
    }
}

/// Patterns compiled so far in this process, by their text.
static COMPILED: Mutex<BTreeMap<String, Regex>> = Mutex::new(BTreeMap::new());
/// The most patterns [`COMPILED`] keeps: far more than the spec files and
/// the configured field patterns hold, so a process that starts sandboxes
/// on ever new patterns forgets the old ones rather than grow.
const MOST_PATTERNS_KEPT: usize = 1024;

/// `pattern` compiled to match a whole value: anchored again, so a pattern
/// written without `^…$` still means the whole value. Every sandbox of a
/// process compiles the same patterns, so each is compiled once.
fn whole_value(pattern: &str) -> Result<Regex, regex::Error> {
    let mut compiled = COMPILED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(regex) = compiled.get(pattern) {
        return Ok(regex.clone());
    }
    let regex = Regex::new(&format!("^(?:{pattern})$"))?;
    if compiled.len() >= MOST_PATTERNS_KEPT {
        compiled.clear();
    }
    compiled.insert(pattern.to_owned(), regex.clone());
    Ok(regex)
}

fn compile_field(endpoint: &str, spec: &FieldSpec) -> Result<CompiledField, RuleError> {
    let error = |message: String| RuleError { endpoint: endpoint.to_owned(), field: spec.name.clone(), message };
    let whole = |pattern: &str| whole_value(pattern).map_err(|e| error(format!("invalid pattern {pattern:?}: {e}")));
    let rules = &spec.rules;
    Ok(CompiledField {
        name: spec.name.clone(),
        required: spec.required,
        required_if: spec.required_if.clone(),
        wire_type: WireType::parse(&spec.ty).ok_or_else(|| error(format!("unknown type {:?}", spec.ty)))?,
        min_length: rules.min_length,
        max_length: rules.max_length,
        digits: rules.digits,
        min_amount: rules
            .min_amount
            .as_ref()
            .map(|min| {
                minor_units(min)
                    .map(|units| (min.clone(), units))
                    .ok_or_else(|| error(format!("min_amount {min:?} is not an amount")))
            })
            .transpose()?,
        pattern: rules.pattern.as_ref().map(|p| whole(p).map(|regex| (p.clone(), regex))).transpose()?,
        format: rules
            .format
            .as_deref()
            .map(|name| Format::parse(name).ok_or_else(|| error(format!("unknown format {name:?}"))))
            .transpose()?,
        one_of: rules.one_of.clone(),
        custom: rules
            .custom
            .as_ref()
            .map(|custom| whole(&custom.pattern).map(|regex| (custom.name.clone(), custom.pattern.clone(), regex)))
            .transpose()?,
    })
}

/// An amount `digits[.digits]` in hundred-millionths, exact (no float):
/// enough decimals for any currency the gateway documents.
fn minor_units(text: &str) -> Option<u128> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 8 || text.ends_with('.') {
        return None;
    }
    let fraction = format!("{fraction:0<8}");
    whole.parse::<u128>().ok()?.checked_mul(100_000_000)?.checked_add(fraction.parse().ok()?)
}

fn check_field(rules: &CompiledField, body: &Fields, violations: &mut Vec<String>) {
    let name = &rules.name;
    let Some(field) = body.present(name) else {
        if rules.required {
            violations.push(format!("{name}: is required"));
        } else if let Some(condition) = &rules.required_if {
            if body.text(&condition.field).is_some_and(|value| condition.holds_for(value)) {
                let values = condition.values().join(" or ");
                violations.push(format!("{name}: is required when {} is {values}", condition.field));
            }
        }
        return;
    };
    if !rules.wire_type.accepts(field) {
        let expected = match rules.wire_type {
            WireType::String => "a JSON string",
            WireType::Decimal => "a decimal (string or number)",
            WireType::Integer => "an integer",
            WireType::Boolean => "a boolean",
            WireType::Nested => "an object or array",
        };
        violations.push(format!("{name}: must be {expected}, not {}", field.kind.describe()));
        return;
    }
    let value = field.text.as_str();
    let length = value.chars().count();
    if let Some(min) = rules.min_length.filter(|min| length < *min) {
        violations.push(format!("{name}: must be at least {min} characters long (got {length})"));
    }
    if let Some(max) = rules.max_length.filter(|max| length > *max) {
        violations.push(format!("{name}: must be at most {max} characters long (got {length})"));
    }
    if rules.digits && !value.bytes().all(|b| b.is_ascii_digit()) {
        violations.push(format!("{name}: must contain only digits 0-9"));
    }
    if let Some((min, units)) = &rules.min_amount {
        if minor_units(value).is_none_or(|value| value < *units) {
            violations.push(format!("{name}: must be an amount of at least {min}"));
        }
    }
    if let Some((text, regex)) = &rules.pattern {
        if !regex.is_match(value) {
            violations.push(format!("{name}: must match the pattern {text}"));
        }
    }
    if let Some(format) = rules.format {
        if let Err(message) = format.check(value) {
            violations.push(format!("{name}: {message}"));
        }
    }
    if let Some(allowed) = &rules.one_of {
        if !allowed.iter().any(|candidate| candidate == value) {
            violations.push(format!("{name}: must be one of {}", allowed.join(", ")));
        }
    }
    if let Some((custom, text, regex)) = &rules.custom {
        if !regex.is_match(value) {
            violations.push(format!("{name}: must match the pattern {text} (custom rule {custom})"));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const SPEC: &str = r#"
        [endpoint]
        region = "test"
        name = "rules"
        method = "POST"
        path = "/v1/test"
        source = "unit test"
        description = "every rule once"
        kind = "balance"
        call = "read"
        request = "RulesRequest"

        [[request]]
        name = "code"
        required = true
        type = "string"
        rules = { min_length = 2, max_length = 4, digits = true }
        description = "d"

        [[request]]
        name = "mobile"
        required = false
        type = "string"
        rules = { pattern = "^0\\d{9}$" }
        description = "d"

        [[request]]
        name = "email"
        required = false
        type = "string"
        rules = { format = "email" }
        description = "d"

        [[request]]
        name = "ip"
        required = false
        type = "string"
        rules = { format = "ip" }
        description = "d"

        [[request]]
        name = "url"
        required = false
        type = "string"
        rules = { format = "http_url" }
        description = "d"

        [[request]]
        name = "channel"
        required = false
        type = "string"
        rules = { one_of = ["A", "B"] }
        description = "d"

        [[request]]
        name = "bank"
        required = false
        required_if = { field = "channel", equals = "B" }
        type = "string"
        rules = { custom = { name = "banks", pattern = "[0-9]{3}-[0-9]+" } }
        description = "d"

        [[request]]
        name = "id"
        required = false
        required_if = { field = "channel", one_of = ["A", "B"] }
        type = "string"
        description = "d"
    "#;

    fn rules() -> RequestRules {
        let spec = EndpointSpec::parse(SPEC, Path::new("test.toml")).expect("the test spec parses");
        RequestRules::compile(&spec).expect("the test spec compiles")
    }

    fn check(body: &str) -> Vec<String> {
        rules().check(&Fields::parse(body.as_bytes()).expect("a valid body"))
    }

    #[test]
    fn compiled_patterns_are_anchored_and_kept_within_their_bound() {
        let digits = whole_value("[0-9]+").expect("a pattern");
        assert!(digits.is_match("123") && !digits.is_match("12a") && !digits.is_match("a12"));
        for n in 0..=MOST_PATTERNS_KEPT {
            whole_value(&format!("x{{{n}}}")).expect("a pattern");
        }
        let kept = COMPILED.lock().unwrap_or_else(PoisonError::into_inner).len();
        assert!((1..=MOST_PATTERNS_KEPT).contains(&kept), "{kept} patterns kept");
        // What was forgotten is compiled again, the same.
        assert!(whole_value("[0-9]+").expect("a pattern").is_match("0"));
    }

    #[test]
    fn a_valid_body_passes() {
        let body = r#"{"code":"123","mobile":"0912345678","email":"a.b@example.com","ip":"::1",
            "url":"http://127.0.0.1:8080/notify","channel":"B","bank":"808-123","id":"A1"}"#;
        assert_eq!(check(body), Vec::<String>::new());
    }

    #[test]
    fn every_rule_names_the_field() {
        assert_eq!(check("{}"), ["code: is required"]);
        assert_eq!(check(r#"{"code":""}"#), ["code: is required"]);
        assert_eq!(check(r#"{"code":"1"}"#), ["code: must be at least 2 characters long (got 1)"]);
        assert_eq!(
            check(r#"{"code":"12a45"}"#),
            ["code: must be at most 4 characters long (got 5)", "code: must contain only digits 0-9"]
        );
        assert_eq!(check(r#"{"code":12}"#), ["code: must be a JSON string, not a number"]);
        assert_eq!(check(r#"{"code":"12","mobile":"912345678"}"#), ["mobile: must match the pattern ^0\\d{9}$"]);
        assert_eq!(check(r#"{"code":"12","email":"a@b"}"#), ["email: must be an email address"]);
        assert_eq!(check(r#"{"code":"12","ip":"1.2.3"}"#), ["ip: must be an IPv4 or IPv6 address"]);
        assert_eq!(check(r#"{"code":"12","url":"ftp://x"}"#), ["url: must be an http:// or https:// URL"]);
        assert_eq!(check(r#"{"code":"12","channel":"C"}"#), ["channel: must be one of A, B"]);
        assert_eq!(
            check(r#"{"code":"12","channel":"B"}"#),
            ["bank: is required when channel is B", "id: is required when channel is A or B"]
        );
        assert_eq!(check(r#"{"code":"12","channel":"A"}"#), ["id: is required when channel is A or B"]);
        assert_eq!(check(r#"{"code":"12","channel":"A","id":"A1"}"#), Vec::<String>::new());
        assert_eq!(
            check(r#"{"code":"12","bank":"8-1"}"#),
            ["bank: must match the pattern [0-9]{3}-[0-9]+ (custom rule banks)"]
        );
        assert_eq!(check(r#"{"code":"12","extra":"x"}"#), ["extra: unknown field (not in the spec of test/rules)"]);
    }

    #[test]
    fn formats() {
        for good in ["a@b.co", "first.last+tag@sub.example.org"] {
            assert!(is_email(good), "{good}");
        }
        for bad in ["", "a", "@b.co", "a@", "a@b", "a b@c.d", "a@b..c", "a@@b.c", "a@-b.c"] {
            assert!(!is_email(bad), "{bad}");
        }
        for good in ["http://a", "HTTPS://a.b/c?d#e", "http://user@host:80/", "http://[::1]:8080/x"] {
            assert!(is_http_url(good), "{good}");
        }
        for bad in ["", "http://", "http:///x", "https://:80", "ftp://a", "http://a b", "//a", "http:/a"] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }

    #[test]
    fn unusable_specs_are_start_up_errors() {
        for (rule, message) in [
            ("type = \"money\"", "unknown type \"money\""),
            ("type = \"string\"\nrules = { format = \"phone\" }", "unknown format \"phone\""),
            ("type = \"string\"\nrules = { pattern = \"(\" }", "invalid pattern"),
        ] {
            let text = format!(
                "[endpoint]\nregion = \"r\"\nname = \"n\"\nmethod = \"POST\"\npath = \"/p\"\nsource = \"s\"\n\
                 description = \"d\"\nkind = \"balance\"\ncall = \"read\"\nrequest = \"R\"\n\
                 [[request]]\nname = \"f\"\nrequired = true\n{rule}\ndescription = \"d\"\n"
            );
            let spec = EndpointSpec::parse(&text, Path::new("bad.toml")).expect("the spec parses");
            let error = RequestRules::compile(&spec).expect_err("refused");
            assert!(error.to_string().contains(message), "{error} should contain {message}");
        }
    }

    /// The sandbox's validator agrees with every sample of every spec file:
    /// each valid sample alone draws no violation on its field, each
    /// invalid one draws one (the SDK's derive is held to the same samples
    /// by the conformance tests).
    #[test]
    fn every_spec_sample_is_judged_as_the_spec_says() {
        let specs = vexora_spec::load_all(&vexora_spec::workspace_spec_dir()).expect("the specs load");
        let mut checked = 0;
        for spec in specs.values() {
            let rules = RequestRules::compile(spec).expect("the rules compile");
            for field in &spec.request {
                let Some(samples) = &field.samples else { continue };
                let refused = |sample: &str| {
                    let body = serde_json::json!({ field.name.as_str(): sample }).to_string();
                    let fields = Fields::parse(body.as_bytes()).expect("a JSON object");
                    rules.check(&fields).iter().any(|violation| violation.starts_with(&format!("{}:", field.name)))
                };
                for sample in &samples.valid {
                    assert!(!refused(sample), "{}: `{}` refuses the valid sample {sample:?}", spec.id(), field.name);
                    checked += 1;
                }
                for sample in &samples.invalid {
                    assert!(refused(sample), "{}: `{}` accepts the invalid sample {sample:?}", spec.id(), field.name);
                    checked += 1;
                }
            }
        }
        assert!(checked > 20, "only {checked} samples");
    }
}
