//! The endpoint's spec file, named by `#[vexora(spec = "region/name")]`:
//! read while the struct compiles and compared with it field by field, so a
//! struct and its spec cannot drift apart without a compile error at the
//! field that differs. The path and call kind come from the spec alone.

use std::path::{Path, PathBuf};

use proc_macro2::Span;
use syn::{Error, Ident, LitStr, parse_quote};
use vexora_spec::{CallKind, EndpointSpec, FieldSpec, Rules, SpecError};

use crate::errors::Errors;
use crate::model::{Field, Format, Key, Presence, Reconcile, Rule, TypeRules};

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
            SpecError::SameRoute { first, second, .. } => {
                format!("shares its route with another file ({} and {})", first.display(), second.display())
            }
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
/// region module), held to the rules across the two files.
pub(crate) fn reconcile(loaded: &Loaded, id: &LitStr, root: &Path, errors: &mut Errors) -> Option<Reconcile> {
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
    // The rules across the two files: the read is a read that sends exactly
    // the create's keys.
    let create = loaded.spec.id();
    for problem in vexora_spec::problems_across([&loaded.spec, &query]) {
        let problem = problem.strip_prefix(&format!("{create}: ")).unwrap_or(&problem);
        errors.push(Error::new_spanned(id, format!("spec/{create}.toml: {problem}")));
    }
    let module = Ident::new(&vexora_spec::module_name(region), Span::call_site());
    let request = Ident::new(&query.endpoint.request, Span::call_site());
    Some(Reconcile { query: parse_quote!(crate::#module::#request) })
}

/// For a read whose fields are exactly its keys (as the read that finds a
/// create's record must be): each key's field and wire name.
pub(crate) fn by_keys(loaded: &Loaded, fields: &[Field<'_>]) -> Option<Vec<(Ident, String)>> {
    let keys = loaded.spec.keys();
    if !loaded.reads_only() || keys.is_empty() || fields.len() != keys.len() {
        return None;
    }
    keys.iter()
        .map(|key| {
            let field = fields.iter().find(|field| field.wire_name == *key)?;
            Some((field.member.clone(), (*key).to_owned()))
        })
        .collect()
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
