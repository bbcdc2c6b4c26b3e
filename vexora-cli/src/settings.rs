//! Credentials and the gateway address: environment first, flags on top.

use vexora::{AppSecret, Config};

use crate::args::Invocation;
use crate::failure::Failure;

/// Looks up a setting: the flag `--flag`, else the variable `variable`.
fn lookup(invocation: &Invocation, flag: &str, variable: &str) -> Option<String> {
    invocation.value(flag).map(str::to_owned).or_else(|| std::env::var(variable).ok())
}

/// The full configuration, for commands that call the gateway.
pub fn config(invocation: &Invocation) -> Result<Config, Failure> {
    Config::from_lookup(|variable| {
        let flag = match variable {
            "VEXORA_MERCHANT_NO" => "merchant-no",
            "VEXORA_APP_SECRET" => "app-secret",
            "VEXORA_BASE_URL" => "base-url",
            "VEXORA_TIMEOUT_MS" => "timeout-ms",
            _ => return std::env::var(variable).ok(),
        };
        lookup(invocation, flag, variable)
    })
    .map_err(|error| Failure::invalid(format!("configuration: {error} (or pass the matching --flag)")))
}

/// Only the app secret, for commands that sign or verify locally.
pub fn app_secret(invocation: &Invocation) -> Result<AppSecret, Failure> {
    match lookup(invocation, "app-secret", "VEXORA_APP_SECRET") {
        Some(secret) if !secret.is_empty() => Ok(AppSecret::new(secret)),
        _ => Err(Failure::invalid("configuration: set VEXORA_APP_SECRET (or pass --app-secret)")),
    }
}
