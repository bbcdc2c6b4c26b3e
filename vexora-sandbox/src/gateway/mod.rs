//! The gateway's API as `spec/` defines it: routes by kind, the generic
//! validator, request body and signature checks, and the answers.

pub(crate) mod body;
pub(crate) mod envelope;
pub(crate) mod kyc;
pub(crate) mod routing;
pub(crate) mod rules;
pub(crate) mod signature;
pub(crate) mod specs;
