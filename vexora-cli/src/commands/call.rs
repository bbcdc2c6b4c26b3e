//! `vexora call <region>/<name> --json <FILE|->`: any endpoint of the SDK's
//! spec files, by the name of its spec, with no code per endpoint: the
//! endpoints come from `vexora::for_each_endpoint!`.

use futures_lite::future::block_on;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use vexora::validation::{ValidationErrors, Violation};
use vexora::{Client, Endpoint, Error};

use crate::args::Settings;
use crate::failure::Failure;
use crate::reconcile::{NotReconciled as _, Probe, ReconciledBy as _};
use crate::settings::config;
use crate::{input, json};

/// Reads the fields from `source` (a file or `-`), validates them, sends,
/// prints the response `data`.
pub fn run(endpoint: &str, source: &str, settings: &Settings) -> Result<String, Failure> {
    call(endpoint, &input::read(source)?, settings)
}

/// Sends the JSON object `fields` as the request of the endpoint whose spec
/// is `endpoint` (`taiwan/checkout`).
fn call(endpoint: &str, fields: &[u8], settings: &Settings) -> Result<String, Failure> {
    macro_rules! dispatch {
        ($(($request:ty, $spec:literal)),* $(,)?) => {
            match endpoint {
                $($spec => send::<$request>(fields, settings, (&Probe::<$request>::new()).read()),)*
                _ => Err(Failure::invalid(format!(
                    "no endpoint {endpoint:?}; the SDK has {}",
                    [$($spec),*].join(", ")
                ))),
            }
        };
    }
    vexora::for_each_endpoint!(dispatch)
}

/// Sends `fields` as an `E`; `read` is the read that finds what `E` made
/// after an unknown outcome, if its spec names one.
fn send<E>(fields: &[u8], settings: &Settings, read: Option<&str>) -> Result<String, Failure>
where
    E: Endpoint + DeserializeOwned,
    E::Response: Serialize,
{
    let request: E = parse_request(fields, E::SPEC)?;
    // Validated before the configuration is read, so a bad request is
    // reported even where no credentials are set.
    request.validate().map_err(|errors| Failure::from(Error::Invalid(errors)))?;
    let client = Client::new(config(settings)?);
    let data = block_on(client.send(&request)).map_err(|error| Failure::of_call(error, E::SPEC, read))?;
    Ok(super::to_json(&data))
}

/// A JSON object of request fields by wire name, each key once. `sign` and
/// `timestamp` are the SDK's to fill: their presence is a mistake worth naming.
fn parse_request<E: DeserializeOwned>(bytes: &[u8], spec: &str) -> Result<E, Failure> {
    let Value::Object(object) =
        json::parse(bytes).map_err(|e| Failure::invalid(format!("input is not valid JSON: {e}")))?
    else {
        return Err(Failure::invalid("input is not a JSON object"));
    };
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

/// `query --trade-no <NO>`: `call taiwan/query-pay-in-result`.
pub fn query(trade_no: &str, settings: &Settings) -> Result<String, Failure> {
    let fields = serde_json::json!({ "tradeNo": trade_no }).to_string();
    call("taiwan/query-pay-in-result", fields.as_bytes(), settings)
}

/// `balance`: `call taiwan/balance`.
pub fn balance(settings: &Settings) -> Result<String, Failure> {
    call("taiwan/balance", b"{}", settings)
}
