//! The model of `spec/<region>/<endpoint>.toml` (format: `spec/README.md`),
//! and the two small languages the spec files and the SDK's structs share:
//! [`pattern`]s and [`decimal`] text.
//!
//! The spec files' model (the `files` feature, on by default) is read by
//! the derive, the conformance tests and the sandbox; it knows nothing about
//! the SDK's structs, so each can judge them independently. Without the
//! feature the crate is the pattern compiler and matcher and the decimal
//! reader alone, with no dependencies: what the SDK needs at run time.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod decimal;
pub mod pattern;

#[cfg(feature = "files")]
mod model;

#[cfg(feature = "files")]
#[cfg_attr(docsrs, doc(cfg(feature = "files")))]
pub use model::*;
