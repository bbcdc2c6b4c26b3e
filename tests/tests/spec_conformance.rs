//! The request and response structs agree with `spec/`: a disagreement fails
//! with a readable diff, one line per difference.

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use vexora::validation::{FieldSpec, Format, Presence, Rule};
use vexora::Endpoint;
use vexora_spec::{EndpointSpec, Rules};

/// One registered endpoint: its spec file and the checks of its structs.
struct Registered {
    region: &'static str,
    path: &'static str,
    check: fn(&EndpointSpec) -> Vec<String>,
}

/// Every endpoint the SDK models. A spec file without an entry here fails
/// `every_spec_file_is_modelled`.
const ENDPOINTS: &[Registered] = &[
    Registered {
        region: "taiwan",
        path: "/v1/vexora/checkout",
        check: endpoint_diff::<vexora::taiwan::CheckoutRequest>,
    },
    Registered {
        region: "taiwan",
        path: "/v1/vexora/queryPayInResult",
        check: endpoint_diff::<vexora::taiwan::PayInQueryRequest>,
    },
    Registered {
        region: "taiwan",
        path: "/v1/vexora/queryBalance",
        check: endpoint_diff::<vexora::taiwan::BalanceRequest>,
    },
];

fn endpoint_diff<E>(spec: &EndpointSpec) -> Vec<String>
where
    E: Endpoint,
    E::Response: Serialize,
{
    let mut diff = request_diff(spec, E::PATH, E::FIELDS);
    diff.extend(data_diff::<E::Response>(spec));
    diff
}

/// Compares a request struct's field table with the spec's request fields.
fn request_diff(spec: &EndpointSpec, path: &str, fields: &[FieldSpec]) -> Vec<String> {
    let mut diff = Vec::new();
    if spec.endpoint.path != path {
        diff.push(format!("path: spec says {:?}, struct says {path:?}", spec.endpoint.path));
    }
    let client_supplied: BTreeSet<&str> =
        spec.request.iter().filter(|f| !f.is_merchant_supplied()).map(|f| f.name.as_str()).collect();
    if client_supplied != BTreeSet::from(["sign", "timestamp"]) {
        diff.push(format!("spec: the client supplies exactly sign and timestamp, not {client_supplied:?}"));
    }
    for wanted in spec.request.iter().filter(|f| f.is_merchant_supplied()) {
        if !fields.iter().any(|field| field.name == wanted.name) {
            diff.push(format!("`{}`: in the spec, missing from the struct", wanted.name));
        }
    }
    for field in fields {
        let Some(wanted) = spec.request.iter().find(|f| f.name == field.name && f.is_merchant_supplied()) else {
            diff.push(format!("`{}` (field `{}`): in the struct, missing from the spec", field.name, field.rust_name));
            continue;
        };
        let spec_presence = match (&wanted.required, &wanted.required_if) {
            (true, _) => "required".to_owned(),
            (false, Some(condition)) => format!("required_if({} = {})", condition.field, condition.equals),
            (false, None) => "optional".to_owned(),
        };
        let struct_presence = match field.presence {
            Presence::Required => "required".to_owned(),
            Presence::Optional => "optional".to_owned(),
            Presence::RequiredIf { field, equals } => format!("required_if({field} = {equals})"),
        };
        if spec_presence != struct_presence {
            diff.push(format!("`{}`: presence: spec says {spec_presence}, struct says {struct_presence}", field.name));
        }
        let struct_rules = rules_of(field.rules);
        for line in rules_diff(&wanted.rules, &struct_rules) {
            diff.push(format!("`{}`: {line}", field.name));
        }
    }
    diff
}

/// A struct's rule list in the spec's form.
fn rules_of(rules: &[Rule]) -> Rules {
    let mut spec = Rules::default();
    for rule in rules {
        match *rule {
            Rule::MinLength(min) => spec.min_length = Some(min),
            Rule::MaxLength(max) => spec.max_length = Some(max),
            Rule::Digits => spec.digits = true,
            Rule::Pattern(pattern) => spec.pattern = Some(pattern.source.to_owned()),
            Rule::Format(format) => {
                spec.format = Some(
                    match format {
                        Format::Email => "email",
                        Format::Ip => "ip",
                        Format::HttpUrl => "http_url",
                    }
                    .to_owned(),
                );
            }
            Rule::OneOf(values) => spec.one_of = Some(values.iter().map(|v| (*v).to_owned()).collect()),
            Rule::Custom(custom) => {
                spec.custom = Some(vexora_spec::CustomRule { name: custom.name.to_owned(), pattern: String::new() });
            }
        }
    }
    spec
}

