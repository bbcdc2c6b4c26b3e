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

use std::fmt;
use std::sync::Arc;

use crate::book::Book;
use crate::book::visibility::VisibilityDelay;
use crate::gateway::routing::Endpoint;

/// The API of one sandbox: its endpoints, and the book their records are
/// kept in.
pub(crate) struct Gateway {
    pub(crate) book: Arc<Book>,
    /// Every endpoint of `spec/`, by route.
    pub(crate) endpoints: Vec<Endpoint>,
    pub(crate) timestamp_tolerance_ms: i64,
    /// `http://<addr>`: the root of the cashier's and the KYC links.
    pub(crate) public_url: String,
    /// How long new orders and payouts stay hidden from queries, by key.
    pub(crate) visibility_delay: Option<VisibilityDelay>,
}

impl fmt::Debug for Gateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gateway")
            .field("public_url", &self.public_url)
            .field("routes", &self.routes())
            .field("book", &self.book)
            .finish_non_exhaustive()
    }
}

impl Gateway {
    /// Whether `path` is one of the endpoints of `spec/`.
    pub(crate) fn is_api_path(&self, path: &str) -> bool {
        self.endpoints.iter().any(|endpoint| endpoint.route == path)
    }

    /// Every route served, in order.
    pub(crate) fn routes(&self) -> Vec<String> {
        self.endpoints.iter().map(|endpoint| endpoint.route.clone()).collect()
    }
}
