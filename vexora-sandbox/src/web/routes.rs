//! The sandbox's own routes (cashier, dashboard, control), as one table:
//! the router is built from it, and it can be listed.

use std::sync::Arc;

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodFilter, MethodRouter, on};

use crate::web::{Web, cashier, control, dashboard, kyc, page};

/// A method of the sandbox's own routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    Get,
    Post,
    Delete,
}

impl Verb {
    fn name(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Delete => "DELETE",
        }
    }

    fn filter(self) -> MethodFilter {
        match self {
            Self::Get => MethodFilter::GET,
            Self::Post => MethodFilter::POST,
            Self::Delete => MethodFilter::DELETE,
        }
    }
}

/// One of the sandbox's own routes: a path with one method.
pub(crate) struct OwnRoute {
    pub(crate) verb: Verb,
    pub(crate) path: &'static str,
    pub(crate) handler: MethodRouter<Arc<Web>>,
}

fn at<H: Handler<T, Arc<Web>>, T: 'static>(verb: Verb, path: &'static str, handler: H) -> OwnRoute {
    OwnRoute { verb, path, handler: on(verb.filter(), handler) }
}

/// Every route but the API's: [`router`] is built from this table, and
/// [`own_route_list`] lists it, so a test can tell when one is added.
fn own_routes() -> Vec<OwnRoute> {
    vec![
        at(Verb::Get, "/cashier/{id}", cashier::page),
        at(Verb::Post, "/cashier/{id}/{action}", cashier::choose),
        at(Verb::Get, "/sandbox", dashboard::page),
        at(Verb::Get, page::STYLESHEET_PATH, dashboard::stylesheet),
        at(Verb::Get, "/sandbox/clock", control::clock),
        at(Verb::Post, "/sandbox/clock/advance", control::advance_clock),
        at(Verb::Get, "/sandbox/deliveries", control::deliveries),
        at(Verb::Get, "/sandbox/orders", control::orders),
        at(Verb::Post, "/sandbox/orders/{trade_no}/{action}", control::order_action),
        at(Verb::Post, "/sandbox/payouts/{trade_no}/{action}", control::payout_action),
        at(Verb::Get, "/sandbox/records", control::records),
        at(Verb::Post, "/sandbox/records/{platform_id}/{action}", control::record_action),
        at(Verb::Get, "/sandbox/kyc/{kyc_number}", kyc::show),
        at(Verb::Post, "/sandbox/kyc/{kyc_number}/{action}", kyc::decide),
        at(Verb::Get, "/sandbox/faults", control::list_faults),
        at(Verb::Post, "/sandbox/faults", control::add_fault),
        at(Verb::Delete, "/sandbox/faults", control::clear_faults),
        at(Verb::Get, "/sandbox/stats", control::stats),
    ]
}

/// `(method, path pattern)` of every route but the API's.
pub(crate) fn own_route_list() -> Vec<(&'static str, &'static str)> {
    own_routes().into_iter().map(|route| (route.verb.name(), route.path)).collect()
}

/// The router of every route but the API's, on `web`.
pub(crate) fn router(web: &Arc<Web>) -> Router {
    let mut router = Router::new();
    for OwnRoute { path, handler, .. } in own_routes() {
        router = router.route(path, handler);
    }
    router.with_state(Arc::clone(web))
}
