//! `vexora sandbox`: runs the local gateway until interrupted.

use vexora_sandbox::SandboxOptions;

use crate::failure::Failure;

/// Serves until Ctrl-C; returns only if the sandbox cannot start.
pub fn run(options: &SandboxOptions) -> Result<String, Failure> {
    let Err(error) = options.serve();
    Err(Failure::failed(error.to_string()))
}
