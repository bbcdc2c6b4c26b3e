//! Starting, serving and stopping a sandbox: its options and configuration,
//! the assembly of its parts, the accept loop, the service every request
//! goes through, and the handles. Imports every other wing; none imports it.

pub(crate) mod accept;
pub(crate) mod app;
pub(crate) mod config;
pub(crate) mod connections;
pub(crate) mod handles;
pub(crate) mod in_process;
pub(crate) mod inject;
pub(crate) mod options;
pub(crate) mod origin;
pub(crate) mod sandbox_control;
pub(crate) mod service;
pub(crate) mod start;
