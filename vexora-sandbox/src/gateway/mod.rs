//! The gateway's API as `spec/` defines it: routes by kind, the generic
//! validator, request body and signature checks, and the answers. Imports
//! the book, never the web pages or the server.

pub(crate) mod body;
pub(crate) mod call;
pub(crate) mod envelope;
pub(crate) mod judge;
pub(crate) mod kyc;
pub(crate) mod orders;
pub(crate) mod payouts;
pub(crate) mod routing;
pub(crate) mod rules;
pub(crate) mod signature;
pub(crate) mod spec_kinds;
pub(crate) mod specs;
