//! `vexora checkout --json <FILE|->`.

use futures_lite::future::block_on;
use serde_json::{Map, Value};
use vexora::taiwan::CheckoutRequest;
use vexora::validation::{ValidationErrors, Violation};
use vexora::{Client, Error, Validate};

use crate::args::Invocation;
use crate::failure::Failure;
use crate::{input, settings};

/// Reads the checkout fields, validates them, sends, prints the response data.
pub fn run(invocation: &Invocation) -> Result<String, Failure> {
    let source = invocation.value("json").ok_or_else(|| Failure::invalid("checkout needs --json <FILE|->"))?;
    let request = parse_request(&input::read(source)?)?;
    // Validate before reading the configuration, so a bad order is reported
    // even where no credentials are set.
    request.validate().map_err(|errors| Failure::from(Error::Invalid(errors)))?;
    let client = Client::new(settings::config(invocation)?);
    let data = block_on(client.checkout(&request))?;
    Ok(super::to_json(&data))
}

/// A JSON object of checkout fields by wire name. `sign` and `timestamp`
/// are the SDK's to fill: their presence is a mistake worth naming.
pub fn parse_request(bytes: &[u8]) -> Result<CheckoutRequest, Failure> {
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
    serde_json::from_value(Value::Object(object)).map_err(|e| Failure::invalid(format!("invalid checkout fields: {e}")))
}
