//! `POST /v1/vexora/kycStatusQuery`: where a Japan payer's identity check
//! stands (`spec/japan/kyc-status.toml`). Once it is approved, the payer
//! can be given a virtual account; once rejected, the payer applies again.

use serde::Deserialize;

use crate::data::KycResult;

/// Asks where a payer's identity check stands, by the merchant's `userId`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "japan/kyc-status", response = KycResult)]
#[non_exhaustive]
pub struct KycStatusRequest {
    /// The merchant's identifier for the payer, as in the application.
    #[vexora(required)]
    pub user_id: String,
}
