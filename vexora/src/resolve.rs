//! A create that resolves itself: sent, and when its outcome is unknown,
//! looked up through its own read until the answer is definite.
//!
//! The gateway has no idempotency key, only the `tradeNo` and its queries,
//! so "send again" is safe only once a query says the order does not
//! exist, and only if that query was sent long enough after the ambiguous
//! attempt that the gateway had finished creating what it was going to.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::client::{CallOptions, Client, Reconciliation};
use crate::endpoint::{Endpoint, Reconcilable};
use crate::error::Error;
use crate::record_keys::RecordKeys;
use crate::transport::Transport;

/// A create that [`Client::create`] resolves: every endpoint whose spec
/// makes it a `create` (checkout, deposit, payout, submit, KYC
/// application).
///
/// Implemented by `#[derive(Signable)]` from the spec file: through the
/// read its spec names (`reconcile_with`), or, for a kind that no read can
/// find afterwards, with the reason.
pub trait Create: Endpoint + Sync {
    /// What the create's read answers when it finds what an earlier attempt
    /// made; [`Unfindable`] for a create no read can find.
    type Found;

    /// How what `self` made is looked up after an unknown outcome: its
    /// read, sent through `client` within `timeout`, or why no read can
    /// find it.
    fn look_up<'a, T: Transport>(&'a self, client: &'a Client<T>, timeout: Duration) -> LookUp<'a, Self::Found>;
}

/// How a create is looked up after an unknown outcome.
pub enum LookUp<'a, F> {
    /// Its read, on its way: what the read found.
    Read(Pin<Box<dyn Future<Output = Result<Reconciliation<F>, Error>> + Send + 'a>>),
    /// No read can find what it made, for this reason: it is never sent again.
    Impossible(&'static str),
}

impl<F> std::fmt::Debug for LookUp<'_, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Read(_) => f.write_str("LookUp::Read(..)"),
            Self::Impossible(why) => f.debug_tuple("LookUp::Impossible").field(why).finish(),
        }
    }
}

/// The look-up of a create through the read its spec names (what the
/// derive's [`Create`] implementation of such a create calls).
pub fn look_up_by_read<'a, E, T>(
    request: &'a E,
    client: &'a Client<T>,
    timeout: Duration,
) -> LookUp<'a, <E::Query as Endpoint>::Response>
where
    E: Reconcilable + Sync,
    E::Query: Send + Sync,
    <E::Query as Endpoint>::Response: Send,
    T: Transport,
{
    LookUp::Read(Box::pin(client.reconcile_within(request, timeout)))
}

/// What a read that does not exist answers: a create no read can find
/// never has a found answer, so [`Resolution::FoundExisting`] cannot hold
/// one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfindable {}

/// How [`Client::create`] resolves an unknown outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvePolicy {
    /// The whole call's deadline: every send, wait and query.
    pub deadline: Duration,
    /// How long after an ambiguous attempt a "no such order" can be
    /// trusted: a gateway may answer a query before it has finished creating
    /// the order the attempt asked for. Ask Vexora; the default is cautious.
    pub settle_delay: Duration,
    /// The first wait between queries; it doubles up to `max_backoff`.
    pub initial_backoff: Duration,
    /// The longest wait between queries.
    pub max_backoff: Duration,
}

impl Default for ResolvePolicy {
    /// Two minutes in all, "not found" trusted 30 s after the ambiguous
    /// attempt, queries 1 s apart doubling to 10 s.
    fn default() -> Self {
        Self {
            deadline: Duration::from_secs(120),
            settle_delay: Duration::from_secs(30),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(10),
        }
    }
}

