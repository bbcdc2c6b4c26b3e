//! The model of `spec/<region>/<endpoint>.toml` (format: `spec/README.md`),
//! and the two small languages the spec files and the SDK's structs share:
//! [`pattern`]s and [`decimal`] text.
//!
//! The spec files' model and the files themselves ([`FILES`], embedded) are
//! the `files` feature, on by default. They are read by the derive, the
//! conformance tests and the sandbox, and know nothing about the SDK's
//! structs, so each can judge them independently. Without the feature the
//! crate is the pattern compiler and matcher and the decimal reader alone,
//! with no dependencies: what the SDK needs at run time.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod decimal;
pub mod pattern;

#[cfg(feature = "files")]
mod kind;
#[cfg(feature = "files")]
mod model;
#[cfg(feature = "files")]
mod problems;

#[cfg(feature = "files")]
#[cfg_attr(docsrs, doc(cfg(feature = "files")))]
pub use kind::*;
#[cfg(feature = "files")]
#[cfg_attr(docsrs, doc(cfg(feature = "files")))]
pub use model::*;
#[cfg(feature = "files")]
#[cfg_attr(docsrs, doc(cfg(feature = "files")))]
pub use problems::problems_across;

/// `(path below spec/, text)` of every spec file this crate was built with,
/// in path order (`argentina/payout-query.toml`, ...): the endpoint
/// descriptions for tools run outside the source tree.
///
/// ```
/// use std::path::Path;
/// use vexora_spec::{EndpointSpec, FILES};
///
/// let (path, text) = FILES.iter().find(|(path, _)| *path == "taiwan/checkout.toml").ok_or("no Taiwan checkout")?;
/// let spec = EndpointSpec::parse(text, Path::new(path))?;
/// assert_eq!(spec.id(), "taiwan/checkout");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "files")]
#[cfg_attr(docsrs, doc(cfg(feature = "files")))]
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/files.rs"));
