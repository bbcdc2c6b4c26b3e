//! Every endpoint of `spec/`, sent through the real client to the
//! sandbox with a valid request built from its spec alone. No endpoint is
//! named here: they come from `vexora::for_each_endpoint!`, so a new spec
//! file and its struct are covered without touching this file.

use std::future::Future;
use std::pin::Pin;

use serde_json::{Map, Value};
use vexora::{Client, Endpoint};
use vexora_spec::{CallKind, EndpointKind, EndpointSpec, FieldSpec};
use vexora_tests::sandbox_config;

use crate::backends::Backend;

type Sent<'a> = Pin<Box<dyn Future<Output = Result<Value, String>> + Send + 'a>>;

/// Sends a JSON request as the endpoint's struct and returns its `data`.
struct Sender<T: 'static> {
    spec: &'static str,
    send: for<'a> fn(&'a Client<T>, Value) -> Sent<'a>,
}

fn send<E, T>(client: &Client<T>, request: Value) -> Sent<'_>
where
    E: Endpoint + serde::de::DeserializeOwned + Send + Sync + 'static,
    E::Response: serde::Serialize,
    T: vexora::transport::Transport,
{
    Box::pin(async move {
        let request: E = serde_json::from_value(request).map_err(|error| format!("not a request: {error}"))?;
        let data = client.send(&request).await.map_err(|error| error.to_string())?;
        serde_json::to_value(&data).map_err(|error| error.to_string())
    })
}

macro_rules! senders {
    ($(($request:ty, $spec:literal)),* $(,)?) => {
        fn senders<T: vexora::transport::Transport + 'static>() -> Vec<Sender<T>> {
            vec![$(Sender { spec: $spec, send: send::<$request, T> }),*]
        }
    };
}
vexora::for_each_endpoint!(senders);

/// A value every rule of `field` accepts: the value of something made
/// earlier (`known`, by wire name), else from the spec: a sample, the
/// document's example, the first allowed value, a value of its format, or
/// for an amount its minimum.
fn valid_value(field: &FieldSpec, known: &Known) -> String {
    if let Some(value) = known.get(field.name.as_str()) {
        return value.clone();
    }
    if let Some(sample) = field.samples.as_ref().and_then(|samples| samples.valid.first()) {
        return sample.clone();
    }
    if let Some(example) = &field.example {
        return example.clone();
    }
    if let Some(first) = field.rules.one_of.as_ref().and_then(|values| values.first()) {
        return first.clone();
    }
    match field.rules.format.as_deref() {
        Some("email") => "payer@example.com".to_owned(),
        Some("ip") => "203.0.113.7".to_owned(),
        Some("http_url") => "https://merchant.example/vexora".to_owned(),
        _ if field.rules.digits => "1".to_owned(),
        // An amount: the smallest the spec allows.
        _ if field.ty == "decimal" => field.rules.min_amount.clone().unwrap_or_else(|| "1".to_owned()),
        _ => "sample".to_owned(),
    }
}

/// Values the sandbox made or must see again, by wire name: the
/// `tradeNo` to use, the `platFormTradeNo` and `kycNumber` it returned.
type Known = std::collections::BTreeMap<String, String>;

/// Every field the spec requires, and each `required_if` field whose
/// condition the required ones meet.
fn valid_request(spec: &EndpointSpec, known: &Known) -> Value {
    let merchant_fields = || spec.request.iter().filter(|field| field.is_merchant_supplied());
    let mut request = Map::new();
    for field in merchant_fields().filter(|field| field.required) {
        request.insert(field.name.clone(), Value::from(valid_value(field, known)));
    }
    for field in merchant_fields() {
        let Some(condition) = &field.required_if else { continue };
        if request.get(&condition.field).and_then(Value::as_str).is_some_and(|value| condition.holds_for(value)) {
            request.insert(field.name.clone(), Value::from(valid_value(field, known)));
        }
    }
    Value::Object(request)
}

