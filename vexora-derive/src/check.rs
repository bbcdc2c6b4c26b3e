//! Every rule that involves more than one attribute item or field, turning the
//! raw model of `syntax.rs` into the checked model `emit.rs` writes out:
//! wire names resolved, presence settled, patterns compiled, signing order
//! sorted.

use std::path::Path as FsPath;

use proc_macro2::Span;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Error, Generics, Ident, LitStr, Path, Type};

use crate::errors::Errors;
use crate::syntax::{self, RuleKind};
use crate::{pattern, spec};

/// Wire names the client writes itself.
const RESERVED: &[(&str, &str)] = &[
    ("sign", "the client computes the signature and sends it as `sign`"),
    ("timestamp", "the client supplies `timestamp` when it sends the request"),
];

/// A struct ready to be emitted.
pub(crate) struct Model<'a> {
    /// The struct's name.
    pub(crate) ident: &'a Ident,
    /// The struct's generics.
    pub(crate) generics: &'a Generics,
    /// `#[vexora(spec = "...", response = Type)]`, when given.
    pub(crate) endpoint: Option<Endpoint>,
    /// Every field that is signed and validated (not skipped), in declaration order.
    pub(crate) fields: Vec<Field<'a>>,
    /// The fields and `timestamp` in code-point order of their wire names.
    pub(crate) signing_order: Vec<SignStep>,
}

/// What makes the struct an endpoint, from its spec file.
pub(crate) struct Endpoint {
    /// `region/name`.
    pub(crate) id: String,
    /// The region slug.
    pub(crate) region: String,
    /// The path below the base URL.
    pub(crate) path: String,
    /// The type of the response's `data`.
    pub(crate) response: Type,
    /// Whether the call only reads (`true`) or creates money movement.
    pub(crate) reads_only: bool,
    /// The spec file's absolute path, which the expansion depends on
    /// (`None` in the stub the fallback emits when the file is unusable).
    pub(crate) file: Option<String>,
    /// For a create: the read that reconciles it, and the `tradeNo` field.
    pub(crate) reconcile: Option<Reconcile>,
    /// For a read of one order: the `tradeNo` field, its only field.
    pub(crate) by_trade_no: Option<Ident>,
}

/// How a create is reconciled.
pub(crate) struct Reconcile {
    /// The read's request struct, `crate::<region>::<Request>`.
    pub(crate) query: syn::Path,
    /// The create's `tradeNo` field.
    pub(crate) trade_no: Ident,
}

/// One step of the canonical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignStep {
    /// `Model::fields[i]`.
    Field(usize),
    /// The `timestamp` the client supplies.
    Timestamp,
}

/// A signed and validated field.
pub(crate) struct Field<'a> {
    /// The Rust field name, as the member to read.
    pub(crate) member: &'a Ident,
    /// The field's type, for bounds and error spans.
    pub(crate) ty: &'a Type,
    /// The name on the wire.
    pub(crate) wire_name: String,
    /// The Rust name without `r#`.
    pub(crate) rust_name: String,
    /// When the field must be present.
    pub(crate) presence: Presence,
    /// Rules, in attribute order.
    pub(crate) rules: Vec<Rule>,
    /// For an endpoint's field: the rules its spec asks for beyond the
    /// field's own, which the field's type must have exactly (checked by a
    /// `const` assertion, since only the compiler knows the type's rules).
    pub(crate) type_rules: Option<TypeRules>,
}

/// The rules a field's type must have, with the message if it does not.
pub(crate) struct TypeRules {
    /// The rules, as the spec names them.
    pub(crate) keys: Vec<spec::Key>,
    /// What to say when the type's rules differ.
    pub(crate) message: String,
}

/// When a field must be present.
pub(crate) enum Presence {
    /// Always.
    Required,
    /// Never.
    Optional,
    /// When another field has a value.
    RequiredIf {
        /// The other field, as the member to read.
        member: Ident,
        /// The other field's wire name.
        wire_name: String,
        /// The values any of which makes this field required.
        values: Vec<String>,
    },
}

