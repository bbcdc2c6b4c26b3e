//! The sandbox's own tests, in one binary: the built `vexora-sandbox`
//! command, and the sandbox called in process on a simulated clock (the
//! delivery hook, replaying a script, records hidden from queries), and the
//! rules of the crate's layout.

mod support;

mod binary;
mod delivery_hook;
mod determinism;
mod in_process;
mod visibility;
mod wings;
