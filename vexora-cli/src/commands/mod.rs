//! One module per command; each returns what to print on stdout.

pub mod books;
pub mod call;
pub mod clock;
mod control;
pub mod decide;
pub mod demo;
pub mod local;
pub mod resend;
pub mod sandbox;

/// Pretty JSON for stdout.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serializing the SDK's own types to a string cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_default()
}