fn rules_diff(spec: &Rules, ours: &Rules) -> Vec<String> {
    let mut diff = Vec::new();
    let mut compare = |rule: &str, spec: String, ours: String| {
        if spec != ours {
            diff.push(format!("{rule}: spec says {spec}, struct says {ours}"));
        }
    };
    compare("min_length", format!("{:?}", spec.min_length), format!("{:?}", ours.min_length));
    compare("max_length", format!("{:?}", spec.max_length), format!("{:?}", ours.max_length));
    compare("digits", spec.digits.to_string(), ours.digits.to_string());
    compare("pattern", format!("{:?}", spec.pattern), format!("{:?}", ours.pattern));
    compare("format", format!("{:?}", spec.format), format!("{:?}", ours.format));
    compare("one_of", format!("{:?}", spec.one_of), format!("{:?}", ours.one_of));
    // A custom rule is identified by its function's name; its `pattern` is
    // for generic validators and has no counterpart in the struct.
    let name = |custom: &Option<vexora_spec::CustomRule>| format!("{:?}", custom.as_ref().map(|c| &c.name));
    compare("custom", name(&spec.custom), name(&ours.custom));
    diff
}

/// Decodes the spec's example `data` into the typed struct and serializes it
/// back: every spec field (and alias) must survive the round trip.
fn data_diff<T: DeserializeOwned + Serialize>(spec: &EndpointSpec) -> Vec<String> {
    let mut example = Map::new();
    let mut wanted = BTreeSet::new();
    for field in &spec.data {
        for name in std::iter::once(&field.name).chain(&field.aliases) {
            let value = field.example.clone().unwrap_or_else(|| format!("example {name}"));
            example.insert(name.clone(), Value::String(value));
            wanted.insert(name.clone());
        }
    }
    let typed: T = match serde_json::from_value(Value::Object(example)) {
        Ok(typed) => typed,
        Err(error) => return vec![format!("data: the spec's example does not decode: {error}")],
    };
    let round_trip = serde_json::to_value(&typed).expect("response structs serialize");
    let kept: BTreeSet<String> = round_trip.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    let mut diff = Vec::new();
    for name in wanted.difference(&kept) {
        diff.push(format!("data `{name}`: in the spec, not kept by the response struct"));
    }
    for name in kept.difference(&wanted) {
        diff.push(format!("data `{name}`: in the response struct, missing from the spec"));
    }
    diff
}

fn specs() -> Vec<EndpointSpec> {
    vexora_spec::load_all(&vexora_spec::workspace_spec_dir()).expect("spec/ loads").into_values().collect()
}

#[test]
fn every_spec_file_is_modelled_and_agrees_with_its_structs() {
    let specs = specs();
    assert!(!specs.is_empty());
    for spec in &specs {
        let registered = ENDPOINTS
            .iter()
            .find(|e| e.region == spec.endpoint.region && e.path == spec.endpoint.path)
            .unwrap_or_else(|| panic!("{} {} has no struct registered here", spec.endpoint.region, spec.endpoint.path));
        let diff = (registered.check)(spec);
        assert!(
            diff.is_empty(),
            "{} {} disagrees with its structs:\n  {}",
            spec.endpoint.region,
            spec.endpoint.path,
            diff.join("\n  ")
        );
    }
}

#[test]
fn an_altered_spec_is_caught_with_a_readable_diff() {
    let path = vexora_spec::workspace_spec_dir().join("taiwan/checkout.toml");
    let text = std::fs::read_to_string(&path).expect("spec file");
    let altered = text
        .replace(r#"rules = { pattern = "^0\\d{9}$" }"#, r#"rules = { pattern = "^09\\d{8}$" }"#)
        .replace(
            "name = \"postcode\"\nrequired = false\nrequired_if = { field = \"channelCode\", equals = \"STORE\" }",
            "name = \"postcode\"\nrequired = true",
        )
        .replace("name = \"remark\"", "name = \"memo\"")
        .replace("rules = { format = \"ip\" }", "rules = { format = \"ip\", max_length = 15 }")
        .replace("aliases = [\"paymentUrl\"]", "aliases = [\"cashierUrl\"]");
    assert_ne!(altered, text);
    let spec = EndpointSpec::parse(&altered, &path).expect("still valid TOML");
    let diff = endpoint_diff::<vexora::taiwan::CheckoutRequest>(&spec);
    insta::assert_snapshot!(diff.join("\n"));
}
