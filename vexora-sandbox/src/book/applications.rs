//! The book of identity checks (KYC): each application and where it
//! stands, kept for the gateway's KYC routes and the control route that
//! decides them.

use std::collections::BTreeMap;

use serde::Serialize;

/// Where a check stands, with the gateway's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum KycStatus {
    Pending,
    UnderReview,
    Approved,
    Rejected,
}

impl KycStatus {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Pending => "0",
            Self::UnderReview => "1",
            Self::Approved => "2",
            Self::Rejected => "3",
        }
    }

    pub(crate) fn message(self) -> &'static str {
        match self {
            Self::Pending => "Pending certification",
            Self::UnderReview => "Under review",
            Self::Approved => "Approved",
            Self::Rejected => "Rejected",
        }
    }

    /// The control route's action names.
    pub(crate) fn parse(action: &str) -> Option<Self> {
        match action {
            "review" => Some(Self::UnderReview),
            "approve" => Some(Self::Approved),
            "reject" => Some(Self::Rejected),
            _ => None,
        }
    }
}

/// One application.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Application {
    pub(crate) merchant_no: String,
    pub(crate) kyc_number: String,
    pub(crate) user_id: String,
    pub(crate) status: KycStatus,
    pub(crate) fail_reason: Option<String>,
}

/// Every application, by `kycNumber`, and each payer's latest.
#[derive(Debug, Default)]
pub(crate) struct Applications {
    pub(crate) by_number: BTreeMap<String, Application>,
    pub(crate) latest: BTreeMap<(String, String), String>,
}
