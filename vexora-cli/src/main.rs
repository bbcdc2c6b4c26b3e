//! `vexora`: the Vexora payment gateway from the command line.
//!
//! Run `vexora --help` for the commands. Settings come from `VEXORA_MERCHANT_NO`,
//! `VEXORA_APP_SECRET` and `VEXORA_BASE_URL`, overridable by flags.

mod args;
mod commands;
mod duration;
mod failure;
mod input;
mod json;
mod reconcile;
mod settings;

use std::io::Write;
use std::process::ExitCode;

use args::{Cli, Clock, Command, Decide, LedgerCommand, Resend, Webhook};
use clap::Parser;
use failure::Failure;

fn main() -> ExitCode {
    // Usage errors exit 2 (like invalid input), `--help` and `--version` 0.
    let cli = Cli::parse();
    match run(cli.command) {
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

fn run(command: Command) -> Result<String, Failure> {
    match command {
        Command::Call { endpoint, input, settings } => commands::call::run(&endpoint, &input.json, &settings),
        Command::Checkout { input, settings } => commands::call::run("taiwan/checkout", &input.json, &settings),
        Command::Payout { input, settings } => commands::call::run("taiwan/payout", &input.json, &settings),
        Command::Query { trade_no, settings } => commands::call::query(&trade_no, &settings),
        Command::Balance { settings } => commands::call::balance(&settings),
        Command::Sign { input, app_secret } => commands::local::sign(&input.json, app_secret.as_deref()),
        Command::Webhook(Webhook::Verify { json, app_secret, previous_secret, previous_until }) => {
            let previous = previous_secret.as_deref().zip(previous_until.as_deref());
            commands::local::verify_webhook(&json, app_secret.as_deref(), previous)
        }
        Command::Sandbox(options) => commands::sandbox::run(&options),
        Command::Decide(Decide::Order { trade_no, outcome, sandbox }) => {
            commands::decide::order(&trade_no, outcome, &sandbox)
        }
        Command::Decide(Decide::Payout { trade_no, outcome, sandbox }) => {
            commands::decide::payout(&trade_no, outcome, &sandbox)
        }
        Command::Resend(Resend::Order { trade_no, sandbox }) => commands::resend::order(&trade_no, &sandbox),
        Command::Resend(Resend::Payout { trade_no, sandbox }) => commands::resend::payout(&trade_no, &sandbox),
        Command::Clock(Clock::Advance { seconds, sandbox_url }) => commands::clock::advance(seconds, &sandbox_url),
        Command::Demo => commands::demo::run(),
        Command::Reconcile { books, settle_delay, initial_backoff, worker, settings } => {
            commands::books::reconcile(&books.database, &settle_delay, &initial_backoff, &worker, &settings)
        }
        Command::Ledger(LedgerCommand::List { books, needs_attention }) => {
            commands::books::list(&books.database, needs_attention)
        }
        Command::Ledger(LedgerCommand::Show { trade_no, books }) => commands::books::show(&books.database, &trade_no),
    }
}
