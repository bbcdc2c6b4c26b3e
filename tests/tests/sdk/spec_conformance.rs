//! The structs agree with `spec/`, beyond what the derive checks
//! while they compile (request fields, presence, rules, path, call kind):
//! every spec file has its struct, response structs keep every documented
//! `data` field, and both validators agree with every field's samples.
//!
//! Endpoints are found through `vexora::for_each_endpoint!`, which the
//! crate's build script generates from the spec files: there is no list
//! to keep here.

mod zero_amounts;

use std::collections::BTreeSet;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use vexora::{Endpoint, Validate};
use vexora_spec::{EndpointSpec, FieldSpec};

/// What each endpoint is checked for, by type.
struct Checked {
    spec: &'static str,
    path: &'static str,
    check: fn(&EndpointSpec) -> Vec<String>,
}

macro_rules! checked {
    ($(($request:ty, $spec:literal)),* $(,)?) => {
        &[$(Checked { spec: $spec, path: <$request as Endpoint>::PATH, check: endpoint_diff::<$request> }),*]
    };
}

const ENDPOINTS: &[Checked] = vexora::for_each_endpoint!(checked);

fn endpoint_diff<E>(spec: &EndpointSpec) -> Vec<String>
where
    E: Endpoint + DeserializeOwned,
    E::Response: Serialize,
{
    let mut diff = data_diff::<E::Response>(spec);
    diff.extend(samples_diff::<E>(spec));
    diff
}

/// Each sample, alone in a request: a valid one must draw no violation on
/// its field, an invalid one must draw one (or fail to parse at all).
fn samples_diff<E: DeserializeOwned + Validate>(spec: &EndpointSpec) -> Vec<String> {
    let mut diff = Vec::new();
    for field in &spec.request {
        let Some(samples) = &field.samples else { continue };
        let refused = |sample: &str| {
            let request = Value::Object(Map::from_iter([(field.name.clone(), Value::from(sample))]));
            match serde_json::from_value::<E>(request) {
                Err(_) => true,
                Ok(request) => request
                    .validate()
                    .err()
                    .is_some_and(|errors| errors.violations().iter().any(|violation| violation.field == field.name)),
            }
        };
        for sample in samples.valid.iter().filter(|sample| refused(sample)) {
            diff.push(format!("`{}`: the valid sample {sample:?} is refused by the struct", field.name));
        }
        for sample in samples.invalid.iter().filter(|sample| !refused(sample)) {
            diff.push(format!("`{}`: the invalid sample {sample:?} is accepted by the struct", field.name));
        }
    }
    diff
}

