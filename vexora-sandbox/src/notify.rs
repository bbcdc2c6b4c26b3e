//! Signed notifications to the merchant's `notifyUrl`, retried on the
//! documented ladder until the merchant answers HTTP 200 with body `OK`.
//!
//! Outgoing HTTP is one fresh HTTP/1.1 connection per attempt through
//! hyper's low-level client (already in the tree for the server), `http://`
//! only: no pool to go stale between retries hours apart, no TLS stack.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderValue, Request, Uri};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value};
use tokio::net::TcpStream;
use tokio::sync::watch;

use crate::clock::SandboxClock;
use crate::delivery::{DeliveryOutcome, DeliveryRecord};
use crate::signature;
use crate::state::{self, money, Order, OrderStatus, Payout, PayoutStatus, State};

/// The waits before each retry: the gateway's documented ladder, read as a
/// first attempt plus 8 retries, one after each interval (9 attempts, about
/// 10 h in all). Scaled by `SandboxConfig::time_scale`.
pub const RETRY_LADDER: [Duration; 8] = vexora::notification::GATEWAY_RETRY_DELAYS;

/// The merchant's answer is read up to this size.
const RESPONSE_LIMIT: usize = 64 * 1024;
/// The log keeps this much of the merchant's answer.
const EXCERPT_LIMIT: usize = 200;

/// Sends notifications in background tasks and logs every attempt.
#[derive(Debug)]
pub(crate) struct Notifier {
    pub(crate) state: Arc<Mutex<State>>,
    pub(crate) clock: SandboxClock,
    pub(crate) time_scale: f64,
    pub(crate) timeout: Duration,
    pub(crate) shutdown: watch::Receiver<bool>,
}

/// What one notification says: about a pay-in order or a payout, the same
/// webhook and the same fields.
#[derive(Debug, Clone)]
pub(crate) struct Notice {
    merchant_no: String,
    notify_url: String,
    /// The signed fields before `timestamp` and `sign`.
    fields: Vec<(&'static str, String)>,
}

impl Notice {
    /// A pay-in order's notification.
    pub(crate) fn of_order(order: &Order, clock: &SandboxClock) -> Self {
        let paid = matches!(order.status, OrderStatus::Paid | OrderStatus::PartlyPaid);
        Self::new(
            &order.merchant_no,
            &order.notify_url,
            [
                ("platFormTradeNo", order.plat_form_trade_no.clone()),
                ("tradeNo", order.trade_no.clone()),
                ("amount", money(order.paid_amount, 2)),
                ("status", order.status.code().to_owned()),
                ("message", order.status.message().to_owned()),
            ],
            order.remark.as_deref(),
            order.finished_at_ms.filter(|_| paid).map(|at| clock.format_local(at)),
        )
    }

    /// A payout's notification.
    pub(crate) fn of_payout(payout: &Payout, clock: &SandboxClock) -> Self {
        let paid_out = payout.status == PayoutStatus::PaidOut;
        Self::new(
            &payout.merchant_no,
            &payout.notify_url,
            [
                ("platFormTradeNo", payout.plat_form_trade_no.clone()),
                ("tradeNo", payout.trade_no.clone()),
                ("amount", money(payout.amount, 2)),
                ("status", payout.status.code().to_owned()),
                ("message", payout.status.message().to_owned()),
            ],
            payout.remark.as_deref(),
            payout.finished_at_ms.filter(|_| paid_out).map(|at| clock.format_local(at)),
        )
    }

