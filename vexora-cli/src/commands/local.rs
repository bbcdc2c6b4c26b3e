//! Commands that need only the app secret: `sign` and `webhook verify`.

use serde_json::json;
use vexora::notification;

use crate::failure::Failure;
use crate::{input, json, settings};

/// `sign --json <FILE|->`: the canonical string and the signature of any
/// JSON object, to compare with what the other side computed. The secret
/// itself is never printed.
pub fn sign(source: &str, app_secret: Option<&str>) -> Result<String, Failure> {
    let body = input::read(source)?;
    // The SDK signs the top-level members; a repeat at any depth is refused
    // here too, since which copy the other side reads is anyone's guess.
    json::parse(&body).map_err(|e| Failure::invalid(format!("cannot sign this input: {e}")))?;
    let secret = settings::app_secret(app_secret)?;
    let invalid = |e: notification::NotificationError| Failure::invalid(format!("cannot sign this input: {e}"));
    let canonical = notification::canonical(&body).map_err(invalid)?;
    let sign = notification::signature(&body, &secret).map_err(invalid)?;
    Ok(super::to_json(&json!({ "canonical": canonical, "sign": sign.to_string() })))
}

/// `webhook verify [--json <FILE|->]`: verifies a notification body exactly
/// as received and prints it typed.
pub fn verify_webhook(source: &str, app_secret: Option<&str>) -> Result<String, Failure> {
    let body = input::read(source)?;
    let secret = settings::app_secret(app_secret)?;
    let notification = notification::verify(&body, &secret)?;
    Ok(super::to_json(&notification))
}
