//! `POST /v1/vexora/queryBalance`: the merchant's Colombia balances
//! (`spec/colombia/balance.toml`).

use serde::Deserialize;

use crate::data::Balance;

/// Asks for the merchant's balances. It has no fields of its own: the
/// client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(deny_unknown_fields)]
#[vexora(spec = "colombia/balance", response = Balance)]
#[non_exhaustive]
pub struct BalanceRequest {}
