//! What makes a request struct an endpoint of the gateway.

use serde::de::DeserializeOwned;

use crate::types::TradeNo;
use crate::validation::Validate;
use crate::wire::Signable;

/// A request the [`Client`](crate::Client) can send.
///
/// Implemented by `#[derive(Signable)]` from the container attribute
/// `#[vexora(spec = "region/name", response = DataType)]`: the path and
/// the call kind come from `spec/<region>/<name>.toml`, which the struct's
/// fields are checked against while it compiles.
pub trait Endpoint: Signable + Validate {
    /// The spec file that describes it, as `region/name`.
    const SPEC: &'static str;

    /// The region slug of the provider's URLs, e.g. `taiwan`.
    const REGION: &'static str;

    /// The path below the configured base URL, e.g. `/v1/vexora/checkout`.
    const PATH: &'static str;

    /// Whether the call only reads or creates money movement, which decides
    /// when the client may send it again.
    const CALL: CallKind;

    /// The wire names of the request fields that identify the record it is
    /// about (its spec's `keys`): what a create makes, or what a read reads.
    /// An answer that names another value under one of them is not this
    /// request's answer.
    const KEYS: &'static [&'static str];

    /// The type of the response envelope's `data`.
    type Response: DeserializeOwned;
}

/// What a call does, which decides whether it may be sent again.
///
/// The gateway documents no idempotency key, so a request that may have
/// created an order or a payout must never be resent on a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallKind {
    /// Only reads (queries, balance): retried on transport failures, any
    /// non-2xx answer but a redirect, and gateway code `5000`, each attempt
    /// stamped and signed anew.
    Read,
    /// Creates money movement (checkout, payouts): retried only when the
    /// request provably never left the machine; any ambiguous failure is
    /// [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown).
    Create,
}

/// A create whose outcome can be looked up after
/// [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown): its spec names
/// the read that finds it by its keys (`reconcile_with`), and
/// [`Client::reconcile`](crate::Client::reconcile) sends that read, built
/// from the create's own key fields.
///
/// Implemented by `#[derive(Signable)]` from the spec file.
pub trait Reconcilable: Endpoint {
    /// The read that finds what this call created.
    type Query: ByKeys;
}

/// A read built from the keys of the record it reads: the read that finds
/// what a create made, whatever its keys (a `tradeNo`, or a `tradeNo` and
/// a `refundNo`).
///
/// Implemented by `#[derive(Signable)]` for every read whose fields are
/// exactly its keys.
pub trait ByKeys: Endpoint {
    /// The read of the record whose keys `keys` gives, by wire name; a key
    /// it lacks is left empty, which validation then refuses by name.
    fn by_keys(keys: &dyn KeyValues) -> Self;
}

/// Record keys by wire name: [`RecordKeys`](crate::RecordKeys), or a
/// merchant's books.
pub trait KeyValues {
    /// The value of the key `wire_name`, if there is one.
    fn value_of(&self, wire_name: &str) -> Option<&str>;
}

/// A field type a record key can be read into, from its wire text.
pub trait FromKey {
    /// The field's value for the key's wire text.
    fn from_key(text: &str) -> Self;
}

impl FromKey for String {
    fn from_key(text: &str) -> Self {
        text.to_owned()
    }
}

impl FromKey for TradeNo {
    fn from_key(text: &str) -> Self {
        TradeNo::new(text)
    }
}
