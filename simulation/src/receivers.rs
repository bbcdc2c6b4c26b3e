//! The merchant's notification receivers, reached in process: the
//! sandbox's notifier hands each attempt to [`Receivers`], which loses it,
//! finds the receiver down, delivers it to one receiver or to both, or
//! loses the acknowledgement, each decided by the notification and the
//! attempt.

use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, Bytes};
use axum::Router;
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
}

impl Receivers {
    /// Receivers serving `routers`.
    pub fn new(routers: [Router; 2], decider: Decider, rates: FaultRates, trace: Trace) -> Self {
        Self { routers, decider, rates, trace, acknowledged: Arc::default() }
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
        let first = usize::from(self.decider.pick("receiver", &key, attempt, 2) == 1);
        let answer = self.post(first, &request).await;
        if strikes("notification-twice", self.rates.notification_twice) {
            note(format!("{key} attempt {attempt}: delivered to both receivers"));
            let second = self.post(1 - first, &request).await;
            if second.status == 200 && answer.status != 200 {
                return Ok(second);
            }
        }
        if strikes("answer-lost", self.rates.notification_lost) {
            note(format!("{key} attempt {attempt}: the receiver's answer was lost"));
            return Err(DeliveryFailure("the answer was lost".to_owned()));
        }
        note(format!("{key} attempt {attempt}: receiver-{} answered {}", first + 1, answer.status));
        Ok(answer)
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
        if status == 200 && body.as_ref() == b"OK" {
            self.acknowledged.lock().unwrap_or_else(PoisonError::into_inner).push(request.body.clone());
        }
        ReceiverAnswer::new(status, body)
    }
}

impl NotificationTransport for Receivers {
    fn deliver(&self, request: NotificationRequest) -> DeliveryFuture {
        Box::pin(self.clone().attempt(request))
    }
}