/// A rule, with its arguments checked.
pub(crate) enum Rule {
    /// At least this many characters.
    MinLength(usize),
    /// At most this many characters.
    MaxLength(usize),
    /// ASCII digits only.
    Digits,
    /// A decimal amount of at least this (`"100"`).
    MinAmount(String),
    /// A compiled pattern.
    Pattern {
        /// The pattern as written.
        source: String,
        /// Its items.
        items: Vec<pattern::Item>,
    },
    /// A named format.
    Format(Format),
    /// One of these values.
    OneOf(Vec<String>),
    /// A function of the user's crate.
    Custom {
        /// The path as written, without spaces.
        name: String,
        /// The path, with its spans, so a wrong signature is reported there.
        path: Path,
    },
}

/// A named format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// An email address.
    Email,
    /// An IP address.
    Ip,
    /// An http(s) URL.
    HttpUrl,
}

/// A field's wire name and where it came from, for spans.
struct WireName {
    name: String,
    span: Span,
    /// Whether a mistake elsewhere makes the name uncertain.
    suspect: bool,
}

/// Checks the raw model. The model is always returned, so the caller can
/// still emit fallback impls; whether it is usable is in `errors`, which get
/// the struct's mistakes first, then each field's in declaration order.
pub(crate) fn check<'a>(mut input: syntax::Input<'a>, spec_root: &FsPath, errors: &mut Errors) -> Model<'a> {
    errors.append(std::mem::take(&mut input.container.errors));
    let spec = load_spec(&input.container, spec_root, errors);
    let attr_errors: Vec<Errors> = input.fields.iter_mut().map(|field| std::mem::take(&mut field.errors)).collect();
    let names: Vec<WireName> = input.fields.iter().map(|field| wire_name(&input.container, field)).collect();

    let mut fields = Vec::new();
    let mut sent: Vec<(&str, &Ident)> = Vec::new();
    for ((field, name), attr_errors) in input.fields.iter().zip(&names).zip(attr_errors) {
        errors.append(attr_errors);
        check_renames(field, errors);
        if let Some(skip) = &field.skip {
            for item in field.items.iter().filter(|item| *item != skip) {
                let message = format!(
                    "`skip` must be alone: a skipped field is neither signed, sent nor validated; remove `{item}`"
                );
                errors.push(Error::new_spanned(item, message));
            }
            continue;
        }
        if !name.suspect {
            check_wire_name(field, name, &mut sent, errors);
        }
        let presence = presence(field, &input.fields, &names, errors);
        let rules = rules(field, errors);
        fields.push(Field {
            member: field.ident,
            ty: field.ty,
            wire_name: name.name.clone(),
            rust_name: field.ident.unraw().to_string(),
            presence,
            rules,
            type_rules: None,
        });
    }

    let mut order: Vec<(&str, SignStep)> =
        fields.iter().enumerate().map(|(i, field)| (field.wire_name.as_str(), SignStep::Field(i))).collect();
    order.push(("timestamp", SignStep::Timestamp));
    // Byte order of UTF-8 is code-point order, which the signing rule sorts by.
    order.sort_by(|a, b| a.0.cmp(b.0));
    let signing_order = order.into_iter().map(|(_, step)| step).collect();

    let endpoint = spec.map(|(loaded, id, response)| match loaded {
        Some(loaded) => {
            spec::compare(&loaded, id, input.ident, &mut fields, errors);
            let info = &loaded.spec.endpoint;
            Endpoint {
                id: loaded.spec.id(),
                region: info.region.clone(),
                path: info.path.clone(),
                response: response.clone(),
                reads_only: loaded.reads_only(),
                file: Some(loaded.file.to_string_lossy().into_owned()),
                reconcile: spec::reconcile(&loaded, id, spec_root, &fields, errors),
                by_trade_no: spec::by_trade_no(&loaded, input.ident, &fields, errors),
            }
        }
        // The error is reported; this only keeps the fallback's stub impl
        // from adding "trait not implemented" errors where the struct is used.
        None => Endpoint {
            id: id.value(),
            region: String::new(),
            path: String::new(),
            response: response.clone(),
            reads_only: false,
            file: None,
            reconcile: None,
            by_trade_no: None,
        },
    });
    Model { ident: input.ident, generics: input.generics, endpoint, fields, signing_order }
}

