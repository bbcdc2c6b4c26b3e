//! No create moves nothing: every amount field of every create endpoint
//! refuses `0`, `0.00` and `000`, in the SDK's validator and in the
//! sandbox's, both driven by `spec/`.
//!
//! The spec format has no money type (every request value's `type` is
//! `string`), so an **amount field** is one whose wire name is `amount` or
//! ends with `Amount` (`orderAmount`). Endpoints are found through the
//! registry (`vexora::for_each_endpoint!`) and the spec files themselves:
//! there is no list to keep here.

use serde_json::{Map, Value, json};
use vexora::{Endpoint, Validate};
use vexora_sandbox::{SandboxConfig, TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};
use vexora_spec::{CallKind, EndpointSpec};
use vexora_tests::{generic_canonical, md5_hex};

/// Spellings of nothing.
const ZEROES: [&str; 3] = ["0", "0.00", "000"];

fn is_amount_field(name: &str) -> bool {
    name == "amount" || name.ends_with("Amount")
}

/// Every create's spec, with its amount fields.
fn creates() -> Vec<(EndpointSpec, Vec<String>)> {
    let specs = vexora_spec::load_all(&vexora_spec::workspace_spec_dir()).expect("the spec files load");
    specs
        .into_values()
        .filter(|spec| spec.endpoint.call == CallKind::Create)
        .map(|spec| {
            let amounts = spec
                .request
                .iter()
                .filter(|field| field.is_merchant_supplied() && is_amount_field(&field.name))
                .map(|field| field.name.clone())
                .collect();
            (spec, amounts)
        })
        .collect()
}

#[test]
fn the_registry_has_creates_with_amounts() {
    let creates = creates();
    let with_amounts = creates.iter().filter(|(_, amounts)| !amounts.is_empty()).count();
    // Guards the test below against finding nothing to check.
    assert!(with_amounts >= 30, "only {with_amounts} creates with an amount field");
}

#[test]
fn the_sandbox_refuses_a_zero_amount_in_every_create() {
    let judge = vexora_sandbox::offline_judge(&SandboxConfig::default()).expect("the sandbox's specs load");
    let mut accepted = Vec::new();
    for (spec, amounts) in creates() {
        let route = format!("/{}{}", spec.endpoint.region, spec.endpoint.path);
        for field in &amounts {
            for zero in ZEROES {
                let mut body = Map::new();
                body.insert(field.clone(), json!(zero));
                body.insert("timestamp".into(), json!(now_ms().to_string()));
                let sign = md5_hex(&generic_canonical(&body), TEST_MERCHANT_SECRET);
                body.insert("sign".into(), json!(sign));
                let body = Value::Object(body).to_string();
                let answers = judge(&[(route.as_str(), TEST_MERCHANT_NO, body.as_bytes())]);
                let envelope: Value = serde_json::from_slice(&answers[0].body).expect("an envelope");
                let message = envelope["msg"].as_str().unwrap_or_default();
                // Judged by the spec's rules (9004), with one for this field.
                let refused = envelope["code"] == "9004"
                    && message.split("; ").any(|violation| violation.starts_with(&format!("{field}: must")));
                if !refused {
                    accepted.push(format!("{} {field}={zero:?}: {message}", spec.id()));
                }
            }
        }
    }
    assert!(accepted.is_empty(), "the sandbox takes a zero amount:\n{}", accepted.join("\n"));
}

/// What the SDK does with each zero, for one request type.
struct Checked {
    spec: &'static str,
    refuses: fn(&str, &str) -> bool,
}

macro_rules! checked {
    ($(($request:ty, $spec:literal)),* $(,)?) => {
        &[$(Checked { spec: $spec, refuses: refuses::<$request> }),*]
    };
}

const ENDPOINTS: &[Checked] = vexora::for_each_endpoint!(checked);

/// Whether the SDK refuses `value` in `field`: it cannot be read into the
/// request, or validating it names the field.
fn refuses<E: Endpoint + serde::de::DeserializeOwned + Validate>(field: &str, value: &str) -> bool {
    let request = Value::Object(Map::from_iter([(field.to_owned(), json!(value))]));
    match serde_json::from_value::<E>(request) {
        Err(_) => true,
        Ok(request) => request
            .validate()
            .err()
            .is_some_and(|errors| errors.violations().iter().any(|violation| violation.field == field)),
    }
}

#[test]
fn the_sdk_refuses_a_zero_amount_in_every_create() {
    let mut accepted = Vec::new();
    for (spec, amounts) in creates() {
        let id = spec.id();
        let checked = ENDPOINTS.iter().find(|checked| checked.spec == id).expect("every spec has its struct");
        for field in &amounts {
            accepted.extend(
                ZEROES
                    .iter()
                    .filter(|zero| !(checked.refuses)(field, zero))
                    .map(|zero| format!("{id} {field}={zero:?}")),
            );
        }
    }
    assert!(accepted.is_empty(), "the SDK takes a zero amount:\n{}", accepted.join("\n"));
}

#[test]
fn every_amount_field_of_a_create_has_a_rule_that_refuses_zero() {
    // The spec itself says so, for any other validator that reads it.
    let mut ruleless = Vec::new();
    for (spec, amounts) in creates() {
        for field in amounts.iter().filter_map(|name| spec.request_field(name)) {
            let rules = &field.rules;
            let by_minimum =
                rules.min_amount.as_deref().is_some_and(|min| min.bytes().any(|b| (b'1'..=b'9').contains(&b)));
            let by_pattern = rules.pattern.as_deref() == Some("^[1-9][0-9]*$");
            if !by_minimum && !by_pattern {
                ruleless.push(format!("{} {}", spec.id(), field.name));
            }
        }
    }
    assert!(ruleless.is_empty(), "amount fields with no rule refusing 0:\n{}", ruleless.join("\n"));
}

fn now_ms() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970");
    i64::try_from(since.as_millis()).expect("fits")
}

#[test]
fn is_amount_field_reads_names() {
    for name in ["amount", "orderAmount", "payAmount"] {
        assert!(is_amount_field(name), "{name}");
    }
    for name in ["amounts", "mobile", "amountType"] {
        assert!(!is_amount_field(name), "{name}");
    }
}
