//! The one error type of the SDK, with variants a caller can act on.

use crate::config::ConfigError;
use crate::transport::TransportError;
use crate::validation::ValidationErrors;

/// Why a call did not produce its typed result.
///
/// | variant | was anything sent? | what to do |
/// |---|---|---|
/// | [`Error::Invalid`] | no | fix the named fields |
/// | [`Error::Config`] | no | fix the named setting (a call's deadline) |
/// | [`Error::WrongRegion`] | no | send it through a client of its region |
/// | [`Error::Refused`] | yes, and refused | read `code`/`msg`; the order was not created |
/// | [`Error::Transport`] | maybe (reads only; a create's becomes `OutcomeUnknown`) | retry later |
/// | [`Error::BadResponse`] | yes (reads only; a create's becomes `OutcomeUnknown`) | the answer was not the gateway's verdict (a non-2xx, or unreadable) |
/// | [`Error::AnswerForAnotherRecord`] | yes (reads only, after retries; a create's becomes `OutcomeUnknown`) | the answer named another `tradeNo`: never read it as this one's |
/// | [`Error::TimedOutAfterRetries`] | yes (reads only) | `cause` says why the read was retried |
/// | [`Error::OutcomeUnknown`] | yes, and it may have taken effect | [`Client::reconcile`](crate::Client::reconcile), then retry with the same `tradeNo` only if no order exists |
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request broke validation rules; nothing was sent.
    #[error("invalid request, nothing was sent: {0}")]
    Invalid(#[from] ValidationErrors),

    /// A setting of the client or of this call cannot work (a deadline
    /// under [`Config::MIN_TIMEOUT`](crate::Config::MIN_TIMEOUT)); nothing was sent.
    #[error("unusable setting, nothing was sent: {0}")]
    Config(#[from] ConfigError),

    /// The request belongs to another region than the client: its base URL
    /// names a region (`…/taiwan`) and a region's requests (fields, rules,
    /// currency) only go there. Nothing was sent.
    #[error("a {request} request cannot be sent through a client for {client}: its base URL names another region")]
    WrongRegion {
        /// The request's region.
        request: &'static str,
        /// The region the client's base URL ends with.
        client: String,
    },

    /// The gateway answered HTTP 2xx with a string `code` other than `0000`.
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

    /// The answer was not a verdict of the gateway's: a status other than
    /// 2xx (a redirect, a proxy's error page, even one with a JSON `code`),
    /// or a 2xx body that is not a well-formed envelope.
    #[error("undecodable response (HTTP {status}): {reason}; body starts with {excerpt:?}")]
    BadResponse {
        /// The HTTP status.
        status: u16,
        /// What was wrong with it.
        reason: String,
        /// The start of the body (at most 200 characters), for diagnosis.
        excerpt: String,
    },

    /// The answer's `data` names another record than the request: its
    /// `tradeNo` (or `kycNumber`) is not the one sent. A caching proxy, a
    /// gateway bug or a misrouted answer can do that; read as the answer,
    /// it would give this order another's status. A read that gets one is
    /// retried; a create that gets one is [`Error::OutcomeUnknown`].
    #[error("the answer is about {key} {answered:?}, not the {sent:?} that was sent")]
    AnswerForAnotherRecord {
        /// The key's wire name, e.g. `tradeNo`.
        key: &'static str,
        /// The value the request sent.
        sent: String,
        /// The value the answer carries.
        answered: String,
    },

    /// A read was retried and the call's deadline ran out on a later attempt
    /// (it timed out, or too little time was left to start another). The
    /// final timeout says little; `cause` is the last failure before it (a
    /// `503`, a `5000`, a reset), the reason the read was retried.
    #[error("no answer within the deadline after {attempts} attempts; the last failure before it: {cause}")]
    TimedOutAfterRetries {
        /// Attempts made, the timed-out one included.
        attempts: u32,
        /// The last failure that was not a timeout.
        cause: Box<Error>,
    },

    /// A call that creates money movement (a checkout) failed after the
    /// request may have reached the gateway: the order may or may not exist.
    /// The SDK never resends such a call on its own. Reconcile with
    /// [`Client::reconcile`](crate::Client::reconcile) for these keys, and
    /// retry with the **same** keys only if nothing was made.
    #[error("outcome unknown for {keys}: {cause}; query it before retrying")]
    OutcomeUnknown {
        /// Every key of the request (its `tradeNo`, and any other key its
        /// spec names): what to reconcile with.
        keys: crate::RecordKeys,
        /// What went wrong.
        cause: Box<Error>,
    },
}