    fn new(
        merchant_no: &str,
        notify_url: &str,
        fields: [(&'static str, String); 5],
        remark: Option<&str>,
        success_time: Option<String>,
    ) -> Self {
        let mut fields = fields.to_vec();
        if let Some(remark) = remark.filter(|remark| !remark.is_empty()) {
            fields.push(("remark", remark.to_owned()));
        }
        fields.extend(success_time.map(|time| ("successTime", time)));
        Self { merchant_no: merchant_no.to_owned(), notify_url: notify_url.to_owned(), fields }
    }

    fn field(&self, name: &str) -> String {
        self.fields.iter().find(|(key, _)| *key == name).map(|(_, value)| value.clone()).unwrap_or_default()
    }
}

impl Notifier {
    /// Starts delivering a notification, signed with the merchant's
    /// `secret`. Must be called on the sandbox's runtime.
    pub(crate) fn notify(self: &Arc<Self>, notice: Notice, secret: String) {
        let notifier = Arc::clone(self);
        tokio::spawn(async move { notifier.deliver(&notice, &secret).await });
    }

    async fn deliver(&self, notice: &Notice, secret: &str) {
        let target = Target::parse(&notice.notify_url);
        let mut shutdown = self.shutdown.clone();
        for attempt in 1u32.. {
            let body = self.signed_body(notice, secret);
            let result = match &target {
                Ok(target) => tokio::time::timeout(self.timeout, post(target, body))
                    .await
                    .unwrap_or_else(|_| Err(format!("no answer within {} ms", self.timeout.as_millis()))),
                Err(reason) => Err(reason.clone()),
            };
            let acknowledged = matches!(&result, Ok((200, answer)) if answer.as_ref() == b"OK");
            let next_wait = match (&target, usize::try_from(attempt - 1).ok()) {
                (Ok(_), Some(index)) if !acknowledged => RETRY_LADDER.get(index).map(|wait| self.scale(*wait)),
                _ => None,
            };
            self.record(notice, attempt, result, acknowledged, next_wait);
            let Some(wait) = next_wait else { return };
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = crate::shutdown::stop_requested(&mut shutdown) => return,
            }
        }
    }

    fn scale(&self, wait: Duration) -> Duration {
        Duration::try_from_secs_f64(wait.as_secs_f64() * self.time_scale).unwrap_or(Duration::MAX)
    }

    /// The notification's JSON, stamped and signed now (each attempt anew,
    /// so a merchant checking `timestamp` freshness accepts late retries).
    fn signed_body(&self, notice: &Notice, secret: &str) -> Vec<u8> {
        let mut fields = notice.fields.clone();
        fields.push(("timestamp", self.clock.now_ms().to_string()));
        let sign = signature::sign(&fields, secret);
        let mut object: Map<String, Value> =
            fields.into_iter().map(|(key, value)| (key.to_owned(), Value::String(value))).collect();
        object.insert("sign".to_owned(), Value::String(sign));
        Value::Object(object).to_string().into_bytes()
    }

    fn record(
        &self,
        notice: &Notice,
        attempt: u32,
        result: Result<(u16, Bytes), String>,
        acknowledged: bool,
        next_wait: Option<Duration>,
    ) {
        let now = self.clock.now_ms();
        let (response_status, response_body, error) = match result {
            Ok((status, body)) => (Some(status), Some(excerpt(&body)), None),
            Err(error) => (None, None, Some(error)),
        };
        let outcome = match (acknowledged, response_status) {
            (true, _) => DeliveryOutcome::Acknowledged,
            (false, Some(_)) => DeliveryOutcome::Rejected,
            (false, None) => DeliveryOutcome::Failed,
        };
        let record = DeliveryRecord {
            merchant_no: notice.merchant_no.clone(),
            trade_no: notice.field("tradeNo"),
            plat_form_trade_no: notice.field("platFormTradeNo"),
            status: notice.field("status"),
            attempt,
            url: notice.notify_url.clone(),
            response_status,
            response_body,
            outcome,
            error,
            time: self.clock.format_local(now),
            timestamp_ms: now,
            next_attempt_in_ms: next_wait.map(|wait| u64::try_from(wait.as_millis()).unwrap_or(u64::MAX)),
        };
        state::lock(&self.state).record_delivery(record);
    }
}

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_LIMIT)]).into_owned();
    if body.len() > EXCERPT_LIMIT {
        text + "…"
    } else {
        text
    }
}