/// What [`Client::create`] ended with: `C` is the create's answer, `Q` its
/// read's result.
#[derive(Debug)]
#[non_exhaustive]
pub enum Resolution<C, Q> {
    /// This call's attempt was answered: the gateway made it now.
    Created(C),
    /// An earlier, ambiguous attempt had made it: the read's result. It was
    /// not created twice.
    FoundExisting(Q),
    /// The gateway refused it, and no order exists: either the first answer
    /// was a refusal, or a query confirmed that nothing was made.
    Refused {
        /// The gateway's code.
        code: String,
        /// The gateway's message.
        msg: String,
    },
    /// Still unknown: do not send it again without a person checking (or
    /// a later [`Client::create`] with the same request, which resolves it
    /// the same way).
    Unresolved {
        /// The request's keys, to look it up later (none for a create that
        /// carries none, such as a KYC application).
        keys: RecordKeys,
        /// Why it could not be resolved.
        reason: Unresolved,
    },
}

/// Why [`Client::create`] could not resolve an outcome.
#[derive(Debug)]
#[non_exhaustive]
pub enum Unresolved {
    /// The deadline passed while the read failed or said "not found" too
    /// soon after the ambiguous attempt to be trusted.
    DeadlinePassed {
        /// The last failure (of the create or of a query).
        last: Error,
    },
    /// The read was refused with a code the configuration does not name as
    /// "no such order" ([`ConfigBuilder::order_not_found_code`](crate::config::ConfigBuilder::order_not_found_code)):
    /// without that code, "not found" cannot be told from any other refusal,
    /// so the create is never sent again.
    NotFoundCodeUnknown {
        /// The code the read was refused with.
        code: String,
        /// Its message.
        msg: String,
    },
    /// No read can find what this kind of create makes (a `submit`, a KYC
    /// application), so an unknown outcome is final: it was sent once and is
    /// never sent again.
    Unfindable {
        /// Why no read can find it.
        why: &'static str,
    },
}

/// Where a resolution stands between steps.
enum Step {
    /// Send the create (again).
    Send,
    /// Look it up; `refused` is a refusal that came after an earlier
    /// ambiguous attempt, reported only if the read finds nothing;
    /// `exists` says a duplicate-`tradeNo` refusal proved the order was
    /// made, so "not found" only means "not visible yet".
    LookUp { refused: Option<(String, String)>, exists: bool },
}

impl<T: Transport> Client<T> {
    /// Sends a create and returns a definite answer or a clear "still
    /// unknown", with the default [`ResolvePolicy`].
    ///
    /// On an unknown outcome it looks the order up with the create's own
    /// read ([`Create::look_up`]), with backoff, within the deadline:
    /// found, it is the answer (never created twice); "no such order" from a
    /// query sent at least the settle delay after the ambiguous attempt, and
    /// the **same** request, `tradeNo` included, is sent again. A refusal
    /// that follows an ambiguous attempt is only reported once a query
    /// confirms no order exists (it may be the gateway refusing a duplicate
    /// of the order it made); a refusal with a configured duplicate-`tradeNo`
    /// code ([`ConfigBuilder::duplicate_trade_no_code`](crate::config::ConfigBuilder::duplicate_trade_no_code))
    /// proves the order exists, and it is looked up until it shows. A create
    /// no read can find afterwards (a `submit`, a KYC application) is sent
    /// once: an unknown outcome returns [`Unresolved::Unfindable`] at once,
    /// saying why, and it is never sent again.
    ///
    /// Invalid input, an unusable setting or a request of another region is
    /// returned as the error it is, with nothing sent.
    ///
    /// ```no_run
    /// # async fn run(client: vexora::Client, request: vexora::taiwan::CheckoutRequest) -> Result<(), vexora::Error> {
    /// use vexora::resolve::{Resolution, Unresolved};
    ///
    /// match client.create(&request).await? {
    ///     Resolution::Created(order) => println!("pay at {:?}", order.payment_url()),
    ///     Resolution::FoundExisting(order) => println!("it existed: {}", order.status),
    ///     Resolution::Refused { code, msg } => println!("refused, nothing made: {code} {msg}"),
    ///     Resolution::Unresolved { keys, reason } => println!("{keys} still unknown: {reason:?}"),
    ///     _ => {}
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn create<E: Create>(&self, request: &E) -> Result<Resolution<E::Response, E::Found>, Error> {
        self.create_with(request, ResolvePolicy::default()).await
    }

