//! `vexora-sandbox`: runs the local gateway until interrupted.

use std::process::ExitCode;

use clap::Parser;
use vexora_sandbox::SandboxOptions;

/// A local stand-in for the Vexora payment gateway.
#[derive(Debug, Parser)]
#[command(name = "vexora-sandbox", version)]
struct Cli {
    #[command(flatten)]
    options: SandboxOptions,
}

fn main() -> ExitCode {
    // Usage errors exit 2, `--help` and `--version` 0 (clap's convention).
    let Err(error) = Cli::parse().options.serve();
    eprintln!("vexora-sandbox: {error}");
    ExitCode::FAILURE
}
