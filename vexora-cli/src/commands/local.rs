//! Commands that need only the app secret: `sign` and `webhook verify`.

use serde_json::json;
use vexora::notification::{SecretUsed, Verifier};
use vexora::signing::JsonObject;

use crate::failure::Failure;
use crate::{input, json, settings};

/// `sign --json <FILE|->`: the canonical string and the signature of any
/// JSON object, to compare with what the other side computed. The secret
/// itself is never printed.
pub fn sign(source: &str, app_secret: Option<&str>) -> Result<String, Failure> {
    let body = input::read(source)?;
    let invalid = |e: &dyn std::fmt::Display| Failure::invalid(format!("cannot sign this input: {e}"));
    // The SDK signs the top-level fields; a repeat at any depth is refused
    // here too, since which copy the other side reads is anyone's guess.
    json::parse(&body).map_err(|e| invalid(&e))?;
    let secret = settings::app_secret(app_secret)?;
    let object = JsonObject::parse(&body).map_err(|e| invalid(&e))?;
    let sign = object.signature(secret.expose());
    Ok(super::to_json(&json!({ "canonical": object.canonical(), "sign": sign.to_string() })))
}

/// `webhook verify [--json <FILE|->] [--previous-secret S --previous-until T]`:
/// verifies a notification body exactly as received and prints it typed.
/// During a rotation (`previous`: the old secret and when it stops being
/// accepted) a body signed with the old secret verifies too, and stderr
/// says so.
pub fn verify_webhook(
    source: &str,
    app_secret: Option<&str>,
    previous: Option<(&str, &str)>,
) -> Result<String, Failure> {
    let body = input::read(source)?;
    let mut verifier = Verifier::new(settings::app_secret(app_secret)?);
    if let Some((secret, until)) = previous {
        let until = humantime::parse_rfc3339_weak(until).map_err(|e| {
            Failure::invalid(format!("--previous-until {until:?} is not an RFC 3339 time (2026-12-31T00:00:00Z): {e}"))
        })?;
        verifier = verifier.with_previous_secret(settings::app_secret(Some(secret))?, until);
    }
    let (notification, used) = verifier.verify_with_secret_used(&body)?;
    if used == SecretUsed::Previous {
        eprintln!("verified with the previous secret: the gateway still signs with it");
    }
    Ok(super::to_json(&notification))
}
