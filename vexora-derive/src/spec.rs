//! The endpoint's spec file, named by `#[vexora(spec = "region/name")]`:
//! read while the struct compiles and compared with it field by field, so a
//! struct and its spec cannot drift apart without a compile error at the
//! field that differs. The path and call kind come from the spec alone.

use std::path::{Path, PathBuf};

use proc_macro2::Span;
use syn::{parse_quote, Error, Ident, LitStr};
use vexora_spec::{CallKind, EndpointKind, EndpointSpec, FieldSpec, Rules, SpecError};

use crate::check::{Field, Format, Presence, Reconcile, Rule, TypeRules};
use crate::errors::Errors;

/// A spec file that was read and found usable.
pub(crate) struct Loaded {
    /// The spec.
    pub(crate) spec: EndpointSpec,
    /// Its absolute path, so the expansion can depend on the file.
    pub(crate) file: PathBuf,
}

impl Loaded {
    /// Whether the spec's call only reads.
    pub(crate) fn reads_only(&self) -> bool {
        self.spec.endpoint.call == CallKind::Read
    }
}

/// Where spec files are: `spec/` in the package being compiled.
pub(crate) fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    Path::new(&manifest_dir).join("spec")
}

/// Reads `<root>/<region>/<name>.toml` and checks it on its own; every
/// problem is an error at the `spec = "..."` literal.
pub(crate) fn load(id: &LitStr, root: &Path) -> Result<Loaded, Error> {
    let value = id.value();
    let well_formed = value.split('/').count() == 2 && !value.contains("..") && !value.starts_with('/');
    if !well_formed || value.split('/').any(str::is_empty) {
        return Err(Error::new_spanned(id, "name the spec as \"<region>/<name>\", e.g. \"taiwan/checkout\""));
    }
    let file = root.join(format!("{value}.toml"));
    let spec = EndpointSpec::load(&file).map_err(|error| {
        let reason = match error {
            SpecError::Read { source, .. } => format!("cannot be read ({source})"),
            SpecError::Parse { message, .. } => format!("is not a valid spec file: {message}"),
        };
        let message = format!("spec/{value}.toml {reason}; an endpoint struct is described by its spec file");
        Error::new_spanned(id, message)
    })?;
    if spec.id() != value {
        let message =
            format!("spec/{value}.toml says it is {}; the file's place and its contents must agree", spec.id());
        return Err(Error::new_spanned(id, message));
    }
    let problems = spec.problems();
    if !problems.is_empty() {
        return Err(Error::new_spanned(id, format!("spec/{value}.toml: {}", problems.join("; "))));
    }
    let file = file.canonicalize().unwrap_or(file);
    Ok(Loaded { spec, file })
}

/// Compares the struct with its spec: its name, and each field's wire
/// name, presence and rules. A spec rule the field's attributes do not
/// give must come from the field's type (`WireValue::TYPE_RULES`): that is
/// left in the field for a `const` check, since only the compiler knows the
/// type's rules. Errors point at the field (or at the `spec` literal for a
/// spec field the struct lacks).
pub(crate) fn compare(loaded: &Loaded, id: &LitStr, ident: &Ident, fields: &mut [Field<'_>], errors: &mut Errors) {
    let spec = &loaded.spec;
    let file = format!("spec/{}.toml", spec.id());
    if *ident != spec.endpoint.request {
        let message = format!("{file} names its request struct `{}`; rename one of them", spec.endpoint.request);
        errors.push(Error::new_spanned(ident, message));
    }
    let wanted: Vec<&FieldSpec> = spec.request.iter().filter(|field| field.is_merchant_supplied()).collect();
    for field in fields.iter_mut() {
        let Some(spec_field) = wanted.iter().find(|wanted| wanted.name == field.wire_name) else {
            let message =
                format!("`{}` is not a request field of {file}: add it there, or rename the field", field.wire_name);
            errors.push(Error::new_spanned(field.member, message));
            continue;
        };
        let mut differences = Vec::new();
        let (spec_presence, struct_presence) = (spec_presence(spec_field), struct_presence(&field.presence));
        if spec_presence != struct_presence {
            differences.push(format!("presence: {file} says {spec_presence}, the struct says {struct_presence}"));
        }
        let (spec_keys, own_keys) = (keys_of_spec(&spec_field.rules), keys_of_struct(&field.rules));
        let mut from_type = Vec::new();
        for key in &spec_keys {
            match own_keys.iter().find(|own| own.kind() == key.kind()) {
                Some(own) if own == key => {}
                Some(own) => differences.push(format!(
                    "{}: {file} says {}, the struct says {}",
                    key.kind(),
                    key.value(),
                    own.value()
                )),
                None => from_type.push(key.clone()),
            }
        }
        for own in own_keys.iter().filter(|own| !spec_keys.iter().any(|key| key.kind() == own.kind())) {
            differences.push(format!("{}: {file} says none, the struct says {}", own.kind(), own.value()));
        }
        if !differences.is_empty() {
            let message = format!("`{}` differs from its spec: {}", field.wire_name, differences.join("; "));
            errors.push(Error::new_spanned(field.member, message));
        }
        let wanted_from_type: Vec<String> = from_type.iter().map(Key::describe).collect();
        let message = format!(
            "`{}`: the rules of the field's type (WireValue::TYPE_RULES) must be exactly those {file} asks for \
             beyond the field's own #[vexora] rules: {}",
            field.wire_name,
            if wanted_from_type.is_empty() { "none".to_owned() } else { wanted_from_type.join(", ") }
        );
        field.type_rules = Some(TypeRules { keys: from_type, message });
    }
    for missing in wanted.iter().filter(|wanted| !fields.iter().any(|field| field.wire_name == wanted.name)) {
        let message = format!("{file} has the request field `{}`, which this struct does not send", missing.name);
        errors.push(Error::new_spanned(id, message));
    }
}

/// A rule as a spec file names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Key {
    MinLength(usize),
    MaxLength(usize),
    Digits,
    MinAmount(String),
    Pattern(String),
    Format(Format),
    OneOf(Vec<String>),
    Custom(String),
}

