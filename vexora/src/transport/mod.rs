//! Sending a fully built request: the one seam between the SDK and HTTP.
//!
//! Everything that decides bytes (validation, timestamp, signature, body)
//! happens before a [`Transport`] sees the request, so a backend is one small
//! file and the same tests run on every backend (as in async-stripe).

#[cfg(feature = "surf")]
mod curl;
mod exchange;
#[cfg(any(test, feature = "test-util"))]
mod recording;
#[cfg(feature = "reqwest")]
mod reqwest;
#[cfg(feature = "surf")]
mod surf;

#[cfg(feature = "reqwest")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
pub use self::reqwest::ReqwestTransport;
#[cfg(feature = "surf")]
#[cfg_attr(docsrs, doc(cfg(feature = "surf")))]
pub use self::surf::SurfTransport;
pub use exchange::{
    DEFAULT_MAX_IDLE_CONNECTIONS, HttpRequest, HttpResponse, MAX_RESPONSE_BYTES, Transport, TransportError,
    TransportErrorKind,
};
#[cfg(any(test, feature = "test-util"))]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub use recording::RecordingTransport;
