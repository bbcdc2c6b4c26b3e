//! The merchant's network to the gateway, failing as networks do: a
//! [`Transport`] around the real one that refuses connections, loses
//! answers after the gateway acted, stalls past deadlines and puts
//! proxies' pages in the way, each decided by the request's `tradeNo` and
//! attempt. Waits pass on the simulated clock at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use vexora::transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

use crate::clock::SimClock;
use crate::decide::Decider;
use crate::plan::FaultRates;
use crate::trace::Trace;

/// A faulty network in front of `inner`.
#[derive(Clone)]
pub struct FaultyNetwork<T> {
    inner: T,
    decider: Decider,
    rates: FaultRates,
    clock: SimClock,
    trace: Trace,
    /// How many times each (call, tradeNo) was sent.
    attempts: Arc<Mutex<HashMap<(String, String), u32>>>,
}

/// What the network does to one exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Delivered,
    Refused,
    ProxyPage,
    ProxyServerError,
    GatewayServerError,
    AnswerLost,
    Stalled,
}

impl<T: Transport> FaultyNetwork<T> {
    /// `inner` behind the faults of `rates`, decided by `decider`.
    pub fn new(inner: T, decider: Decider, rates: FaultRates, clock: SimClock, trace: Trace) -> Self {
        Self { inner, decider, rates, clock, trace, attempts: Arc::default() }
    }

    fn fate(&self, call: &str, key: &str, attempt: u32) -> Fate {
        let strikes =
            |fault: &str, percent: u8| self.decider.strikes(fault, &format!("{call}|{key}"), attempt, percent);
        if strikes("refused", self.rates.refused) {
            Fate::Refused
        } else if strikes("proxy-page", self.rates.proxy_page) {
            Fate::ProxyPage
        } else if strikes("server-error", self.rates.server_error) {
            if self.decider.pick("server-error-side", key, attempt, 2) == 0 {
                Fate::ProxyServerError
            } else {
                Fate::GatewayServerError
            }
        } else if strikes("answer-lost", self.rates.answer_lost) {
            Fate::AnswerLost
        } else if strikes("stalled", self.rates.stalled) {
            Fate::Stalled
        } else {
            Fate::Delivered
        }
    }
}

/// The call a request makes (the URL's last segment, e.g. `checkout`) and
/// the `tradeNo` it names, if any.
fn call_and_key(request: &HttpRequest) -> (String, String) {
    let call = request.url.rsplit('/').next().unwrap_or_default().to_owned();
    let key = serde_json::from_slice::<serde_json::Value>(&request.body)
        .ok()
        .and_then(|body| body.get("tradeNo").and_then(|trade_no| trade_no.as_str().map(str::to_owned)))
        .unwrap_or_default();
    (call, key)
}

fn page(status: u16, text: &str) -> HttpResponse {
    HttpResponse { status, content_type: Some("text/html".to_owned()), body: text.as_bytes().to_vec() }
}

impl<T: Transport> Transport for FaultyNetwork<T> {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let (call, key) = call_and_key(&request);
        let deadline = request.timeout;
        let attempt = {
            let mut attempts = self.attempts.lock().unwrap_or_else(PoisonError::into_inner);
            let count = attempts.entry((call.clone(), key.clone())).or_insert(0);
            *count += 1;
            *count
        };
        let fate = self.fate(&call, &key, attempt);
        let note = |what: String| self.trace.note("network", what);
        if fate != Fate::Delivered {
            note(format!("{call} {key} attempt {attempt}: {fate:?}"));
        }
        match fate {
            Fate::Refused => return Err(TransportError::new(TransportErrorKind::Connect, "connection refused")),
            Fate::ProxyPage => {
                let status = [302, 403, 404][self.decider.pick("proxy-status", &key, attempt, 3) as usize];
                return Ok(page(status, "<html>proxy</html>"));
            }
            Fate::ProxyServerError => return Ok(page(502, "<html>bad gateway</html>")),
            _ => {}
        }
        let answer = self.inner.send(request).await;
        match fate {
            Fate::GatewayServerError => Ok(page(500, "<html>internal error</html>")),
            Fate::AnswerLost => Err(TransportError::new(TransportErrorKind::Exchange, "connection reset")),
            Fate::Stalled => {
                self.clock.advance(deadline);
                Err(TransportError::new(TransportErrorKind::Timeout, "no answer within the deadline"))
            }
            _ => answer,
        }
    }

    async fn wait(&self, duration: Duration) {
        self.clock.advance(duration);
    }
}