impl Key {
    /// The spec's name for the rule.
    fn kind(&self) -> &'static str {
        match self {
            Key::MinLength(_) => "min_length",
            Key::MaxLength(_) => "max_length",
            Key::Digits => "digits",
            Key::MinAmount(_) => "min_amount",
            Key::Pattern(_) => "pattern",
            Key::Format(_) => "format",
            Key::OneOf(_) => "one_of",
            Key::Custom(_) => "custom",
        }
    }

    /// The rule's value, as a message shows it.
    fn value(&self) -> String {
        match self {
            Key::MinLength(n) | Key::MaxLength(n) => n.to_string(),
            Key::Digits => "true".to_owned(),
            Key::MinAmount(min) => format!("{min:?}"),
            Key::Pattern(source) => format!("{source:?}"),
            Key::Format(format) => format_name(*format).to_owned(),
            Key::OneOf(values) => format!("{values:?}"),
            Key::Custom(name) => name.clone(),
        }
    }

    fn describe(&self) -> String {
        format!("{} = {}", self.kind(), self.value())
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Email => "email",
        Format::Ip => "ip",
        Format::HttpUrl => "http_url",
    }
}

impl quote::ToTokens for Key {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        let key = quote::quote!(::vexora::__private::RuleKey);
        tokens.extend(match self {
            Key::MinLength(n) => quote::quote!(#key::MinLength(#n)),
            Key::MaxLength(n) => quote::quote!(#key::MaxLength(#n)),
            Key::Digits => quote::quote!(#key::Digits),
            Key::MinAmount(min) => quote::quote!(#key::MinAmount(#min)),
            Key::Pattern(source) => quote::quote!(#key::Pattern(#source)),
            Key::Format(format) => quote::quote!(#key::Format(#format)),
            Key::OneOf(values) => quote::quote!(#key::OneOf(&[#(#values),*])),
            Key::Custom(name) => quote::quote!(#key::Custom(#name)),
        });
    }
}

/// A spec field's rules as keys (a custom rule's `pattern` is for generic
/// validators and has no counterpart in the struct).
fn keys_of_spec(rules: &Rules) -> Vec<Key> {
    let mut keys = Vec::new();
    keys.extend(rules.min_length.map(Key::MinLength));
    keys.extend(rules.max_length.map(Key::MaxLength));
    if rules.digits {
        keys.push(Key::Digits);
    }
    keys.extend(rules.min_amount.clone().map(Key::MinAmount));
    keys.extend(rules.pattern.clone().map(Key::Pattern));
    let format = rules.format.as_deref().map(|name| match name {
        "email" => Ok(Format::Email),
        "ip" => Ok(Format::Ip),
        "http_url" => Ok(Format::HttpUrl),
        other => Err(other.to_owned()),
    });
    match format {
        Some(Ok(format)) => keys.push(Key::Format(format)),
        // Not a format the derive knows: it cannot come from attributes.
        Some(Err(other)) => keys.push(Key::Custom(format!("format {other}"))),
        None => {}
    }
    keys.extend(rules.one_of.clone().map(Key::OneOf));
    keys.extend(rules.custom.as_ref().map(|custom| Key::Custom(custom.name.clone())));
    keys
}

/// A field's checked rules as keys.
fn keys_of_struct(rules: &[Rule]) -> Vec<Key> {
    rules
        .iter()
        .map(|rule| match rule {
            Rule::MinLength(n) => Key::MinLength(*n),
            Rule::MaxLength(n) => Key::MaxLength(*n),
            Rule::Digits => Key::Digits,
            Rule::MinAmount(min) => Key::MinAmount(min.clone()),
            Rule::Pattern { source, .. } => Key::Pattern(source.clone()),
            Rule::Format(format) => Key::Format(*format),
            Rule::OneOf(values) => Key::OneOf(values.clone()),
            Rule::Custom { name, .. } => Key::Custom(name.clone()),
        })
        .collect()
}

/// For a create: the read its spec's `reconcile_with` names (in the same
/// region module) and the create's own `tradeNo` field.
pub(crate) fn reconcile(
    loaded: &Loaded,
    id: &LitStr,
    root: &Path,
    fields: &[Field<'_>],
    errors: &mut Errors,
) -> Option<Reconcile> {
    let name = loaded.spec.endpoint.reconcile_with.as_ref()?;
    let region = &loaded.spec.endpoint.region;
    let query = match EndpointSpec::load(&root.join(region).join(format!("{name}.toml"))) {
        Ok(query) => query,
        Err(_) => {
            let message = format!("reconcile_with names {region}/{name}, and spec/{region}/{name}.toml cannot be read");
            errors.push(Error::new_spanned(id, message));
            return None;
        }
    };
    let Some(trade_no) = fields.iter().find(|field| field.wire_name == "tradeNo") else {
        errors.push(Error::new_spanned(id, "a create is reconciled by its `tradeNo`: the struct needs that field"));
        return None;
    };
    let module = Ident::new(&vexora_spec::module_name(region), Span::call_site());
    let request = Ident::new(&query.endpoint.request, Span::call_site());
    Some(Reconcile { query: parse_quote!(crate::#module::#request), trade_no: trade_no.member.clone() })
}

/// For a read of one order (a pay-in or payout query): its `tradeNo`
/// field, which must be its only one.
pub(crate) fn by_trade_no(loaded: &Loaded, ident: &Ident, fields: &[Field<'_>], errors: &mut Errors) -> Option<Ident> {
    if !matches!(loaded.spec.endpoint.kind, EndpointKind::PayInQuery | EndpointKind::PayoutQuery) {
        return None;
    }
    match fields {
        [only] if only.wire_name == "tradeNo" => Some(only.member.clone()),
        _ => {
            let message = format!(
                "a {:?} reads one order by `tradeNo`: that is its only field, so a create can be reconciled with it",
                loaded.spec.endpoint.kind
            );
            errors.push(Error::new_spanned(ident, message));
            None
        }
    }
}

fn spec_presence(field: &FieldSpec) -> String {
    match (&field.required, &field.required_if) {
        (true, _) => "required".to_owned(),
        (false, Some(condition)) => condition_text(&condition.field, &condition.values()),
        (false, None) => "optional".to_owned(),
    }
}

fn struct_presence(presence: &Presence) -> String {
    match presence {
        Presence::Required => "required".to_owned(),
        Presence::Optional => "optional".to_owned(),
        Presence::RequiredIf { wire_name, values, .. } => {
            condition_text(wire_name, &values.iter().map(String::as_str).collect::<Vec<_>>())
        }
    }
}

/// `required_if(field = "A")`, or `required_if(field = ["A", "B"])` for several values.
fn condition_text(field: &str, values: &[&str]) -> String {
    match values {
        [value] => format!("required_if({field} = {value:?})"),
        values => format!("required_if({field} = {values:?})"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::Key;
    use crate::{check, errors::Errors, syntax};

    /// A Philippines payout spec, as a maintainer would write it.
    const PAYOUT: &str = r#"
[endpoint]
region = "philippines"
name = "payout"
method = "POST"
path = "/v1/vexora/disbursements"
source = "test"
description = "Pay out."
kind = "payout"
call = "create"
request = "PayoutRequest"
reconcile_with = "payout-query"

[[request]]
name = "tradeNo"
required = true
type = "string"
rules = { max_length = 32 }
description = "Order number."

[[request]]
name = "bankNumber"
required = true
type = "string"
rules = { pattern = "^[0-9]{10,16}$" }
samples = { valid = ["0123456789"], invalid = ["12"] }
description = "Account."
"#;

    /// The read that reconciles the payout.
    const PAYOUT_QUERY: &str = r#"
[endpoint]
region = "philippines"
name = "payout-query"
method = "POST"
path = "/v1/vexora/queryPayOutResult"
source = "test"
description = "Read a payout."
kind = "payout-query"
call = "read"
request = "PayoutQueryRequest"
"#;

    const STRUCT: &str = r#"
#[serde(rename_all = "camelCase")]
#[vexora(spec = "philippines/payout", response = PayoutData)]
struct PayoutRequest {
    #[vexora(required, max_length = 32)]
    trade_no: String,
    #[vexora(required, pattern = "^[0-9]{10,16}$")]
    bank_number: String,
}
"#;

    /// Every message the derive reports for `item` against `spec`.
    fn messages(spec: &str, item: &str) -> Vec<String> {
        checked(spec, item).0
    }

    /// The messages, and each field's rules left to its type.
    fn checked(spec: &str, item: &str) -> (Vec<String>, Vec<(String, Vec<String>)>) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir()
            .join(format!("vexora-derive-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)))
            .join("spec");
        std::fs::create_dir_all(root.join("philippines")).expect("a temporary folder");
        std::fs::write(root.join("philippines/payout.toml"), spec).expect("the spec file");
        std::fs::write(root.join("philippines/payout-query.toml"), PAYOUT_QUERY).expect("the spec file");
        let input: syn::DeriveInput = syn::parse_str(item).expect("a struct");
        let mut errors = Errors::default();
        let raw = syntax::parse(&input).expect("attributes parse");
        let model = check::check(raw, &root, &mut errors);
        let _ = std::fs::remove_dir_all(root.parent().expect("the temporary folder"));
        let type_rules = model
            .fields
            .iter()
            .map(|field| {
                let keys = field.type_rules.as_ref().map(|rules| rules.keys.iter().map(Key::describe).collect());
                (field.wire_name.clone(), keys.unwrap_or_default())
            })
            .collect();
        let messages =
            errors.finish().err().map(|error| error.into_iter().map(|e| e.to_string()).collect()).unwrap_or_default();
        (messages, type_rules)
    }

    #[test]
    fn spec_rules_the_attributes_leave_out_are_left_to_the_type() {
        let bare = STRUCT.replace("#[vexora(required, max_length = 32)]", "#[vexora(required)]");
        let (messages, type_rules) = checked(PAYOUT, &bare);
        assert_eq!(messages, Vec::<String>::new());
        assert_eq!(
            type_rules,
            [("tradeNo".to_owned(), vec!["max_length = 32".to_owned()]), ("bankNumber".to_owned(), vec![])]
        );
    }

    #[test]
    fn a_struct_that_matches_its_spec_compiles() {
        assert_eq!(messages(PAYOUT, STRUCT), Vec::<String>::new());
    }

    #[test]
    fn a_payout_marked_read_fails_the_build() {
        let read = PAYOUT.replace("call = \"create\"", "call = \"read\"");
        assert_eq!(
            messages(&read, STRUCT),
            ["spec/philippines/payout.toml: /v1/vexora/disbursements moves money, so `call` must be \"create\": a \
                 read is resent after a 5xx or a timeout, which could pay or charge twice; only a create that makes \
                 an order has `reconcile_with`"]
        );
    }

    #[test]
    fn a_spec_rule_changed_without_its_struct_fails_at_the_field() {
        let changed = PAYOUT.replace("^[0-9]{10,16}$", "^[0-9]{12}$").replace("max_length = 32", "max_length = 20");
        assert_eq!(
            messages(&changed, STRUCT),
            [
                "`tradeNo` differs from its spec: max_length: spec/philippines/payout.toml says 20, the struct says 32",
                "`bankNumber` differs from its spec: pattern: spec/philippines/payout.toml says \"^[0-9]{12}$\", the \
                 struct says \"^[0-9]{10,16}$\"",
            ]
        );
    }

    #[test]
    fn fields_and_names_must_match_both_ways() {
        let renamed = STRUCT
            .replace("bank_number: String", "account_number: String")
            .replace("struct PayoutRequest", "struct Payout");
        assert_eq!(
            messages(PAYOUT, &renamed),
            [
                "spec/philippines/payout.toml names its request struct `PayoutRequest`; rename one of them",
                "`accountNumber` is not a request field of spec/philippines/payout.toml: add it there, or rename the field",
                "spec/philippines/payout.toml has the request field `bankNumber`, which this struct does not send",
            ]
        );
        let optional = STRUCT.replace("#[vexora(required, max_length = 32)]", "#[vexora(optional, max_length = 32)]");
        assert_eq!(
            messages(PAYOUT, &optional),
            ["`tradeNo` differs from its spec: presence: spec/philippines/payout.toml says required, the struct says optional"]
        );
    }

    #[test]
    fn a_rule_without_samples_fails_the_build() {
        let bare = PAYOUT.replace("samples = { valid = [\"0123456789\"], invalid = [\"12\"] }\n", "");
        let messages = messages(&bare, STRUCT);
        assert_eq!(messages.len(), 1);
        assert!(messages[0].contains("`bankNumber` has a pattern or custom rule: give `samples"), "{}", messages[0]);
    }
}
