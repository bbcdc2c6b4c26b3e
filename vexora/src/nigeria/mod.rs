//! Nigeria (NGN): bank payouts and their query, from the provider's nigeria
//! documents.
//!
//! Each endpoint is described in `spec/nigeria/<name>.toml` and modelled by
//! an annotated request struct in a file of this folder; every file's items
//! are re-exported here. Responses follow the template the Taiwan pages
//! document, so they decode into the same `data` types.

// A module for every other file of this folder (see build.rs).
include!(concat!(env!("OUT_DIR"), "/region_nigeria.rs"));