/// Decodes the spec's example `data` into the typed struct and serializes it
/// back: every spec field (and alias) must survive the round trip, and
/// every documented field must be typed, not merely kept in `other`.
fn data_diff<T: DeserializeOwned + Serialize>(spec: &EndpointSpec) -> Vec<String> {
    // No [[data]] rows: `data` is not an object (a submit's `true`), and
    // its [[response]] row says what it is.
    if spec.data.is_empty() {
        return Vec::new();
    }
    let mut example = Map::new();
    let mut wanted = BTreeSet::new();
    for field in &spec.data {
        for name in std::iter::once(&field.name).chain(&field.aliases) {
            example.insert(name.clone(), example_value(field, name));
            wanted.insert(name.clone());
        }
    }
    // An answer that leaves out the tradeNo the request sent is read with
    // that tradeNo (the client completes it), so the example is too.
    let asks_by_trade_no = spec.request.iter().any(|field| field.name == "tradeNo" && field.is_merchant_supplied());
    if asks_by_trade_no && !example.contains_key("tradeNo") {
        example.insert("tradeNo".to_owned(), Value::String("example tradeNo".to_owned()));
        wanted.insert("tradeNo".to_owned());
    }
    let typed: T = match serde_json::from_value(Value::Object(example.clone())) {
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
    // A typed scalar refuses an object where its value should be; a field
    // that only lands in the catch-all map takes it.
    let scalars = spec.data.iter().filter(|field| !matches!(field.ty.as_str(), "object" | "array" | "instructions"));
    for field in scalars.filter(|field| kept.contains(&field.name)) {
        let mut probed = example.clone();
        probed.insert(field.name.clone(), json!({ "probe": true }));
        if serde_json::from_value::<T>(Value::Object(probed)).is_ok() {
            diff.push(format!("data `{}`: documented, but only kept among the other fields, not typed", field.name));
        }
    }
    diff
}

/// The field's example as JSON of its type (objects and arrays are written
/// as JSON in the spec, and default to empty).
fn example_value(field: &FieldSpec, name: &str) -> Value {
    match field.ty.as_str() {
        "object" | "array" => {
            let empty = if field.ty == "object" { json!({}) } else { json!([]) };
            field.example.as_deref().map_or(empty, |text| serde_json::from_str(text).expect("a JSON example"))
        }
        // A field without an example gets a value of its type.
        "decimal" => Value::String(field.example.clone().unwrap_or_else(|| "300.00".to_owned())),
        _ => Value::String(field.example.clone().unwrap_or_else(|| format!("example {name}"))),
    }
}

fn specs() -> Vec<EndpointSpec> {
    vexora_spec::load_all(&vexora_spec::workspace_spec_dir()).expect("the specs load").into_values().collect()
}

#[test]
fn every_spec_file_has_its_struct_and_agrees_with_it() {
    let specs = specs();
    assert_eq!(specs.len(), ENDPOINTS.len(), "the registry is generated from the same files");
    for spec in &specs {
        let checked = ENDPOINTS
            .iter()
            .find(|checked| checked.spec == spec.id())
            .unwrap_or_else(|| panic!("{} has no struct in the registry", spec.id()));
        assert_eq!(checked.path, spec.endpoint.path);
        let diff = (checked.check)(spec);
        assert!(diff.is_empty(), "{} disagrees with its structs:\n  {}", spec.id(), diff.join("\n  "));
    }
}

/// The checks can fail: a spec whose samples and data the structs do not
/// match is reported field by field.
#[test]
fn a_disagreeing_spec_is_reported_field_by_field() {
    let path = vexora_spec::workspace_spec_dir().join("taiwan/checkout.toml");
    let text = std::fs::read_to_string(&path).expect("spec file");
    let altered = text
        .replace(r#"valid = ["0912345678", "0200000000"]"#, r#"valid = ["0912345678", "+886912345678"]"#)
        .replace(r#"invalid = ["8080368988888888","#, r#"invalid = ["808-0368988888888","#);
    assert_ne!(altered, text);
    let spec = EndpointSpec::parse(&altered, &path).expect("still valid TOML");
    let checked = ENDPOINTS.iter().find(|checked| checked.spec == "taiwan/checkout").expect("registered");
    insta::assert_snapshot!((checked.check)(&spec).join("\n"));
}

/// A documented `data` field the response struct would drop is reported.
/// (Checkout and query data keep undocumented fields in `other`, so only a
/// struct without that catch-all, like the balance, can drop one.)
#[test]
fn a_data_field_the_struct_drops_is_reported() {
    let path = vexora_spec::workspace_spec_dir().join("taiwan/balance.toml");
    let text = std::fs::read_to_string(&path).expect("spec file");
    let altered = format!(
        "{text}\n[[data]]\nname = \"reservedAmount\"\nrequired = true\ntype = \"decimal\"\nexample = \"1.00\"\n\
         description = \"A field the struct does not have.\"\n"
    );
    let spec = EndpointSpec::parse(&altered, &path).expect("still valid TOML");
    let checked = ENDPOINTS.iter().find(|checked| checked.spec == "taiwan/balance").expect("registered");
    assert_eq!((checked.check)(&spec), ["data `reservedAmount`: in the spec, not kept by the response struct"]);
}

/// A documented `data` field the struct only keeps among its other fields
/// (the catch-all map) is reported: documented fields are typed.
#[test]
fn a_data_field_kept_only_in_the_catch_all_is_reported() {
    let path = vexora_spec::workspace_spec_dir().join("taiwan/query-pay-in-result.toml");
    let text = std::fs::read_to_string(&path).expect("spec file");
    let altered = format!(
        "{text}\n[[data]]\nname = \"settlementBatch\"\nrequired = false\ntype = \"string\"\nexample = \"B-7\"\n\
         description = \"A field the struct has no name for.\"\n"
    );
    let spec = EndpointSpec::parse(&altered, &path).expect("still valid TOML");
    let checked = ENDPOINTS.iter().find(|checked| checked.spec == "taiwan/query-pay-in-result").expect("registered");
    assert_eq!(
        (checked.check)(&spec),
        ["data `settlementBatch`: documented, but only kept among the other fields, not typed"]
    );
}
