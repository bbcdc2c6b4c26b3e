//! Notifications through a delivery hook on a simulated clock: the ladder,
//! the log and the acknowledgement rule are the notifier's, the wire is the
//! hook, and retries fire exactly when an advance reaches their time.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::*;
use vexora_sandbox::{
    DeliveryFailure, DeliveryOutcome, DeliveryTrigger, InProcessSandbox, NotificationRequest, NotifiedKind,
    PaymentOutcome, ReceiverAnswer, Sandbox, SandboxConfig, TEST_MERCHANT_NO,
};

/// Every attempt the hook was given.
type Seen = Arc<Mutex<Vec<NotificationRequest>>>;

/// A sandbox on the simulated clock whose receiver answers attempt `n` of
/// each notification with `answer(n)`.
fn sandbox_answering(
    answer: impl Fn(u32) -> Result<ReceiverAnswer, DeliveryFailure> + Send + Sync + 'static,
) -> (InProcessSandbox, Seen) {
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    let hook = move |request: NotificationRequest| {
        let answer = answer(request.attempt);
        log.lock().expect("not poisoned").push(request);
        async move { answer }
    };
    let config = SandboxConfig::default().simulated_clock(START_MS).deliver_with(Arc::new(hook));
    (Sandbox::in_process(config).expect("builds"), seen)
}

async fn paid_order(sandbox: &InProcessSandbox, trade_no: &str) {
    let created = api(sandbox, CHECKOUT, checkout_fields(trade_no, 300, "1.1.1.1", "http://merchant.sim/notify")).await;
    assert_eq!(created["code"], "0000", "{created}");
    sandbox.control().finish_order(TEST_MERCHANT_NO, trade_no, PaymentOutcome::Pay).expect("paying");
    sandbox.control().quiesce().await;
}

#[tokio::test]
async fn a_retry_is_due_exactly_when_the_clock_is_advanced_past_its_time() {
    let (sandbox, seen) = sandbox_answering(|attempt| match attempt {
        1 | 2 => Err(DeliveryFailure("connection refused (simulated)".into())),
        _ => Ok(ReceiverAnswer::ok()),
    });
    let control = sandbox.control();
    paid_order(&sandbox, "T1").await;

    let first = control.deliveries();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].outcome, DeliveryOutcome::Failed, "a hook failure is a failed attempt");
    assert_eq!(first[0].error.as_deref(), Some("connection refused (simulated)"));
    assert_eq!((first[0].response_status, first[0].response_body.as_deref()), (None, None));
    assert_eq!((first[0].timestamp_ms, first[0].duration_ms), (START_MS, 0));
    assert_eq!(first[0].next_attempt_at_ms, Some(START_MS + 2000), "the ladder's first interval");

    // Real time passing moves nothing.
    tokio::time::sleep(Duration::from_millis(50)).await;
    control.quiesce().await;
    assert_eq!((control.now_ms(), control.deliveries().len()), (START_MS, 1));

    control.advance_clock(Duration::from_millis(1999));
    control.quiesce().await;
    assert_eq!(control.deliveries().len(), 1, "1 ms short of the retry");
    control.advance_clock(Duration::from_millis(1));
    control.quiesce().await;
    let second = control.deliveries();
    assert_eq!(second.len(), 2, "due exactly at its time");
    assert_eq!((second[1].attempt, second[1].outcome), (2, DeliveryOutcome::Failed));
    assert_eq!(second[1].timestamp_ms, START_MS + 2000);
    assert_eq!(second[1].next_attempt_at_ms, Some(START_MS + 7000), "then 5 s later");

    // One advance far past several retries fires the one due, then the
    // ladder's next waits its own interval from when this one was due.
    control.advance_clock(Duration::from_secs(60));
    control.quiesce().await;
    let third = control.deliveries();
    assert_eq!(third.len(), 3);
    assert_eq!((third[2].attempt, third[2].outcome), (3, DeliveryOutcome::Acknowledged));
    assert_eq!(third[2].next_attempt_at_ms, None, "acknowledged: the ladder ends");
    control.advance_clock(Duration::from_secs(24 * 3600));
    control.quiesce().await;
    assert_eq!(control.deliveries().len(), 3);

    let seen = seen.lock().expect("not poisoned").clone();
    assert_eq!(seen.iter().map(|request| request.attempt).collect::<Vec<_>>(), [1, 2, 3]);
    for (request, record) in seen.iter().zip(&third) {
        assert_eq!(request.url, "http://merchant.sim/notify");
        assert_eq!((&request.kind, request.trigger), (&NotifiedKind::Order, DeliveryTrigger::Ladder));
        assert_eq!(request.trade_no, "T1");
        assert_eq!(request.body, record.body.as_bytes(), "the hook gets the logged body, exactly");
    }
    let body: serde_json::Value = serde_json::from_slice(&seen[1].body).expect("JSON");
    assert_eq!(body["timestamp"], (START_MS + 2000).to_string(), "each attempt stamped on the simulated clock");
    assert_eq!(body["successTime"], "2026-11-26 15:04:05");
}

#[tokio::test]
async fn only_200_ok_acknowledges_whatever_the_wire() {
    let (sandbox, _) = sandbox_answering(|attempt| {
        Ok(match attempt {
            1 => ReceiverAnswer::new(200, "ok"),
            2 => ReceiverAnswer::new(500, "down"),
            _ => ReceiverAnswer::ok(),
        })
    });
    let control = sandbox.control();
    paid_order(&sandbox, "T1").await;
    control.advance_clock(Duration::from_secs(2));
    control.quiesce().await;
    control.advance_clock(Duration::from_secs(5));
    control.quiesce().await;
    let log = control.deliveries();
    let outcomes: Vec<_> = log.iter().map(|record| (record.response_status, record.outcome)).collect();
    assert_eq!(
        outcomes,
        [
            (Some(200), DeliveryOutcome::Rejected),
            (Some(500), DeliveryOutcome::Rejected),
            (Some(200), DeliveryOutcome::Acknowledged)
        ]
    );
    assert_eq!(log[1].response_body.as_deref(), Some("down"));
}

#[tokio::test]
async fn a_hook_that_never_answers_times_out_as_a_failed_attempt() {
    let hook = |_request: NotificationRequest| std::future::pending::<Result<ReceiverAnswer, DeliveryFailure>>();
    let config = SandboxConfig::default()
        .simulated_clock(START_MS)
        .notify_timeout(Duration::from_millis(50))
        .deliver_with(Arc::new(hook));
    let sandbox = Sandbox::in_process(config).expect("builds");
    paid_order(&sandbox, "T1").await;
    let log = sandbox.deliveries();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].outcome, DeliveryOutcome::Failed);
    assert_eq!(log[0].error.as_deref(), Some("no answer within 50 ms"));
    assert_eq!(log[0].next_attempt_at_ms, Some(START_MS + 2000), "and the ladder goes on");
}

#[tokio::test]
async fn lost_notifications_never_reach_the_hook() {
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    let hook = move |request: NotificationRequest| {
        log.lock().expect("not poisoned").push(request);
        async { Ok(ReceiverAnswer::ok()) }
    };
    let config =
        SandboxConfig::default().simulated_clock(START_MS).lose_notifications(100, 7).deliver_with(Arc::new(hook));
    let sandbox = Sandbox::in_process(config).expect("builds");
    paid_order(&sandbox, "T1").await;
    assert!(seen.lock().expect("not poisoned").is_empty());
    assert!(sandbox.deliveries().is_empty());
}