    /// [`Client::create`] with this call's own policy.
    pub async fn create_with<E: Create>(
        &self,
        request: &E,
        policy: ResolvePolicy,
    ) -> Result<Resolution<E::Response, E::Found>, Error> {
        let now = || self.clock().monotonic();
        let started = now();
        let keys = RecordKeys::of(request);
        let left = || policy.deadline.saturating_sub(now().saturating_sub(started));
        let unresolved = |keys: RecordKeys, reason: Unresolved| Ok(Resolution::Unresolved { keys, reason });
        // When the last attempt that may have made the order ended.
        let mut ambiguous_at: Option<Duration> = None;
        let mut step = Step::Send;
        let mut backoff = policy.initial_backoff;
        loop {
            if let Step::Send = step {
                let options = CallOptions::timeout(left().max(crate::Config::MIN_TIMEOUT));
                step = match (self.send_with(request, options).await, ambiguous_at) {
                    (Ok(created), _) => return Ok(Resolution::Created(created)),
                    (Err(Error::OutcomeUnknown { .. }), _) => {
                        crate::trace::resolving(&keys, "the attempt's outcome is unknown: looking it up");
                        ambiguous_at = Some(now());
                        Step::LookUp { refused: None, exists: false }
                    }
                    (Err(Error::Refused { code, .. }), _)
                        if self.config().duplicate_trade_no_codes().contains(&code) =>
                    {
                        crate::trace::resolving(&keys, "refused as a duplicate: it exists, looking it up");
                        ambiguous_at.get_or_insert_with(now);
                        Step::LookUp { refused: None, exists: true }
                    }
                    // The first answer: a definite refusal, nothing was made.
                    (Err(Error::Refused { code, msg }), None) => return Ok(Resolution::Refused { code, msg }),
                    // After an ambiguous attempt, a refusal may be of a
                    // duplicate of the order that attempt made.
                    (Err(Error::Refused { code, msg }), Some(_)) => {
                        crate::trace::resolving(&keys, "refused after an ambiguous attempt: looking it up");
                        Step::LookUp { refused: Some((code, msg)), exists: false }
                    }
                    (Err(error), None) => return Err(error),
                    // A resend that failed before reaching the gateway
                    // leaves the earlier attempt's outcome as it was.
                    (Err(error), Some(_)) if left() < crate::Config::MIN_TIMEOUT => {
                        return unresolved(keys, Unresolved::DeadlinePassed { last: error });
                    }
                    (Err(_), Some(_)) => Step::LookUp { refused: None, exists: false },
                };
                continue;
            }
            let Step::LookUp { refused, exists } = &mut step else { continue };
            let asked_at = now();
            let trusted_from = ambiguous_at.map_or(asked_at, |at| at + policy.settle_delay);
            let read = match request.look_up(self, left()) {
                LookUp::Read(read) => read,
                LookUp::Impossible(why) => {
                    crate::trace::resolving(&keys, "no read can find it: it is never sent again");
                    return unresolved(keys, Unresolved::Unfindable { why });
                }
            };
            match read.await {
                Ok(Reconciliation::Found(found)) => {
                    crate::trace::resolving(&keys, "found: it exists");
                    return Ok(Resolution::FoundExisting(found));
                }
                Ok(Reconciliation::NotFound) if asked_at >= trusted_from && !*exists => {
                    if let Some((code, msg)) = refused.take() {
                        crate::trace::resolving(&keys, "not found after the refusal: refused, nothing made");
                        return Ok(Resolution::Refused { code, msg });
                    }
                    crate::trace::resolving(&keys, "not found after the settle delay: sending it again");
                    step = Step::Send;
                    backoff = policy.initial_backoff;
                    continue;
                }
                Ok(Reconciliation::NotFound) => {
                    crate::trace::resolving(&keys, "not found too soon after the attempt to trust: asking again");
                }
                Err(Error::Refused { code, msg }) => {
                    crate::trace::resolving(&keys, "the read was refused with a code not configured as not found");
                    return unresolved(keys, Unresolved::NotFoundCodeUnknown { code, msg });
                }
                Err(error @ (Error::Invalid(_) | Error::Config(_) | Error::WrongRegion { .. })) => return Err(error),
                Err(error) => {
                    crate::trace::resolving(&keys, "the read failed: asking again");
                    if left() <= backoff + crate::Config::MIN_TIMEOUT {
                        return unresolved(keys, Unresolved::DeadlinePassed { last: error });
                    }
                }
            }
            if left() <= backoff + crate::Config::MIN_TIMEOUT {
                return unresolved(keys, Unresolved::DeadlinePassed { last: deadline() });
            }
            self.transport().wait(backoff).await;
            backoff = (backoff * 2).min(policy.max_backoff);
        }
    }
}

