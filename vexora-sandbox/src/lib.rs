//! A local stand-in for the Vexora payment gateway, for testing merchants'
//! integrations and the SDK offline.
//!
//! The sandbox loads the endpoint descriptions of `spec/` at start-up and
//! serves each at `POST /<region><path>`. Every request is judged on its own,
//! by a generic validator written from the spec format (not by the SDK's
//! derive, so a bug in one is caught by the other): known `merchantNo`
//! header, JSON object of scalar values, signature (with the SDK's shared
//! primitive `vexora::signing`), `timestamp` within ±5 minutes, every field
//! rule, no unknown field; then duplicate `tradeNo`s and the payer-IP limits.
//! Refusals are the gateway's envelope with a **sandbox code** (9xxx; the
//! real table is not public) and a message naming the problem.
//!
//! An endpoint of a kind the sandbox has no handler of its own for (a
//! `refund`, say) is served from its spec's data: a create stores a record
//! under its keys and moves the balance as the spec says money moves, its
//! read finds the record by the same fields, and
//! `/sandbox/records/{platformId}/{success|failed}` finishes it.
//!
//! A checkout's `paymentUrl` opens a cashier page where the payer pays in
//! full, pays part or fails; the sandbox then sends the signed notification
//! to `notifyUrl`, retried on the documented ladder until it gets `OK`.
//! Tests script the same outcomes at `/sandbox/orders/{tradeNo}/{action}`,
//! resend a notification, move the sandbox clock at
//! `/sandbox/clock/advance`, inject faults at `/sandbox/faults`, and read
//! `/sandbox/deliveries` and `/sandbox/stats`. People see it all on the
//! dashboard at `GET /sandbox`, whose buttons post to the same routes. The
//! crate's README lists every route and code.
//!
//! For a seeded simulation the sandbox also runs in process
//! ([`Sandbox::in_process`], no port), on a simulated clock
//! ([`SandboxConfig::simulated_clock`]), delivering notifications through a
//! hook ([`SandboxConfig::deliver_with`]), hiding records from queries by
//! key ([`SandboxConfig::visibility_delay`]) and drawing its ids from a seed
//! ([`SandboxConfig::platform_id_seed`]); [`SandboxControl`] steers it.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), vexora_sandbox::SandboxError> {
//! use vexora_sandbox::{Sandbox, SandboxConfig, TEST_MERCHANT_NO};
//!
//! let sandbox = Sandbox::start(SandboxConfig::default().time_scale(0.001)).await?;
//! println!("merchant {TEST_MERCHANT_NO}, base URL {}", sandbox.base_url("taiwan"));
//! assert!(sandbox.routes().contains(&"/taiwan/v1/vexora/checkout".to_owned()));
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// Five wings, whose imports run one way: `server` uses the others; `web` and
// `gateway` use `notify` and `book`, never each other; `notify` uses `book`;
// `book` uses none of them (the README's "How it is built").
mod book;
mod error;
mod gateway;
mod notify;
mod server;
mod shutdown;
mod web;

pub use book::records::PaymentOutcome;
pub use book::views::{BalanceView, OrderView, PayoutView};
pub use book::visibility::VisibilityDelay;
pub use error::{RuleError, SandboxError};
pub use gateway::envelope::SandboxCode;
pub use gateway::specs::SpecSource;
pub use notify::delivery::{DeliveryOutcome, DeliveryRecord, DeliveryTrigger, NotifiedKind};
pub use notify::notifier::{NotificationLoss, RETRY_LADDER};
pub use notify::receiver::{
    DeliveryFailure, DeliveryFuture, NotificationRequest, NotificationTransport, ReceiverAnswer,
};
pub use server::config::{SandboxConfig, TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};
pub use server::handles::{RunningSandbox, SandboxHandle};
pub use server::in_process::InProcessSandbox;
pub use server::inject::ConnectionDropped;
pub use server::options::SandboxOptions;
pub use server::sandbox_control::{ControlError, SandboxControl};
pub use server::service::{SandboxService, VERSION_HEADER};
pub use server::start::Sandbox;
pub use web::faults::Fault;
pub use web::stats::SandboxStats;

/// Judges API requests exactly as a running sandbox does (the same
/// `gateway::judge::handle`), without a socket or a runtime: the entry point of the
/// workspace's `sandbox_request` fuzz target and of its corpus replay test.
///
/// The specs and merchants of `config` are loaded once. Each call of the
/// returned function is a fresh session, with no orders and no IP counts:
/// it judges `requests` in order, each `(route, merchantNo header, body)`
/// sent as `application/json`, and returns every answer as the SDK's
/// transport receives it. A route that is not an API route gets the
/// server's 404. Calls from several threads take turns.
#[doc(hidden)]
// One hidden hook, so no named types for its closure.
#[allow(clippy::type_complexity)]
pub fn offline_judge(
    config: &SandboxConfig,
) -> Result<impl Fn(&[(&str, &str, &[u8])]) -> Vec<vexora::transport::HttpResponse> + Send + Sync + use<>, SandboxError>
{
    use std::future::Future;
    use std::task::{Context, Poll, Waker};

    use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
    use http_body_util::BodyExt;

    // Judging never notifies (only the cashier and control routes do); the
    // notifier is there because a sandbox has one, already told to stop.
    let (_stop, stopped) = tokio::sync::watch::channel(true);
    let app = server::app::App::new(config, config.addr, "http://sandbox.invalid".to_owned(), stopped)?;
    // One session at a time: a call from another thread must not reset the
    // state in the middle of this one's requests.
    let sessions = std::sync::Mutex::new(());
    Ok(move |requests: &[(&str, &str, &[u8])]| {
        let _session = sessions.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *app.book.state() = book::state::State::default();
        let judge = |&(route, merchant_no, body): &(&str, &str, &[u8])| {
            let answer = |status: u16, content_type: Option<&str>, body: Vec<u8>| vexora::transport::HttpResponse {
                status,
                content_type: content_type.map(str::to_owned),
                body,
            };
            let Some(endpoint) = app.gateway.endpoints.iter().find(|endpoint| endpoint.route == route) else {
                return answer(
                    404,
                    Some("text/plain; charset=utf-8"),
                    format!("404 not found: {route}\n").into_bytes(),
                );
            };
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            if let Ok(value) = HeaderValue::from_str(merchant_no) {
                headers.insert(HeaderName::from_static("merchantno"), value);
            }
            let (parts, body) = gateway::judge::handle(&app.gateway, endpoint, &headers, body, 0).into_parts();
            // An envelope is an in-memory body: ready at the first poll.
            let mut collect = std::pin::pin!(body.collect());
            let body = match collect.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
                Poll::Ready(Ok(collected)) => collected.to_bytes().to_vec(),
                Poll::Ready(Err(error)) => return answer(500, None, error.to_string().into_bytes()),
                Poll::Pending => return answer(500, None, b"the envelope was not ready at once".to_vec()),
            };
            let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok());
            answer(parts.status.as_u16(), content_type, body)
        };
        requests.iter().map(judge).collect()
    })
}
