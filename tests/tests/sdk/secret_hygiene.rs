//! No public type's `Debug`/`Display`, and no error, shows the app secret or
//! a request's signature: everything that can hold them is rendered here and
//! searched.

use std::time::Duration;

use futures_lite::future::block_on;
use vexora::clock::FixedClock;
use vexora::notification::{self, NotificationError, VerifyOptions};
use vexora::signing::{CanonicalHasher, sign_request};
use vexora::transport::{RecordingTransport, SurfTransport, TransportError, TransportErrorKind};
use vexora::validation::{ValidationErrors, Violation};
use vexora::{AppSecret, Client, Config, Error};
use vexora_sandbox::{Sandbox, SandboxConfig};
use vexora_tests::seed_net_banking;

/// A secret no test fixture shares, so any hit is a leak.
const SECRET: &str = "hygiene-secret-7c1f9e";

fn config() -> Config {
    Config::builder()
        .merchant_no("0000000001")
        .app_secret(SECRET)
        .base_url("https://gateway.example/taiwan")
        .timeout(Duration::from_secs(5))
        .build()
        .expect("valid configuration")
}

#[test]
fn nothing_renders_the_secret_or_a_signature() {
    let request = seed_net_banking();
    let sign = sign_request(&request, "1724142041682", SECRET.as_bytes()).to_string();

    let transport = RecordingTransport::new();
    transport.reply(200, r#"{"code":"8000","msg":"request failed"}"#);
    let client = Client::with_transport(config(), transport.clone()).with_clock(FixedClock(1_724_142_041_682));
    let prepared = client.prepare(&request).expect("valid");
    assert!(String::from_utf8_lossy(&prepared.body).contains(&sign), "the body does carry the signature");
    let refused = block_on(client.send(&request)).expect_err("refused");

    let mut hasher = CanonicalHasher::new();
    hasher.pair("a", "1");
    let errors: Vec<Error> = vec![
        refused,
        Error::Invalid(ValidationErrors::from_violations(vec![Violation::new("mobile", "pattern", "bad")])),
        Error::Transport(TransportError::new(TransportErrorKind::Timeout, "deadline")),
        Error::BadResponse { status: 502, reason: "HTML".into(), excerpt: "<html>".into() },
        Error::OutcomeUnknown {
            keys: [("tradeNo", "00000007".to_owned())].into_iter().collect(),
            cause: Box::new(Error::Transport(TransportError::new(TransportErrorKind::Exchange, "reset"))),
        },
    ];
    let body = String::from_utf8_lossy(&prepared.body).into_owned();
    let notification_errors: Vec<NotificationError> =
        [body.clone(), body.replace("\"300\"", "\"301\""), format!("{{\"sign\":\"{sign}\"}}"), "not json".to_owned()]
            .iter()
            .filter_map(|raw| notification::verify(raw.as_bytes(), &AppSecret::new(SECRET)).err())
            .collect();
    assert!(!notification_errors.is_empty());

    let sandbox = Sandbox::spawn(SandboxConfig::default().merchant("0000000002", SECRET)).expect("sandbox");
    let mut rendered = vec![
        format!("{:?}", config()),
        format!("{:?}", Config::builder().app_secret(SECRET)),
        format!("{:?}", AppSecret::new(SECRET)),
        format!("{client:?}"),
        format!("{:?}", Client::new(config())),
        format!("{:?}", SurfTransport::new(Duration::from_secs(1))),
        format!("{transport:?}"),
        format!("{prepared:?}"),
        format!("{:?}", sign_request(&request, "1724142041682", SECRET.as_bytes())),
        format!("{hasher:?}"),
        format!("{:?}", VerifyOptions::max_age(Duration::from_secs(1))),
        format!("{:?}", SandboxConfig::default().merchant("0000000002", SECRET)),
        format!("{sandbox:?}"),
    ];
    for error in &errors {
        rendered.push(format!("{error}"));
        rendered.push(format!("{error:?}"));
    }
    for error in &notification_errors {
        rendered.push(format!("{error}"));
        rendered.push(format!("{error:?}"));
    }
    for text in &rendered {
        assert!(!text.contains(SECRET), "the secret leaks in: {text}");
        assert!(!text.contains(&sign), "the signature leaks in: {text}");
    }
}

/// The easiest mistake: the app secret pasted into the wrong setting. Every
/// configuration error it causes names the setting and the rule, never the
/// value, so startup logs stay clean.
#[test]
fn configuration_errors_never_quote_the_value() {
    let good = [
        ("VEXORA_MERCHANT_NO", "0000000001"),
        ("VEXORA_APP_SECRET", SECRET),
        ("VEXORA_BASE_URL", "https://gateway.example/taiwan"),
    ];
    let with = |variable: &str, value: &str| {
        let mut vars: Vec<(String, String)> = good.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        vars.retain(|(name, _)| name != variable);
        vars.push((variable.to_owned(), value.to_owned()));
        Config::from_lookup(move |name| vars.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()))
    };
    let credentials = format!("https://merchant:{SECRET}@gateway.example/taiwan");
    let attempts = [
        with("VEXORA_MERCHANT_NO", SECRET),
        with("VEXORA_BASE_URL", SECRET),
        with("VEXORA_BASE_URL", &credentials),
        with("VEXORA_TIMEOUT_MS", SECRET),
        with("VEXORA_MAX_IDLE_CONNECTIONS", SECRET),
        Config::from_lookup(|name| (name != "VEXORA_BASE_URL").then(|| SECRET.to_owned())),
        Config::builder().app_secret(SECRET).build(),
        Config::builder().merchant_no(SECRET).app_secret(SECRET).build(),
        Config::builder().merchant_no("0000000001").app_secret(SECRET).base_url(SECRET).build(),
        Config::builder().merchant_no("0000000001").app_secret(SECRET).base_url(credentials.as_str()).build(),
        Config::builder()
            .merchant_no("0000000001")
            .app_secret(SECRET)
            .base_url("https://gateway.example/taiwan")
            .timeout(Duration::from_micros(1))
            .build(),
        Config::builder()
            .merchant_no("0000000001")
            .app_secret(SECRET)
            .base_url("https://gateway.example/taiwan")
            .retry(vexora::retry::RetryPolicy { max_attempts: 0, ..Default::default() })
            .build(),
    ];
    let mut kinds = std::collections::HashSet::new();
    for attempt in attempts {
        let error = attempt.expect_err("an unusable configuration");
        kinds.insert(std::mem::discriminant(&error));
        for text in [error.to_string(), format!("{error:?}"), Error::Config(error.clone()).to_string()] {
            assert!(!text.contains(SECRET), "the secret leaks in: {text}");
        }
    }
    assert_eq!(kinds.len(), 3, "every kind of ConfigError was rendered");
}
