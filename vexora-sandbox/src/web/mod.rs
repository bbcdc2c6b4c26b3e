//! The sandbox's own pages and routes: the cashier, the dashboard, and the
//! control routes under `/sandbox/` that scripts and the dashboard use.

pub(crate) mod caller;
pub(crate) mod cashier;
pub(crate) mod control;
pub(crate) mod dashboard;
pub(crate) mod faults;
pub(crate) mod form;
pub(crate) mod html;
pub(crate) mod listing;
pub(crate) mod routes;
