//! Every rule that involves more than one attribute item or field, turning the
//! raw model of `syntax.rs` into the checked model `emit.rs` writes out:
//! wire names resolved, presence settled, patterns compiled, signing order
//! sorted.

use std::path::Path as FsPath;

use proc_macro2::Span;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Error, Ident, LitStr, Type};
use vexora_spec::decimal::Decimal;
use vexora_spec::pattern;

use crate::errors::Errors;
use crate::model::{Endpoint, Field, Format, Model, Presence, Rule, SignStep};
use crate::spec;
use crate::syntax::{self, RuleKind};

/// Wire names the client writes itself.
const RESERVED: &[(&str, &str)] = &[
    ("sign", "the client computes the signature and sends it as `sign`"),
    ("timestamp", "the client supplies `timestamp` when it sends the request"),
];

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
    check_non_exhaustive(&input, errors);
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
                reconcile: spec::reconcile(&loaded, id, spec_root, errors),
                keys: loaded.spec.keys().into_iter().map(str::to_owned).collect(),
                unfindable: if loaded.reads_only() {
                    None
                } else {
                    loaded.spec.unfindable_because().map(str::to_owned)
                },
                by_keys: spec::by_keys(&loaded, &fields),
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
            keys: Vec::new(),
            reconcile: None,
            unfindable: None,
            by_keys: None,
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

