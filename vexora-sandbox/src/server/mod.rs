//! Starting, serving and stopping a sandbox: its options and configuration,
//! the accept loop, the service every request goes through, and the handles.

pub(crate) mod app;
pub(crate) mod config;
pub(crate) mod connections;
pub(crate) mod handles;
pub(crate) mod in_process;
pub(crate) mod options;
pub(crate) mod origin;
pub(crate) mod sandbox_control;
pub(crate) mod start;
