//! The `tracing` feature: what a call, a retry, an unknown outcome and a
//! refused notification leave behind, and what they never do (the secret,
//! a `sign`, the payer's data).

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures_lite::future::block_on;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use vexora::notification;
use vexora::taiwan::PayInQueryRequest;
use vexora::transport::{TransportError, TransportErrorKind};
use vexora::{AppSecret, Error};
use vexora_tests::{SECRET, recording_client, seed_net_banking};

use crate::PROCESS;

/// Every span, field record and event, one line each.
#[derive(Default)]
struct Capture {
    lines: Mutex<Vec<String>>,
    next_id: AtomicU64,
}

impl Capture {
    fn push(&self, line: String) {
        self.lines.lock().expect("not poisoned").push(line);
    }

    fn text(&self) -> String {
        self.lines.lock().expect("not poisoned").join("\n")
    }
}

/// Writes ` name=value` for each field.
struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = format!("span {}", span.metadata().name());
        span.record(&mut Fields(&mut line));
        self.push(line);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = String::from("record");
        values.record(&mut Fields(&mut line));
        self.push(line);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = format!("event {}", event.metadata().level());
        event.record(&mut Fields(&mut line));
        self.push(line);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Runs `f` with a fresh capture as the subscriber; returns what it saw.
///
/// The capture is this thread's subscriber only, but tracing decides for
/// every thread, once per call site, whether anyone listens: a call site
/// first reached on another thread while this capture is the only
/// subscriber would be marked unheard for this one too. So no other test
/// of this binary runs while a capture is on.
fn captured(f: impl FnOnce()) -> String {
    let _alone = PROCESS.blocking_write();
    let capture = Arc::new(Capture::default());
    tracing::subscriber::with_default(Arc::clone(&capture), f);
    capture.text()
}

const PAID: &str = r#"{"code":"0000","msg":"success","success":true,"timestamp":1,
    "data":{"tradeNo":"T1","platFormTradeNo":"p1","status":"0000","amount":"300","message":"ok"}}"#;

#[test]
fn a_retried_read_records_its_attempts_elapsed_time_and_outcome() {
    let (client, transport) = recording_client("taiwan");
    transport.reply(503, "busy").reply(200, PAID);
    let text = captured(|| {
        block_on(client.send(&PayInQueryRequest::new("T1"))).expect("paid on the second attempt");
    });
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "span vexora.call endpoint=taiwan/query-pay-in-result", "{text}");
    assert_eq!(lines[1], "record trade_no=T1", "{text}");
    assert!(lines[2].starts_with("event WARN message=vexora: retrying a read attempt=1 wait_ms="), "{text}");
    assert!(lines[2].ends_with(" error=bad_response"), "{text}");
    assert_eq!(lines[3], "record attempt=2", "{text}");
    assert!(lines[4].starts_with("record elapsed_ms="), "{text}");
    assert_eq!(lines[5], "record outcome=ok", "{text}");
}

#[test]
fn an_unknown_outcome_is_an_error_event_with_the_trade_no_and_no_payer_data() {
    let (client, transport) = recording_client("taiwan");
    transport.fail(TransportError::new(TransportErrorKind::Exchange, "connection reset after sending"));
    let request = seed_net_banking();
    let text = captured(|| {
        let outcome = block_on(client.send(&request));
        assert!(matches!(outcome, Err(Error::OutcomeUnknown { .. })), "{outcome:?}");
    });
    assert!(text.contains("span vexora.call endpoint=taiwan/checkout"), "{text}");
    assert!(text.contains("record outcome=outcome_unknown"), "{text}");
    assert!(
        text.contains(
            "event ERROR message=vexora: sent, outcome unknown: reconcile before sending again trade_no=00000007"
        ),
        "{text}"
    );
    let body = String::from_utf8(transport.requests()[0].body.clone()).expect("a JSON body");
    let sign = body.split("\"sign\":\"").nth(1).and_then(|rest| rest.get(..32)).expect("a signed body");
    for secret_or_payer_data in [SECRET, sign, "0912345678", "123@gmail.com", "abc", "192.168.0.1", "808-0368988888888"]
    {
        assert!(!text.contains(secret_or_payer_data), "{secret_or_payer_data:?} in:\n{text}");
    }
}

#[test]
fn a_refusal_records_its_code_but_not_the_gateway_message() {
    let (client, transport) = recording_client("taiwan");
    transport.reply(200, r#"{"code":"9005","msg":"tradeNo 00000007 of payer 0912345678 exists","success":false}"#);
    let text = captured(|| {
        let outcome = block_on(client.send(&seed_net_banking()));
        assert!(matches!(outcome, Err(Error::Refused { .. })), "{outcome:?}");
    });
    assert!(text.contains("record outcome=refused"), "{text}");
    assert!(text.contains("event INFO message=vexora: refused code=9005"), "{text}");
    assert!(!text.contains("0912345678"), "{text}");
}

#[test]
fn a_refused_notification_is_a_warning_naming_only_the_reason() {
    let forged = br#"{"tradeNo":"00000007","status":"0000","amount":"3000","sign":"d2a1dfad392f7d937b2cc1660401a647"}"#;
    let text = captured(|| {
        let refused = notification::verify(forged, &AppSecret::new(SECRET));
        assert!(refused.is_err());
    });
    assert_eq!(text, "event WARN message=vexora: notification refused error=signature_mismatch");
}

#[test]
fn invalid_input_is_recorded_as_invalid_without_attempts() {
    let (client, transport) = recording_client("taiwan");
    let text = captured(|| {
        let outcome = block_on(client.send(&PayInQueryRequest::new("")));
        assert!(matches!(outcome, Err(Error::Invalid(_))), "{outcome:?}");
    });
    assert!(transport.requests().is_empty());
    assert!(text.contains("record attempt=0"), "{text}");
    assert!(text.contains("record outcome=invalid"), "{text}");
}
