//! `vexora call <region>/<name> --json <FILE|->`: any endpoint of the SDK's
//! spec files, by the name of its spec, with no code per endpoint: the
//! endpoints come from `vexora::for_each_endpoint!`.

use futures_lite::future::block_on;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use vexora::validation::{ValidationErrors, Violation};
use vexora::{Client, Endpoint, Error};

use crate::args::Invocation;
use crate::failure::Failure;
use crate::{input, settings};

/// Reads the fields, validates them, sends, prints the response `data`.
pub fn run(invocation: &Invocation) -> Result<String, Failure> {
    let endpoint =
        invocation.target().ok_or_else(|| Failure::invalid("call needs an endpoint: call <region>/<name>"))?;
    let source = invocation.value("json").ok_or_else(|| Failure::invalid("call needs --json <FILE|->"))?;
    call(endpoint, &input::read(source)?, invocation)
}

/// Sends the JSON object `fields` as the request of the endpoint whose spec
/// is `endpoint` (`taiwan/checkout`).
pub fn call(endpoint: &str, fields: &[u8], invocation: &Invocation) -> Result<String, Failure> {
    macro_rules! dispatch {
        ($(($request:ty, $spec:literal)),* $(,)?) => {
            match endpoint {
                $($spec => send::<$request>(fields, invocation),)*
                _ => Err(Failure::invalid(format!(
                    "no endpoint {endpoint:?}; the SDK has {}",
                    [$($spec),*].join(", ")
                ))),
            }
        };
    }
    vexora::for_each_endpoint!(dispatch)
}

fn send<E>(fields: &[u8], invocation: &Invocation) -> Result<String, Failure>
where
    E: Endpoint + DeserializeOwned,
    E::Response: Serialize,
{
    let request: E = parse_request(fields, E::SPEC)?;
    // Validated before the configuration is read, so a bad request is
    // reported even where no credentials are set.
    request.validate().map_err(|errors| Failure::from(Error::Invalid(errors)))?;
    let client = Client::new(settings::config(invocation)?);
    let data = block_on(client.send(&request))?;
    Ok(super::to_json(&data))
}

/// A JSON object of request fields by wire name. `sign` and `timestamp`
/// are the SDK's to fill: their presence is a mistake worth naming.
fn parse_request<E: DeserializeOwned>(bytes: &[u8], spec: &str) -> Result<E, Failure> {
    let object: Map<String, Value> =
        serde_json::from_slice(bytes).map_err(|e| Failure::invalid(format!("input is not a JSON object: {e}")))?;
    let reserved: Vec<Violation> = ["sign", "timestamp"]
        .into_iter()
        .filter(|field| object.contains_key(*field))
        .map(|field| Violation::new(field, "supplied_by_client", "is added by the SDK when sending; remove it"))
        .collect();
    if !reserved.is_empty() {
        return Err(Error::Invalid(ValidationErrors::from_violations(reserved)).into());
    }
    serde_json::from_value(Value::Object(object)).map_err(|e| Failure::invalid(format!("invalid {spec} fields: {e}")))
}

/// `checkout --json <FILE|->`: `call taiwan/checkout`.
pub fn checkout(invocation: &Invocation) -> Result<String, Failure> {
    let source = invocation.value("json").ok_or_else(|| Failure::invalid("checkout needs --json <FILE|->"))?;
    call("taiwan/checkout", &input::read(source)?, invocation)
}

/// `payout --json <FILE|->`: `call taiwan/payout`.
pub fn payout(invocation: &Invocation) -> Result<String, Failure> {
    let source = invocation.value("json").ok_or_else(|| Failure::invalid("payout needs --json <FILE|->"))?;
    call("taiwan/payout", &input::read(source)?, invocation)
}

/// `query --trade-no <NO>`: `call taiwan/query-pay-in-result`.
pub fn query(invocation: &Invocation) -> Result<String, Failure> {
    let trade_no = invocation.value("trade-no").ok_or_else(|| Failure::invalid("query needs --trade-no <NO>"))?;
    let fields = serde_json::json!({ "tradeNo": trade_no }).to_string();
    call("taiwan/query-pay-in-result", fields.as_bytes(), invocation)
}

/// `balance`: `call taiwan/balance`.
pub fn balance(invocation: &Invocation) -> Result<String, Failure> {
    call("taiwan/balance", b"{}", invocation)
}
