//! What the identity check (KYC) endpoints return: the application as
//! accepted, and where it stands.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where a payer's identity check stands (`authenticationStatus`).
///
/// ```
/// use vexora::data::KycStatus;
///
/// assert_eq!(KycStatus::from_code("2"), KycStatus::Approved);
/// assert!(KycStatus::Approved.is_final());
/// assert_eq!(KycStatus::from_code("9"), KycStatus::Other("9".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KycStatus {
    /// `0`: not certified yet.
    Pending,
    /// `1`: under review.
    UnderReview,
    /// `2`: approved: the payment methods that need it can be used.
    Approved,
    /// `3`: rejected: apply again (the application's `authenticationUrl`
    /// takes corrected documents).
    Rejected,
    /// A code this SDK does not know yet, kept verbatim.
    Other(String),
}

impl KycStatus {
    /// The status for a wire code.
    pub fn from_code(code: &str) -> Self {
        match code {
            "0" => Self::Pending,
            "1" => Self::UnderReview,
            "2" => Self::Approved,
            "3" => Self::Rejected,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The wire code.
    pub fn code(&self) -> &str {
        match self {
            Self::Pending => "0",
            Self::UnderReview => "1",
            Self::Approved => "2",
            Self::Rejected => "3",
            Self::Other(code) => code,
        }
    }

    /// Whether the review has ended (approved or rejected).
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Approved | Self::Rejected)
    }
}

impl fmt::Display for KycStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for KycStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for KycStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Documented as a string; a number is read the same way, as other
        // fields of these pages switch between the two.
        struct Code;
        impl Visitor<'_> for Code {
            type Value = KycStatus;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a KYC status code, as a string or a number")
            }
            fn visit_str<E: de::Error>(self, code: &str) -> Result<KycStatus, E> {
                Ok(KycStatus::from_code(code))
            }
            fn visit_u64<E: de::Error>(self, code: u64) -> Result<KycStatus, E> {
                Ok(KycStatus::from_code(&code.to_string()))
            }
        }
        deserializer.deserialize_any(Code)
    }
}

/// The KYC application response's `data`: the application as accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct KycApplication {
    /// Vexora's number for the application, which the status query takes.
    pub kyc_number: String,
    /// Where the check stands; `0` (pending) right after applying.
    pub authentication_status: KycStatus,
    /// The gateway's description of the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Where the payer resubmits documents if the check is rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_url: Option<String>,
    /// Fields the documents do not list, kept as received.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// The KYC status query's `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct KycResult {
    /// Where the check stands.
    pub authentication_status: KycStatus,
    /// Why the check was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_reason: Option<String>,
    /// Fields the documents do not list, kept as received.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_is_read_from_a_string_or_a_number() {
        let text: KycResult = serde_json::from_str(r#"{"authenticationStatus":"3","failReason":"blurred"}"#).unwrap();
        assert_eq!(text.authentication_status, KycStatus::Rejected);
        assert_eq!(text.fail_reason.as_deref(), Some("blurred"));
        let number: KycResult = serde_json::from_str(r#"{"authenticationStatus":1}"#).unwrap();
        assert_eq!(number.authentication_status, KycStatus::UnderReview);
        assert!(serde_json::from_str::<KycResult>(r#"{"authenticationStatus":[1]}"#).is_err());
    }

    #[test]
    fn codes_round_trip() {
        for code in ["0", "1", "2", "3", "7"] {
            assert_eq!(KycStatus::from_code(code).code(), code);
        }
        assert!(!KycStatus::UnderReview.is_final());
    }
}
