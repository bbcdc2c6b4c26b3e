//! Commands that need only the app secret: `sign` and `webhook verify`.

use serde_json::json;
use vexora::notification;

use crate::args::Invocation;
use crate::failure::Failure;
use crate::{input, settings};

/// `sign --json <FILE|->`: the canonical string and the signature of any
/// JSON object, to compare with what the other side computed. The secret
/// itself is never printed.
pub fn sign(invocation: &Invocation) -> Result<String, Failure> {
    let source = invocation.value("json").ok_or_else(|| Failure::invalid("sign needs --json <FILE|->"))?;
    let body = input::read(source)?;
    let secret = settings::app_secret(invocation)?;
    let invalid = |e: notification::NotificationError| Failure::invalid(format!("cannot sign this input: {e}"));
    let canonical = notification::canonical(&body).map_err(invalid)?;
    let sign = notification::signature(&body, &secret).map_err(invalid)?;
    Ok(super::to_json(&json!({ "canonical": canonical, "sign": sign.to_string() })))
}

/// `webhook verify [--json <FILE|->]`: verifies a notification body exactly
/// as received and prints it typed.
pub fn verify_webhook(invocation: &Invocation) -> Result<String, Failure> {
    let body = input::read(invocation.value("json").unwrap_or("-"))?;
    let secret = settings::app_secret(invocation)?;
    let notification = notification::verify(&body, &secret)?;
    Ok(super::to_json(&notification))
}
