//! The one error type of the SDK, with variants a caller can act on.

use crate::transport::TransportError;
use crate::validation::ValidationErrors;

/// Why a call did not produce its typed result.
///
/// | variant | was anything sent? | what to do |
/// |---|---|---|
/// | [`Error::Invalid`] | no | fix the named fields |
/// | [`Error::Refused`] | yes, and refused | read `code`/`msg`; the order was not created |
/// | [`Error::Transport`] | maybe (reads only; a create's becomes `OutcomeUnknown`) | retry later |
/// | [`Error::BadResponse`] | yes | the gateway answered something unreadable |
/// | [`Error::OutcomeUnknown`] | yes, and it may have taken effect | [`Client::reconcile`](crate::Client::reconcile), then retry with the same `tradeNo` only if no order exists |
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request broke validation rules; nothing was sent.
    #[error("invalid request, nothing was sent: {0}")]
    Invalid(#[from] ValidationErrors),

    /// The gateway answered with a `code` other than `0000`.
    #[error("the gateway refused the request: code {code}: {msg}")]
    Refused {
        /// The gateway's code, e.g. `"5000"`.
        code: String,
        /// The gateway's message.
        msg: String,
    },

    /// The exchange failed in the transport.
    #[error(transparent)]
    Transport(#[from] TransportError),

    /// The gateway's answer could not be decoded.
    #[error("undecodable response (HTTP {status}): {reason}; body starts with {excerpt:?}")]
    BadResponse {
        /// The HTTP status.
        status: u16,
        /// What was wrong with it.
        reason: String,
        /// The start of the body (at most 200 characters), for diagnosis.
        excerpt: String,
    },

    /// A call that creates money movement (a checkout) failed after the
    /// request may have reached the gateway: the order may or may not exist.
    /// The SDK never resends such a call on its own. Reconcile with
    /// [`Client::reconcile`](crate::Client::reconcile) for this `tradeNo`,
    /// and retry with the **same** `tradeNo` only if no order exists.
    #[error("outcome unknown for tradeNo {}: {cause}; query it before retrying", .trade_no.as_deref().unwrap_or("(none)"))]
    OutcomeUnknown {
        /// The request's `tradeNo`, the key to reconcile with.
        trade_no: Option<String>,
        /// What went wrong.
        cause: Box<Error>,
    },
}
