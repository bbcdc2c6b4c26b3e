//! Taiwan (TWD): the endpoints of the provider's Taiwan documents.
//!
//! Each endpoint is described in `spec/taiwan/<name>.toml` and modelled by
//! one annotated request struct and one response `data` struct in a file of
//! this folder; every file's items are re-exported here.

// A module for every other file of this folder (see build.rs).
include!(concat!(env!("OUT_DIR"), "/region_taiwan.rs"));