/// The spec file `spec = "..."` names (`None` when it is unusable, which
/// is reported), with the literal and the response type; both items go
/// together.
fn load_spec<'c>(
    container: &'c syntax::Container,
    root: &FsPath,
    errors: &mut Errors,
) -> Option<(Option<spec::Loaded>, &'c LitStr, &'c Type)> {
    match (&container.spec, &container.response) {
        (Some((_, id)), Some((_, response))) => match spec::load(id, root) {
            Ok(loaded) => Some((Some(loaded), id, response)),
            Err(error) => {
                errors.push(error);
                Some((None, id, response))
            }
        },
        (Some((keyword, _)), None) => {
            errors.push(Error::new_spanned(
                keyword,
                "an endpoint needs its response type too: add `response = path::to::DataType`",
            ));
            None
        }
        (None, Some((keyword, _))) => {
            errors.push(Error::new_spanned(
                keyword,
                "a response type needs its endpoint's spec too: add `spec = \"<region>/<name>\"`",
            ));
            None
        }
        (None, None) => None,
    }
}

/// `rename` (vexora, else serde), else `rename_all` of the Rust name, else the Rust name.
fn wire_name(container: &syntax::Container, field: &syntax::Field<'_>) -> WireName {
    let suspect = field.name_suspect || container.names_suspect;
    if let Some(lit) = field.rename.as_ref().or(field.serde_rename.as_ref()) {
        return WireName { name: lit.value(), span: lit.span(), suspect };
    }
    let rust_name = field.ident.unraw().to_string();
    let name = match container.rename_all {
        Some(rule) => rule.apply_to_field(&rust_name),
        None => rust_name,
    };
    WireName { name, span: field.ident.span(), suspect }
}

/// A vexora rename must agree with serde's, and no rename may be empty.
fn check_renames(field: &syntax::Field<'_>, errors: &mut Errors) {
    if let (Some(ours), Some(serde)) = (&field.rename, &field.serde_rename) {
        if ours.value() != serde.value() {
            let message = format!(
                "this rename differs from `#[serde(rename = \"{}\")]`; the signed name must be the one serde uses, \
                 so keep one rename",
                serde.value()
            );
            errors.push(Error::new_spanned(ours, message));
        }
    }
    if let Some(lit) = field.rename.as_ref().or(field.serde_rename.as_ref()) {
        if lit.value().is_empty() && field.skip.is_none() {
            errors.push(Error::new_spanned(lit, "a wire name must not be empty"));
        }
    }
}

/// A sent field's wire name must not be reserved nor used by an earlier field.
fn check_wire_name<'n>(
    field: &'n syntax::Field<'_>,
    name: &'n WireName,
    sent: &mut Vec<(&'n str, &'n Ident)>,
    errors: &mut Errors,
) {
    if let Some((_, why)) = RESERVED.iter().find(|(reserved, _)| *reserved == name.name) {
        let message = format!(
            "the wire name `{}` is reserved: {why}; rename the field (`#[vexora(rename = \"...\")]`) \
             or mark it `#[vexora(skip)]`",
            name.name
        );
        errors.push(Error::new(name.span, message));
        return;
    }
    match sent.iter().find(|(sent_name, _)| *sent_name == name.name) {
        Some((_, first)) => {
            let message = format!(
                "the wire name `{}` is already used by field `{}`; every field needs its own wire name",
                name.name,
                first.unraw()
            );
            errors.push(Error::new(name.span, message));
        }
        None => sent.push((&name.name, field.ident)),
    }
}

