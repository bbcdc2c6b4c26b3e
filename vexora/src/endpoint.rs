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
/// the read that finds it by `tradeNo` (`reconcile_with`), and
/// [`Client::reconcile`](crate::Client::reconcile) sends that read.
///
/// Implemented by `#[derive(Signable)]` from the spec file.
pub trait Reconcilable: Endpoint {
    /// The read that finds what this call created.
    type Query: ByTradeNo;

    /// The `tradeNo` this request created (or may have created).
    fn trade_no(&self) -> &TradeNo;
}

/// A read of one order by the merchant's `tradeNo` (a pay-in or payout
/// query), built from the number alone.
///
/// Implemented by `#[derive(Signable)]` for specs of those kinds.
pub trait ByTradeNo: Endpoint {
    /// The query for `trade_no`.
    fn by_trade_no(trade_no: TradeNo) -> Self;
}
