//! `POST /v1/vexora/kycApplyFor`: apply for a payer's identity check
//! (`spec/australia/kyc-application.toml`).
//!
//! An application is a `create`: after an ambiguous failure it is not
//! resent, since a second one could start a second review; ask
//! [`KycStatusRequest`](super::KycStatusRequest) by the `kycNumber` of an
//! application that did answer, or apply again knowingly.

use serde::Deserialize;

use crate::data::KycApplication;
use crate::types::HttpUrl;

/// An Australia KYC application: who the payer is to the merchant, and
/// where the review's result goes.
///
/// ```
/// use vexora::australia::KycApplicationRequest;
/// use vexora::Validate;
///
/// let application = KycApplicationRequest::builder()
///     .user_id("jack001")
///     .call_back_url("https://merchant.example/vexora/kyc")
///     .build();
/// assert!(application.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "australia/kyc-application", response = KycApplication)]
#[non_exhaustive]
pub struct KycApplicationRequest {
    /// The merchant's identifier for the payer.
    #[vexora(required)]
    pub user_id: String,
    /// Where the gateway sends the result of the review.
    #[vexora(required)]
    pub call_back_url: HttpUrl,
}
