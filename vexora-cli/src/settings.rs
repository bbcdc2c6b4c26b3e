//! Credentials and the gateway address: flags, else the `VEXORA_*`
//! environment (clap reads both).

use vexora::{AppSecret, Config};

use crate::args::Settings;
use crate::failure::Failure;

/// The full configuration, for commands that call the gateway.
pub fn config(settings: &Settings) -> Result<Config, Failure> {
    Config::from_lookup(|variable| match variable {
        "VEXORA_MERCHANT_NO" => settings.merchant_no.clone(),
        "VEXORA_APP_SECRET" => settings.app_secret.clone(),
        "VEXORA_BASE_URL" => settings.base_url.clone(),
        "VEXORA_REGION" => settings.region.clone(),
        "VEXORA_TIMEOUT_MS" => settings.timeout_ms.clone(),
        _ => std::env::var(variable).ok(),
    })
    .map_err(|error| Failure::invalid(format!("configuration: {error} (or pass the matching --flag)")))
}

/// Only the app secret, for commands that sign or verify locally.
pub fn app_secret(app_secret: Option<&str>) -> Result<AppSecret, Failure> {
    match app_secret {
        Some(secret) if !secret.is_empty() => Ok(AppSecret::new(secret)),
        _ => Err(Failure::invalid("configuration: set VEXORA_APP_SECRET (or pass --app-secret)")),
    }
}
