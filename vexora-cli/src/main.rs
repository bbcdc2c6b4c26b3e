//! `vexora`: the Vexora payment gateway from the command line.
//!
//! Run `vexora help` for the commands. Settings come from `VEXORA_MERCHANT_NO`,
//! `VEXORA_APP_SECRET` and `VEXORA_BASE_URL`, overridable by flags.

mod args;
mod commands;
mod failure;
mod input;
mod settings;

use std::io::Write;
use std::process::ExitCode;

use args::{Command, Invocation};
use failure::Failure;

fn main() -> ExitCode {
    let outcome = Invocation::parse(std::env::args().skip(1))
        .map_err(|usage| Failure::invalid(usage.to_string()))
        .and_then(|invocation| run(&invocation));
    match outcome {
        Ok(stdout) => {
            let mut out = std::io::stdout().lock();
            // A closed stdout (e.g. `| head`) is not the command's failure.
            let _ = writeln!(out, "{stdout}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("vexora: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

fn run(invocation: &Invocation) -> Result<String, Failure> {
    match invocation.command {
        Command::Call => commands::call::run(invocation),
        Command::Checkout => commands::call::checkout(invocation),
        Command::Payout => commands::call::payout(invocation),
        Command::Query => commands::call::query(invocation),
        Command::Balance => commands::call::balance(invocation),
        Command::Sign => commands::local::sign(invocation),
        Command::WebhookVerify => commands::local::verify_webhook(invocation),
        Command::Sandbox => commands::sandbox::run(invocation),
        Command::Demo => commands::demo::run(invocation),
        Command::Help => Ok(args::USAGE.trim_end().to_owned()),
    }
}