/// Where an `http://` URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    /// For connecting: no IPv6 brackets.
    host: String,
    port: u16,
    /// The `Host` header.
    host_header: String,
    path_and_query: String,
}

impl Target {
    fn parse(url: &str) -> Result<Self, String> {
        let uri: Uri = url.parse().map_err(|error| format!("notifyUrl is not a URL: {error}"))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some(other) => {
                return Err(format!("{other}:// notify URLs are not supported by the sandbox (http:// only)"))
            }
            None => return Err("notifyUrl is not an absolute http:// URL".to_owned()),
        }
        let authority = uri.authority().ok_or("notifyUrl has no host")?;
        let host = authority.host();
        let host_header = match authority.port_u16() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        Ok(Self {
            host: host.trim_start_matches('[').trim_end_matches(']').to_owned(),
            port: authority.port_u16().unwrap_or(80),
            host_header,
            path_and_query: uri.path_and_query().map_or("/", |path| path.as_str()).to_owned(),
        })
    }
}

/// One POST on a new connection; returns the status and body, or why not.
async fn post(target: &Target, body: Vec<u8>) -> Result<(u16, Bytes), String> {
    let stream = TcpStream::connect((target.host.as_str(), target.port))
        .await
        .map_err(|error| format!("cannot connect to {}:{}: {error}", target.host, target.port))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| format!("HTTP handshake failed: {error}"))?;
    // Ends when the exchange is done (we ask the merchant to close) or the sender is dropped.
    tokio::spawn(async move {
        let _closed = connection.await;
    });
    let host = HeaderValue::from_str(&target.host_header).map_err(|error| format!("bad Host: {error}"))?;
    let request = Request::post(target.path_and_query.as_str())
        .header(header::HOST, host)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::USER_AGENT, concat!("vexora-sandbox/", env!("CARGO_PKG_VERSION")))
        .header(header::CONNECTION, "close")
        .body(Full::new(Bytes::from(body)))
        .map_err(|error| format!("cannot build the request: {error}"))?;
    let response = sender.send_request(request).await.map_err(|error| format!("exchange failed: {error}"))?;
    let status = response.status().as_u16();
    let body = Limited::new(response.into_body(), RESPONSE_LIMIT)
        .collect()
        .await
        .map_err(|error| format!("cannot read the answer (HTTP {status}): {error}"))?
        .to_bytes();
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_http_only() {
        let target = Target::parse("http://127.0.0.1:8080/notify?x=1").expect("an http URL");
        assert_eq!(
            target,
            Target {
                host: "127.0.0.1".into(),
                port: 8080,
                host_header: "127.0.0.1:8080".into(),
                path_and_query: "/notify?x=1".into()
            }
        );
        let ipv6 = Target::parse("http://[::1]/").expect("an http URL");
        assert_eq!((ipv6.host.as_str(), ipv6.port, ipv6.host_header.as_str()), ("::1", 80, "[::1]"));
        assert_eq!(Target::parse("http://example.com").map(|t| t.path_and_query), Ok("/".to_owned()));
        let https = Target::parse("https://example.com/n").expect_err("refused");
        assert!(https.contains("http:// only"), "{https}");
        assert!(Target::parse("not a url").is_err());
        assert!(Target::parse("/relative").is_err());
    }

    #[test]
    fn the_ladder_is_the_documented_one() {
        let seconds: Vec<_> = RETRY_LADDER.iter().map(Duration::as_secs).collect();
        assert_eq!(seconds, [2, 5, 10, 30, 3600, 10_800, 10_800, 10_800]);
        // Within the documented 24 h.
        assert!(seconds.iter().sum::<u64>() < 24 * 3600);
    }

    #[test]
    fn excerpts_are_bounded() {
        assert_eq!(excerpt(b"OK"), "OK");
        assert_eq!(excerpt(&[b'x'; 500]).chars().count(), EXCERPT_LIMIT + 1);
    }
}