/// The failure an unresolved create reports when its deadline ran out
/// between steps.
fn deadline() -> Error {
    Error::Transport(crate::transport::TransportError::new(
        crate::transport::TransportErrorKind::Timeout,
        "the resolving create's deadline passed",
    ))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;
    use crate::Config;
    use crate::clock::Clock;
    use crate::taiwan::{ChannelCode, CheckoutRequest, WayCode};
    use crate::transport::{HttpRequest, HttpResponse, RecordingTransport, TransportError, TransportErrorKind};

    /// Simulated time: it moves only when the client waits.
    #[derive(Clone, Default)]
    struct SimulatedTime(Arc<AtomicU64>);

    impl Clock for SimulatedTime {
        fn now_millis(&self) -> u64 {
            1_700_000_000_000 + self.0.load(Ordering::SeqCst)
        }

        fn monotonic(&self) -> Duration {
            Duration::from_millis(self.0.load(Ordering::SeqCst))
        }
    }

    /// Answers as scripted, noting the simulated time of each request, and
    /// makes every wait pass on the simulated clock at once.
    #[derive(Clone)]
    struct SimulatedTransport {
        time: SimulatedTime,
        script: RecordingTransport,
        sent_at: Arc<std::sync::Mutex<Vec<(String, Duration)>>>,
    }

    impl Transport for SimulatedTransport {
        async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            let path = request.url.rsplit('/').next().unwrap_or_default().to_owned();
            self.sent_at.lock().expect("the log").push((path, self.time.monotonic()));
            self.script.send(request).await
        }

        async fn wait(&self, duration: Duration) {
            let millis = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
            self.time.0.fetch_add(millis, Ordering::SeqCst);
        }
    }

    #[test]
    fn the_settle_delay_is_measured_on_the_clients_clock() {
        futures_lite::future::block_on(settle_delay_on_simulated_time());
    }

    async fn settle_delay_on_simulated_time() {
        let time = SimulatedTime::default();
        let script = RecordingTransport::new();
        // The checkout's answer is lost; every later answer is "no such
        // order".
        script.fail(TransportError::new(TransportErrorKind::Timeout, "lost"));
        // The last reply repeats once the script runs out.
        script.reply(200, r#"{"code":"9008","msg":"no such order"}"#);
        let transport = SimulatedTransport { time: time.clone(), script: script.clone(), sent_at: Arc::default() };
        let config = Config::builder()
            .merchant_no("0000000001")
            .app_secret("secret")
            .base_url("https://gateway.example/taiwan")
            .order_not_found_code("9008")
            .build()
            .expect("a valid configuration");
        let client = Client::with_transport(config, transport.clone()).with_clock(time.clone());
        let request = CheckoutRequest::builder()
            .trade_no("T1")
            .amount(300)
            .mobile("0912345678")
            .firstname("Mei")
            .lastname("Lin")
            .email("mei.lin@example.com")
            .channel_code(ChannelCode::Ewallet)
            .way_code(WayCode::new("LINE_PAY"))
            .ip_address("10.0.0.1")
            .notify_url("https://merchant.example/vexora/pay-in")
            .return_url("https://merchant.example/done")
            .build();
        let policy = ResolvePolicy {
            deadline: Duration::from_secs(600),
            settle_delay: Duration::from_secs(30),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(10),
        };
        let real = std::time::Instant::now();
        let resolved = client.create_with(&request, policy).await.expect("sent");
        // The script answers the resend as it answers queries: refused, and
        // a query after it confirms nothing was made.
        assert!(matches!(&resolved, Resolution::Refused { code, .. } if code == "9008"), "{resolved:?}");
        let sent = transport.sent_at.lock().expect("the log").clone();
        let checkouts: Vec<Duration> = sent.iter().filter(|(path, _)| path == "checkout").map(|(_, at)| *at).collect();
        assert_eq!(checkouts.len(), 2, "sent once, then again after a trusted 'not found': {sent:?}");
        assert!(checkouts[1] >= Duration::from_secs(30), "resent at {:?} of simulated time", checkouts[1]);
        assert!(real.elapsed() < Duration::from_secs(5), "no real time was waited");
    }

    /// A client of `region` on `script`, knowing the "no such order" and
    /// duplicate-`tradeNo` codes.
    fn client_of(region: &str, script: &RecordingTransport) -> Client<RecordingTransport> {
        let config = Config::builder()
            .merchant_no("0000000001")
            .app_secret("secret")
            .base_url(format!("https://gateway.example/{region}"))
            .order_not_found_code("9008")
            .duplicate_trade_no_code("9009")
            .build()
            .expect("a valid configuration");
        Client::with_transport(config, script.clone())
    }

    fn submit() -> crate::myanmar::PaymentSubmitRequest {
        crate::myanmar::PaymentSubmitRequest { plat_form_trade_no: "P1".to_owned(), utr: "UTR1".to_owned() }
    }

    fn kyc_application() -> crate::australia::KycApplicationRequest {
        crate::australia::KycApplicationRequest::builder()
            .user_id("jack001")
            .call_back_url("https://merchant.example/vexora/kyc")
            .build()
    }

    #[test]
    fn a_create_no_read_can_find_is_sent_once_and_left_unresolved_saying_why() {
        futures_lite::future::block_on(async {
            let script = RecordingTransport::new();
            script.fail(TransportError::new(TransportErrorKind::Timeout, "the answer was lost"));
            let resolved = client_of("myanmar", &script).create(&submit()).await.expect("sent");
            match resolved {
                Resolution::Unresolved { keys, reason: Unresolved::Unfindable { why } } if keys.is_empty() => {
                    assert!(why.contains("submission"), "{why}");
                }
                other => panic!("{other:?}"),
            }
            assert_eq!(script.requests().len(), 1, "sent once, never again, no read");

            let script = RecordingTransport::new();
            script.reply(502, "Bad Gateway");
            let resolved = client_of("australia", &script).create(&kyc_application()).await.expect("sent");
            match resolved {
                Resolution::Unresolved { keys, reason: Unresolved::Unfindable { why } } if keys.is_empty() => {
                    assert!(why.contains("kycNumber"), "{why}");
                }
                other => panic!("{other:?}"),
            }
            assert_eq!(script.requests().len(), 1, "sent once, never again, no read");
        });
    }

    #[test]
    fn a_create_no_read_can_find_is_answered_as_the_gateway_answers() {
        futures_lite::future::block_on(async {
            let script = RecordingTransport::new();
            script.reply(200, r#"{"code":"0000","msg":"success","data":true}"#);
            let resolved = client_of("myanmar", &script).create(&submit()).await.expect("sent");
            assert!(matches!(resolved, Resolution::Created(true)), "{resolved:?}");

            // A first refusal is definite: nothing was made.
            let script = RecordingTransport::new();
            script.reply(200, r#"{"code":"1001","msg":"bad utr"}"#);
            let resolved = client_of("myanmar", &script).create(&submit()).await.expect("sent");
            assert!(matches!(&resolved, Resolution::Refused { code, .. } if code == "1001"), "{resolved:?}");

            // A duplicate says it exists, and nothing can read it.
            let script = RecordingTransport::new();
            script.reply(200, r#"{"code":"9009","msg":"duplicate"}"#);
            let resolved = client_of("myanmar", &script).create(&submit()).await.expect("sent");
            assert!(
                matches!(resolved, Resolution::Unresolved { reason: Unresolved::Unfindable { .. }, .. }),
                "{resolved:?}"
            );
            assert_eq!(script.requests().len(), 1);
        });
    }
}
