//! Kenya (KSH): direct deposits and payouts by mobile number, and their
//! queries, from the provider's kenya documents.
//!
//! Each endpoint is described in `spec/kenya/<name>.toml` and modelled by
//! an annotated request struct in a file of this folder; every file's items
//! are re-exported here. Kenya's creates answer Vexora's id as
//! `serialNumber`, not `platFormTradeNo`, so they have their own `data`
//! types ([`DepositData`], [`PayoutData`]). The queries follow the other
//! regions' template and decode into the shared result types.

// A module for every other file of this folder (see build.rs).
include!(concat!(env!("OUT_DIR"), "/region_kenya.rs"));
