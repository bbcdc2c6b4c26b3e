//! `vexora-sandbox`: runs the local gateway until interrupted.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use vexora_sandbox::{Sandbox, SandboxConfig, SandboxOptions};

/// A local stand-in for the Vexora payment gateway.
#[derive(Debug, Parser)]
#[command(name = "vexora-sandbox", version)]
struct Cli {
    #[command(flatten)]
    options: SandboxOptions,
}

fn main() -> ExitCode {
    // Usage errors exit 2, `--help` and `--version` 0 (clap's convention).
    let config = Cli::parse().options.config();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("vexora-sandbox: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(config))
}

async fn run(config: SandboxConfig) -> ExitCode {
    let sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("vexora-sandbox: {error}");
            return ExitCode::FAILURE;
        }
    };
    // A closed stdout (`| head`) must not stop the sandbox, let alone panic.
    let _ = writeln!(std::io::stdout(), "{}\nPress Ctrl-C to stop.", sandbox.banner());
    // Runs until the process is interrupted; nothing needs flushing on exit.
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}
