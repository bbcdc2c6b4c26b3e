//! Why a notification was not accepted.

/// Why [`verify`](super::verify) refused a notification.
///
/// **Every variant means: do not acknowledge.** Reply with anything but the
/// plain-text `OK` of [`Acknowledgement`](super::Acknowledgement) (for
/// example HTTP 400 with the body `FAIL`) and do not touch the order. The
/// gateway then retries on its schedule
/// ([`GATEWAY_RETRY_DELAYS`](super::GATEWAY_RETRY_DELAYS)); if every retry
/// fails the same way, settle the order with the query API instead.
///
/// No variant carries the app secret, the expected signature or the received
/// one, so the error can be logged as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotificationError {
    /// The body is larger than [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES); it
    /// was refused before parsing. Reply non-OK.
    #[error("notification body is {len} bytes, more than the {max} accepted")]
    TooLarge {
        /// The body's length in bytes.
        len: usize,
        /// The limit, [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES).
        max: usize,
    },

    /// The body is not JSON text (bad syntax, invalid UTF-8, empty, or
    /// something after the object). Reply non-OK.
    #[error("notification body is not valid JSON: {reason}")]
    NotJson {
        /// The parser's description, with line and column; it quotes no
        /// field value.
        reason: String,
    },

    /// The body is valid JSON but its top level is not an object. Reply non-OK.
    #[error("notification body is JSON but not an object")]
    NotAnObject,

    /// A top-level key is not a plain name: empty, or with a character other
    /// than `A`-`Z`, `a`-`z`, `0`-`9` and `_`. The string-to-sign joins
    /// `key=value` pairs with no separator, so a key holding `=` could
    /// re-partition a genuine signature into other fields; every documented
    /// field name is plain, so such a body is refused before its signature
    /// is even checked. Reply non-OK.
    #[error("notification member {position} has a key that is not a plain name (only A-Z, a-z, 0-9 and _)")]
    InvalidKey {
        /// The member's position in the body, from 1 (the key itself is
        /// not repeated: it came from an unauthenticated sender).
        position: usize,
    },

    /// A top-level key appears more than once (compared after unescaping),
    /// even with the same value. Which copy a reader sees differs between
    /// JSON parsers, so such a body is refused rather than guessed at.
    /// Reply non-OK.
    #[error("notification body has the key {key:?} more than once")]
    DuplicateKey {
        /// The repeated key.
        key: String,
    },

    /// There is no `sign` field. Reply non-OK.
    #[error("notification has no `sign` field")]
    MissingSign,

    /// `sign` is not a JSON string of 32 hexadecimal digits (either letter
    /// case). Reply non-OK.
    #[error("notification `sign` is not a string of 32 hexadecimal digits")]
    MalformedSign,

    /// `sign` does not match the fields: the body was forged or altered, or
    /// it was signed with another app secret (check which merchant account
    /// the `notifyUrl` belongs to). Reply non-OK.
    #[error("notification signature does not match its fields (forged, altered, or another app secret)")]
    SignatureMismatch,

    /// The signature is valid, but a field the SDK needs is missing or
    /// unusable (see [`Notification`](super::Notification) for which fields
    /// are required). The gateway really sent this, so log it for
    /// investigation. Reply non-OK, and query the order instead.
    #[error("notification field `{field}` {reason}")]
    InvalidField {
        /// The wire name of the field, e.g. `"tradeNo"`.
        field: &'static str,
        /// What is wrong with it (never its value).
        reason: &'static str,
    },

    /// A value contains `<known field>=`, e.g. a `message` of
    /// `"okstatus=0000"`. The string-to-sign has no separators, so
    /// `{"a":"1b=2"}` and `{"a":"1","b":"2"}` sign the same: such a value
    /// could be a valid signature re-partitioned into other fields. Never
    /// trust it; reply non-OK and query the order.
    #[error("notification field `{field}` contains `{name}=`, which could re-partition the signed fields")]
    AmbiguousValue {
        /// The field whose value is ambiguous.
        field: String,
        /// The known field name found inside it.
        name: &'static str,
    },

    /// With a freshness window set ([`VerifyOptions::max_age`](super::VerifyOptions::max_age)),
    /// the notification's `timestamp` is missing or too far from now. It was
    /// signed by the gateway, but may be a replay. Reply non-OK.
    #[error("notification is not fresh: {reason}")]
    Stale {
        /// Why (age, or what is missing).
        reason: String,
    },
}

impl NotificationError {
    /// A fixed label for the failure, for logs: none of its text.
    pub(crate) fn label(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "too_large",
            Self::NotJson { .. } => "not_json",
            Self::NotAnObject => "not_an_object",
            Self::InvalidKey { .. } => "invalid_key",
            Self::DuplicateKey { .. } => "duplicate_key",
            Self::MissingSign => "missing_sign",
            Self::MalformedSign => "malformed_sign",
            Self::SignatureMismatch => "signature_mismatch",
            Self::InvalidField { .. } => "invalid_field",
            Self::AmbiguousValue { .. } => "ambiguous_value",
            Self::Stale { .. } => "stale",
        }
    }

    /// Whether the signature was checked and found valid before this error,
    /// i.e. the body really comes from the gateway
    /// ([`NotificationError::InvalidField`] and [`NotificationError::Stale`];
    /// not [`NotificationError::AmbiguousValue`], which may be a forgery). Useful to tell an integration
    /// problem worth an alert from noise or forgeries.
    pub fn signature_verified(&self) -> bool {
        matches!(self, Self::InvalidField { .. } | Self::Stale { .. })
    }
}
