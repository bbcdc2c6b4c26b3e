//! What makes a request struct an endpoint of the gateway.

use serde::de::DeserializeOwned;

use crate::validation::Validate;
use crate::wire::Signable;

/// A request the [`Client`](crate::Client) can send.
///
/// Implemented by `#[derive(Signable)]` from the container attribute
/// `#[vexora(endpoint = "/v1/vexora/...", response = DataType)]`.
pub trait Endpoint: Signable + Validate {
    /// The path below the configured base URL, e.g. `/v1/vexora/checkout`.
    const PATH: &'static str;

    /// The type of the response envelope's `data`.
    type Response: DeserializeOwned;
}