fn presence(
    field: &syntax::Field<'_>,
    fields: &[syntax::Field<'_>],
    names: &[WireName],
    errors: &mut Errors,
) -> Presence {
    let Some(presence) = &field.presence else {
        if !field.presence_suspect {
            let message = format!(
                "field `{}` needs a presence marker: `#[vexora(required)]`, `#[vexora(optional)]`, \
                 `#[vexora(required_if(field = \"VALUE\"))]`, or `#[vexora(skip)]`",
                field.ident.unraw()
            );
            errors.push(Error::new_spanned(field.ident, message));
        }
        return Presence::Optional;
    };
    let (other, literals) = match presence {
        syntax::Presence::Required(_) => return Presence::Required,
        syntax::Presence::Optional(_) => return Presence::Optional,
        syntax::Presence::RequiredIf { field: other, values, keyword } => {
            if values.is_empty() {
                errors.push(Error::new_spanned(keyword, "give the value (or values) that make this field required"));
            }
            (other, values)
        }
    };
    for empty in literals.iter().filter(|literal| literal.value().is_empty()) {
        errors.push(Error::new_spanned(
            empty,
            "an empty field counts as absent, so it never equals \"\"; compare with a non-empty value",
        ));
    }
    let values: Vec<String> = literals.iter().map(LitStr::value).collect();
    let target = fields.iter().zip(names).find(|(candidate, _)| candidate.ident.unraw() == other.unraw());
    let wire_name = match target {
        None => {
            errors.push(Error::new_spanned(other, format!("no field `{}` in this struct", other.unraw())));
            String::new()
        }
        Some((target, _)) if target.ident == field.ident => {
            errors.push(Error::new_spanned(
                other,
                "a field cannot be required depending on its own value; name another field of this struct",
            ));
            String::new()
        }
        Some((target, _)) if target.skip.is_some() => {
            let message = format!(
                "field `{}` is `#[vexora(skip)]`, so it is never sent; a condition must read a field that is",
                other.unraw()
            );
            errors.push(Error::new_spanned(other, message));
            String::new()
        }
        Some((target, name)) => {
            return Presence::RequiredIf { member: target.ident.clone(), wire_name: name.name.clone(), values }
        }
    };
    Presence::RequiredIf { member: other.clone(), wire_name, values }
}

fn rules(field: &syntax::Field<'_>, errors: &mut Errors) -> Vec<Rule> {
    // The later of the two is where a conflict is reported.
    let mut min: Option<usize> = None;
    let mut max: Option<usize> = None;
    let mut later_length: Option<&syn::LitInt> = None;
    let mut rules = Vec::new();
    for rule in &field.rules {
        let checked = match &rule.kind {
            RuleKind::MinLength(lit, n) => {
                min = Some(*n);
                later_length = Some(lit);
                Rule::MinLength(*n)
            }
            RuleKind::MaxLength(lit, n) => {
                max = Some(*n);
                later_length = Some(lit);
                Rule::MaxLength(*n)
            }
            RuleKind::Digits => Rule::Digits,
            RuleKind::MinAmount(lit) => {
                let min = lit.value();
                let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
                let (whole, fraction) = min.split_once('.').unwrap_or((&min, "0"));
                if !digits(whole) || !digits(fraction) {
                    errors
                        .push(Error::new_spanned(lit, "a minimum amount is digits with an optional `.` and decimals"));
                    continue;
                }
                Rule::MinAmount(min)
            }
            RuleKind::Pattern(lit) => match pattern::parse(&lit.value()) {
                Ok(items) => Rule::Pattern { source: lit.value(), items },
                Err(message) => {
                    errors.push(Error::new_spanned(lit, message));
                    continue;
                }
            },
            RuleKind::Email => Rule::Format(Format::Email),
            RuleKind::Ip => Rule::Format(Format::Ip),
            RuleKind::Url => Rule::Format(Format::HttpUrl),
            RuleKind::OneOf(values) => Rule::OneOf(values.iter().map(LitStr::value).collect()),
            RuleKind::Custom(path) => {
                let name = path.to_token_stream().to_string().replace(' ', "");
                Rule::Custom { name, path: path.clone() }
            }
        };
        rules.push(checked);
    }
    if let (Some(min), Some(max), Some(later)) = (min, max, later_length) {
        if min > max {
            let message = format!("min_length {min} is greater than max_length {max}; no value could pass both");
            errors.push(Error::new_spanned(later, message));
        }
    }
    rules
}