async fn every_endpoint_answers_a_valid_request<B: Backend>() {
    // An opening balance, so the payouts have something to pay out.
    let config = vexora_sandbox::SandboxConfig::default().opening_balance(vexora_sandbox::TEST_MERCHANT_NO, 1_000_000);
    let sandbox = vexora_sandbox::Sandbox::start(config).await.expect("the sandbox");
    let specs = vexora_spec::load_all(&vexora_spec::workspace_spec_dir()).expect("the specs load");
    let mut specs: Vec<&EndpointSpec> = specs.values().collect();
    // Creates first, so the reads find what they made; submits after the
    // checkouts whose orders they name.
    specs.sort_by_key(|spec| (spec.endpoint.call != CallKind::Create, spec.endpoint.kind == EndpointKind::Submit));
    let senders = senders::<B::Transport>();
    assert_eq!(senders.len(), specs.len());
    // The last order each region created, by what it is (pay-in or payout):
    // `(tradeNo, platFormTradeNo)`, for the requests that read it. Every
    // create has its own `tradeNo`, as the gateway requires.
    let mut orders: std::collections::BTreeMap<(&str, bool), (String, Option<String>)> =
        std::collections::BTreeMap::new();
    // The last order of any region, by what it is: a query whose region has
    // no create of its kind (South Korea's payout query, Colombia's queries)
    // reads it, as the sandbox keeps one book per merchant.
    let mut last: std::collections::BTreeMap<bool, (String, Option<String>)> = std::collections::BTreeMap::new();
    // The last identity check each region accepted.
    let mut kyc_numbers: std::collections::BTreeMap<&str, String> = std::collections::BTreeMap::new();
    // What a create of a kind no code names made, by the read that finds
    // it: the values of its keys.
    let mut by_read: std::collections::BTreeMap<(&str, &str), Known> = std::collections::BTreeMap::new();
    for spec in specs {
        let region = &spec.endpoint.region;
        let kind = spec.endpoint.kind.known();
        let payout = matches!(kind, Some(EndpointKind::Payout | EndpointKind::PayoutQuery));
        let made = orders.get(&(region.as_str(), payout)).or_else(|| {
            last.get(&payout).filter(|_| matches!(kind, Some(EndpointKind::PayInQuery | EndpointKind::PayoutQuery)))
        });
        let trade_no = match made {
            Some((trade_no, _)) if spec.endpoint.call == CallKind::Read || kind == Some(EndpointKind::Submit) => {
                trade_no.clone()
            }
            _ => format!("EVERY{}{}", region, spec.endpoint.name.replace('-', "")),
        };
        let client = Client::with_transport(
            sandbox_config(sandbox.base_url(region)).build().expect("valid configuration"),
            B::transport(),
        );
        let sender = senders.iter().find(|sender| sender.spec == spec.id()).expect("every spec has a sender");
        let mut known = Known::from([("tradeNo".to_owned(), trade_no.clone())]);
        if let Some(id) = made.and_then(|(_, id)| id.clone()) {
            known.insert("platFormTradeNo".to_owned(), id);
        }
        if let Some(number) = kyc_numbers.get(region.as_str()) {
            known.insert("kycNumber".to_owned(), number.clone());
        }
        if let Some(keys) = by_read.get(&(region.as_str(), spec.endpoint.name.as_str())) {
            known.extend(keys.clone());
        }
        let data = (sender.send)(&client, valid_request(spec, &known))
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", spec.id()));
        if let (None, Some(read)) = (kind, &spec.endpoint.reconcile_with) {
            let keys = spec.keys().into_iter().filter_map(|key| spec.request_field(key));
            let values = keys.map(|field| (field.name.clone(), valid_value(field, &known))).collect();
            by_read.insert((region.as_str(), read.as_str()), values);
        }
        let makes_an_order = kind.is_some_and(|kind| kind.reconciled_by().is_some());
        if spec.endpoint.call == CallKind::Create && makes_an_order {
            let id = data["platFormTradeNo"].as_str().map(str::to_owned);
            orders.insert((region.as_str(), payout), (trade_no.clone(), id.clone()));
            last.insert(payout, (trade_no.clone(), id));
        }
        if let Some(number) = data.get("kycNumber").and_then(Value::as_str) {
            kyc_numbers.insert(region.as_str(), number.to_owned());
        }
        // The answer is about this record: its `tradeNo`, and every other
        // key it carries.
        for key in spec.keys().into_iter().filter(|key| *key == "tradeNo" || data.get(key).is_some()) {
            let field = spec.request_field(key).expect("a key is a request field");
            assert_eq!(data[key], valid_value(field, &known), "{}: the answer is about this record", spec.id());
        }
    }
}

on_every_backend!(every_endpoint_answers_a_valid_request);

/// A request reaches only a client of its own region: through any other,
/// it is refused before anything is sent.
#[test]
fn a_request_of_another_region_is_never_sent() {
    let transport = vexora::transport::RecordingTransport::new();
    let config = sandbox_config("https://gateway.example/japan").build().expect("valid configuration");
    let client = Client::with_transport(config, transport.clone());
    let taiwan = vexora::taiwan::PayInQueryRequest::new("T1");
    match futures_lite::future::block_on(client.send(&taiwan)) {
        Err(vexora::Error::WrongRegion { request: "taiwan", client }) => assert_eq!(client, "japan"),
        other => panic!("expected a wrong region, got {other:?}"),
    }
    assert!(matches!(client.prepare(&taiwan), Err(vexora::Error::WrongRegion { .. })));
    assert!(transport.requests().is_empty(), "nothing was sent");
    let japan = vexora::japan::PayInQueryRequest::builder().trade_no("T1").build();
    assert!(client.prepare(&japan).is_ok());
}