/// A request struct (one with `spec = ...`) is `#[non_exhaustive]`: outside
/// its crate it is built with `builder()`, never with a struct literal, so a
/// field the gateway adds later is not a breaking change for that code.
fn check_non_exhaustive(input: &syntax::Input<'_>, errors: &mut Errors) {
    if input.container.spec.is_some() && !input.container.non_exhaustive {
        errors.push(Error::new_spanned(
            input.ident,
            "a request struct must be `#[non_exhaustive]`, so that a field the gateway adds is not a breaking \
             change: add the attribute; other crates build the request with `builder()`",
        ));
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
            return Presence::RequiredIf { member: target.ident.clone(), wire_name: name.name.clone(), values };
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
                if Decimal::parse(&min).is_none_or(|min| min.is_signed()) {
                    errors
                        .push(Error::new_spanned(lit, "a minimum amount is digits with an optional `.` and decimals"));
                    continue;
                }
                Rule::MinAmount(min)
            }
            RuleKind::Pattern(lit) => match pattern::parse(&lit.value()) {
                Ok(items) => Rule::Pattern { source: lit.value(), items },
                Err(error) => {
                    errors.push(Error::new_spanned(lit, error));
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

#[cfg(test)]
mod spec_comparison {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use crate::errors::Errors;
    use crate::model::Key;
    use crate::syntax;

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

[[request]]
name = "tradeNo"
required = true
type = "string"
description = "Payout number."
"#;

    const STRUCT: &str = r#"
#[serde(rename_all = "camelCase")]
#[vexora(spec = "philippines/payout", response = PayoutData)]
#[non_exhaustive]
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
        checked_among(&[("payout", spec), ("payout-query", PAYOUT_QUERY)], item)
    }

    /// The messages for `item` with `files` (name, text) as the region's
    /// spec files, and each field's rules left to its type.
    fn checked_among(files: &[(&str, &str)], item: &str) -> (Vec<String>, Vec<(String, Vec<String>)>) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir()
            .join(format!("vexora-derive-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)))
            .join("spec");
        std::fs::create_dir_all(root.join("philippines")).expect("a temporary folder");
        for (name, text) in files {
            std::fs::write(root.join(format!("philippines/{name}.toml")), text).expect("the spec file");
        }
        let input: syn::DeriveInput = syn::parse_str(item).expect("a struct");
        let mut errors = Errors::default();
        let raw = syntax::parse(&input).expect("attributes parse");
        let model = super::check(raw, &root, &mut errors);
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
    fn a_request_struct_that_is_not_non_exhaustive_fails_the_build() {
        let exhaustive = STRUCT.replace("#[non_exhaustive]\n", "");
        assert_eq!(
            messages(PAYOUT, &exhaustive),
            ["a request struct must be `#[non_exhaustive]`, so that a field the gateway adds is not a breaking \
                 change: add the attribute; other crates build the request with `builder()`"]
        );
    }

    #[test]
    fn a_payout_marked_read_fails_the_build() {
        let read = PAYOUT.replace("call = \"create\"", "call = \"read\"");
        assert_eq!(
            messages(&read, STRUCT),
            ["spec/philippines/payout.toml: /v1/vexora/disbursements moves money, so `call` must be \"create\": a \
                 read is resent after a 5xx or a timeout, which could pay or charge twice; only a create has \
                 `reconcile_with` or `unfindable`"]
        );
    }

    /// A refund, a kind no code names, keyed by two fields; `{call}` and
    /// `{read}` are filled in by each test.
    const REFUND: &str = r#"
[endpoint]
region = "philippines"
name = "refund"
method = "POST"
path = "/v1/vexora/refund"
source = "test"
description = "Give money back."
kind = "refund"
call = "{call}"
money = "back"
keys = ["tradeNo", "refundNo"]
reconcile_with = "{read}"
request = "RefundRequest"

[[request]]
name = "tradeNo"
required = true
type = "string"
description = "Order."

[[request]]
name = "refundNo"
required = true
type = "string"
description = "Refund."
"#;

    const REFUND_STRUCT: &str = r#"
#[serde(rename_all = "camelCase")]
#[vexora(spec = "philippines/refund", response = RefundData)]
#[non_exhaustive]
struct RefundRequest {
    #[vexora(required)]
    trade_no: String,
    #[vexora(required)]
    refund_no: String,
}
"#;

    /// The refund's read, sending `fields`.
    fn refund_query(fields: &[&str]) -> String {
        let mut text = "[endpoint]\nregion = \"philippines\"\nname = \"refund-query\"\nmethod = \"POST\"\n\
                        path = \"/v1/vexora/queryRefund\"\nsource = \"test\"\ndescription = \"Read a refund.\"\n\
                        kind = \"refund-query\"\ncall = \"read\"\nmoney = \"none\"\nrequest = \"RefundQueryRequest\"\n"
            .to_owned();
        for field in fields {
            text.push_str(&format!(
                "\n[[request]]\nname = \"{field}\"\nrequired = true\ntype = \"string\"\ndescription = \"Key.\"\n"
            ));
        }
        text
    }

    fn refund_messages(call: &str, read_fields: &[&str]) -> Vec<String> {
        let refund = REFUND.replace("{call}", call).replace("{read}", "refund-query");
        checked_among(&[("refund", &refund), ("refund-query", &refund_query(read_fields))], REFUND_STRUCT).0
    }

    #[test]
    fn a_new_kind_is_held_to_the_rules_its_data_implies() {
        assert_eq!(refund_messages("create", &["tradeNo", "refundNo"]), Vec::<String>::new());
        assert_eq!(
            refund_messages("read", &["tradeNo", "refundNo"]),
            ["spec/philippines/refund.toml: /v1/vexora/refund moves money, so `call` must be \"create\": a read is \
              resent after a 5xx or a timeout, which could pay or charge twice; only a create gives `keys`: a read is \
              identified by the fields it sends; only a create has `reconcile_with` or `unfindable`"]
        );
        assert_eq!(
            refund_messages("create", &["tradeNo"]),
            ["spec/philippines/refund.toml: reconcile_with names \"refund-query\", which sends [\"tradeNo\"]: the \
              read that finds a create sends exactly its keys, [\"refundNo\", \"tradeNo\"], taken from the create's \
              own fields"]
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
            [
                "`tradeNo` differs from its spec: presence: spec/philippines/payout.toml says required, the struct says optional"
            ]
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
