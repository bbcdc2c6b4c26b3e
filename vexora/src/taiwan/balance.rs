//! `POST /v1/vexora/queryBalance`: the merchant's balances
//! (`spec/taiwan/balance.toml`).
//!
//! The fields are those the Cambodia, Colombia and Thailand balance
//! endpoints share. The request carries only `timestamp` and `sign`.

use serde::Deserialize;

use crate::data::Balance;

/// Asks for the merchant's balances. It has no fields of its own: the
/// client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(deny_unknown_fields)]
#[vexora(spec = "taiwan/balance", response = Balance)]
#[non_exhaustive]
pub struct BalanceRequest {}