/// What the offline checks need of an endpoint, by type.
struct Offline {
    spec: &'static str,
    /// The request's HTTP text as a recording client prepares it.
    prepare: fn(Value) -> Result<vexora::transport::HttpRequest, String>,
    /// `(field, code)` of every violation, or the parse error as one.
    violations: fn(Value) -> Vec<(String, String)>,
}

fn prepare<E: Endpoint + serde::de::DeserializeOwned>(
    request: Value,
) -> Result<vexora::transport::HttpRequest, String> {
    let request: E = serde_json::from_value(request).map_err(|error| format!("not a request: {error}"))?;
    let (client, _) = vexora_tests::recording_client(E::REGION);
    client.prepare(&request).map_err(|error| error.to_string())
}

fn violations<E: Endpoint + serde::de::DeserializeOwned>(request: Value) -> Vec<(String, String)> {
    match serde_json::from_value::<E>(request) {
        Err(error) => vec![("<parse>".to_owned(), error.to_string())],
        Ok(request) => request.validate().err().map_or_else(Vec::new, |errors| {
            errors.violations().iter().map(|violation| (violation.field.clone(), violation.code.clone())).collect()
        }),
    }
}

macro_rules! offline {
    ($(($request:ty, $spec:literal)),* $(,)?) => {
        const OFFLINE: &[Offline] = &[$(Offline { spec: $spec, prepare: prepare::<$request>, violations: violations::<$request> }),*];
    };
}
vexora::for_each_endpoint!(offline);

fn offline(spec: &EndpointSpec) -> &'static Offline {
    OFFLINE.iter().find(|offline| offline.spec == spec.id()).expect("every spec has its struct")
}

fn all_specs() -> Vec<EndpointSpec> {
    vexora_spec::load_all(&vexora_spec::workspace_spec_dir()).expect("the specs load").into_values().collect()
}

/// Every endpoint's exact request, locked by a snapshot, its signature
/// recomputed here by the test suite's own signer over the body sent.
#[test]
fn every_endpoint_has_a_wire_snapshot_signed_as_the_reference_signs() {
    for spec in all_specs() {
        let known = Known::from([
            ("tradeNo".into(), "WIRE00000001".into()),
            ("platFormTradeNo".into(), "wire0platform01".into()),
        ]);
        let request = valid_request(&spec, &known);
        let prepared = (offline(&spec).prepare)(request).unwrap_or_else(|error| panic!("{}: {error}", spec.id()));
        let body: Map<String, Value> = serde_json::from_slice(&prepared.body).expect("a JSON object");
        let sign = vexora_tests::md5_hex(&vexora_tests::generic_canonical(&body), vexora_tests::SECRET);
        assert_eq!(body["sign"], sign, "{}: the reference signer disagrees", spec.id());
        insta::assert_snapshot!(spec.id().replace('/', "__"), vexora_tests::render_http(&prepared));
    }
}

/// Each rule of each endpoint, broken alone in an otherwise valid request,
/// is reported on its field before anything is sent.
#[test]
fn every_rule_of_every_endpoint_is_reported_on_its_field() {
    let mut checked = 0;
    for spec in all_specs() {
        let known = Known::from([
            ("tradeNo".into(), "RULES0000001".into()),
            ("platFormTradeNo".into(), "rules0platform1".into()),
        ]);
        let valid = valid_request(&spec, &known);
        let check = offline(&spec).violations;
        assert_eq!(check(valid.clone()), [], "{}: the valid request", spec.id());
        for field in spec.request.iter().filter(|field| field.is_merchant_supplied()) {
            let mut broken: Vec<(Value, &str)> = Vec::new();
            if field.required {
                let mut request = valid.clone();
                request.as_object_mut().expect("an object").remove(&field.name);
                broken.push((request, "required"));
            }
            if let Some(condition) = &field.required_if {
                let mut request = valid.clone();
                let object = request.as_object_mut().expect("an object");
                object.insert(condition.field.clone(), Value::from(condition.values()[0]));
                object.remove(&field.name);
                broken.push((request, "required_if"));
            }
            let wrong = match field.rules.format.as_deref() {
                Some("email") => Some(("not an email", "email")),
                Some("http_url") => Some(("ftp://not.http", "url")),
                Some("ip") => Some(("999.1.1.1", "ip")),
                _ => field.rules.one_of.as_ref().map(|_| ("NOT_A_DOCUMENTED_VALUE", "one_of")),
            };
            if let Some((value, code)) = wrong {
                let mut request = valid.clone();
                request.as_object_mut().expect("an object").insert(field.name.clone(), Value::from(value));
                broken.push((request, code));
            }
            for (request, code) in broken {
                let found = check(request);
                let named = found.iter().any(|(name, got)| name == &field.name && got == code)
                    || found.iter().any(|(name, message)| name == "<parse>" && message.contains(&field.name));
                assert!(named, "{}: `{}` broken for {code}: {found:?}", spec.id(), field.name);
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} rules checked");
}
