//! `vexora sandbox`: runs the local gateway until interrupted.

use std::io::Write;

use vexora_sandbox::{Sandbox, SandboxOptions};

use crate::failure::Failure;

/// Starts the sandbox from the command's options and serves until Ctrl-C.
pub fn run(options: &SandboxOptions) -> Result<String, Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::failed(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let sandbox = Sandbox::start(options.config()).await.map_err(|e| Failure::failed(e.to_string()))?;
        // A closed stdout (`| head`) must not stop the sandbox, let alone panic.
        let _ = writeln!(std::io::stdout(), "{}", sandbox.banner());
        // Serves until the process is interrupted.
        std::future::pending::<Result<String, Failure>>().await
    })
}
