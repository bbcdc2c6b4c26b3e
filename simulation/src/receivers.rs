//! The merchant's notification receivers, reached in process: the
//! sandbox's notifier hands each attempt to [`Receivers`], which loses it,
//! finds the receiver down, holds it up on the way until a later attempt
//! has arrived, delivers it to one receiver or to both, or loses the
//! acknowledgement, each decided by the notification and the attempt.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::{Body, Bytes};
use vexora_sandbox::{DeliveryFailure, DeliveryFuture, NotificationRequest, NotificationTransport, ReceiverAnswer};

use crate::decide::Decider;
use crate::plan::FaultRates;
use crate::trace::Trace;

/// Two receivers, each the ledger's webhook on its own pool of one
/// database, as two processes would be.
#[derive(Clone)]
pub struct Receivers {
    routers: [Router; 2],
    decider: Decider,
    rates: FaultRates,
    trace: Trace,
    /// Every body a receiver acknowledged: each must be one the gateway sent.
    acknowledged: Arc<Mutex<Vec<Bytes>>>,
    /// Attempts held up on the way, by notification (kind and `tradeNo`).
    held: Arc<Mutex<HashMap<String, Vec<Held>>>>,
}

/// An attempt held up on the way: the gateway gave up on it; it arrives
/// once a later attempt, `arrives_after`, has.
struct Held {
    request: NotificationRequest,
    arrives_after: u32,
}

impl Receivers {
    /// Receivers serving `routers`.
    pub fn new(routers: [Router; 2], decider: Decider, rates: FaultRates, trace: Trace) -> Self {
        Self { routers, decider, rates, trace, acknowledged: Arc::default(), held: Arc::default() }
    }

    /// The bodies the receivers answered `OK` to.
    pub fn acknowledged(&self) -> Vec<Bytes> {
        self.acknowledged.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    async fn attempt(self, request: NotificationRequest) -> Result<ReceiverAnswer, DeliveryFailure> {
        let key = format!("{:?}|{}", request.kind, request.trade_no);
        let attempt = request.attempt;
        let strikes = |fault: &str, percent: u8| self.decider.strikes(fault, &key, attempt, percent);
        let note = |what: String| self.trace.note("notifier", what);
        if strikes("receiver-down", self.rates.receiver_down) {
            note(format!("{key} attempt {attempt}: receiver down"));
            return Err(DeliveryFailure("connection refused: the receiver is down".to_owned()));
        }
        if strikes("notification-lost", self.rates.notification_lost) {
            note(format!("{key} attempt {attempt}: lost on the way"));
            return Err(DeliveryFailure("the connection broke before an answer".to_owned()));
        }
        if strikes("held-back", self.rates.held_back) {
            let later = 1 + u32::try_from(self.decider.pick("held-past", &key, attempt, 2)).unwrap_or(0);
            let arrives_after = attempt.saturating_add(later);
            note(format!("{key} attempt {attempt}: held up on the way, to arrive after attempt {arrives_after}"));
            let held = Held { request, arrives_after };
            self.held.lock().unwrap_or_else(PoisonError::into_inner).entry(key).or_default().push(held);
            return Err(DeliveryFailure("no answer: the request is held up on the way".to_owned()));
        }
        let first = usize::from(self.decider.pick("receiver", &key, attempt, 2) == 1);
        let answer = self.post(first, &request).await;
        let mut twin = None;
        if strikes("notification-twice", self.rates.notification_twice) {
            note(format!("{key} attempt {attempt}: delivered to both receivers"));
            twin = Some(self.post(1 - first, &request).await);
        }
        let acknowledged = [Some(&answer), twin.as_ref()].into_iter().flatten().any(acknowledges);
        let result = if let Some(second) = twin.filter(|second| second.status == 200 && answer.status != 200) {
            Ok(second)
        } else if strikes("answer-lost", self.rates.notification_lost) {
            note(format!("{key} attempt {attempt}: the receiver's answer was lost"));
            Err(DeliveryFailure("the answer was lost".to_owned()))
        } else {
            note(format!("{key} attempt {attempt}: receiver-{} answered {}", first + 1, answer.status));
            Ok(answer)
        };
        // Earlier attempts held up on the way arrive now, past this one;
        // all of them once this one is acknowledged (the ladder ends).
        self.release_held(&key, attempt, acknowledged).await;
        result
    }

    /// Delivers the attempts of `key` held until `attempt` (all of them,
    /// with `all`), each to the receiver its own attempt draws. Their
    /// answers go nowhere: the gateway gave up on them.
    async fn release_held(&self, key: &str, attempt: u32, all: bool) {
        let arriving: Vec<Held> = {
            let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
            let Some(waiting) = held.get_mut(key) else { return };
            let (arriving, still) =
                std::mem::take(waiting).into_iter().partition(|h| all || h.arrives_after <= attempt);
            *waiting = still;
            arriving
        };
        for held in arriving {
            let receiver = usize::from(self.decider.pick("receiver", key, held.request.attempt, 2) == 1);
            let answer = self.post(receiver, &held.request).await;
            self.trace.note(
                "notifier",
                format!(
                    "{key} attempt {} (held up) arrived after attempt {attempt}: receiver-{} answered {}",
                    held.request.attempt,
                    receiver + 1,
                    answer.status
                ),
            );
        }
    }

    async fn post(&self, receiver: usize, request: &NotificationRequest) -> ReceiverAnswer {
        let path = request.url.split("://").nth(1).and_then(|rest| rest.find('/').map(|at| &rest[at..])).unwrap_or("/");
        let http = axum::http::Request::post(path)
            .header("content-type", "application/json")
            .body(Body::from(request.body.clone()))
            .expect("a path from a URL the notifier accepted makes a valid request");
        let Ok(response) = tower_service::Service::call(&mut self.routers[receiver].clone(), http).await;
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap_or_default();
        let answer = ReceiverAnswer::new(status, body);
        if acknowledges(&answer) {
            self.acknowledged.lock().unwrap_or_else(PoisonError::into_inner).push(request.body.clone());
        }
        answer
    }
}

/// Whether `answer` acknowledges the notification: `200` with `OK`.
fn acknowledges(answer: &ReceiverAnswer) -> bool {
    answer.status == 200 && answer.body.as_ref() == b"OK"
}

impl NotificationTransport for Receivers {
    fn deliver(&self, request: NotificationRequest) -> DeliveryFuture {
        Box::pin(self.clone().attempt(request))
    }
}
