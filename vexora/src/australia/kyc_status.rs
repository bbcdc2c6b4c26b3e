//! `POST /v1/vexora/kycStatusQuery`: where an Australia identity check
//! stands (`spec/australia/kyc-status.toml`).

use serde::Deserialize;

use crate::data::KycResult;

/// Asks where the identity check of one application stands, by the
/// `kycNumber` the application returned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "australia/kyc-status", response = KycResult)]
#[non_exhaustive]
pub struct KycStatusRequest {
    /// Vexora's number for the application.
    #[vexora(required)]
    pub kyc_number: String,
}
