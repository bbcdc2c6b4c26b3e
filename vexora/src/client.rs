//! The client: validate, stamp, sign, serialize, send, decode.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::body::write_signed_body;
use crate::clock::{Clock, SystemClock};
use crate::config::{Config, checked_timeout};
use crate::endpoint::{ByKeys, Endpoint, Reconcilable};
use crate::envelope;
use crate::error::Error;
use crate::record_keys::RecordKeys;
use crate::retry::RetryPolicy;
use crate::retry::decision::{Decision, decide};
use crate::trace::CallSpan;
use crate::transport::{HttpRequest, Transport, TransportErrorKind};
use crate::types::TradeNo;
use crate::validation::ValidationErrors;
use crate::wire::{FieldVisitor, IntegerText, Signable};

/// The transport `Client` names without a type argument: surf on curl with
/// the `surf` feature, else reqwest with the `reqwest` feature, so
/// `struct AppState { client: Client }` compiles on either backend.
#[cfg(feature = "surf")]
pub type DefaultTransport = crate::transport::SurfTransport;

/// The transport `Client` names without a type argument: surf on curl with
/// the `surf` feature, else reqwest with the `reqwest` feature, so
/// `struct AppState { client: Client }` compiles on either backend.
#[cfg(all(feature = "reqwest", not(feature = "surf")))]
pub type DefaultTransport = crate::transport::ReqwestTransport;

/// With neither backend feature there is no default transport: build the
/// client with [`Client::with_transport`].
#[cfg(not(any(feature = "surf", feature = "reqwest")))]
#[derive(Debug)]
pub enum DefaultTransport {}

/// Talks to the gateway for one merchant.
///
/// Cheap to clone and safe to share: clones share the configuration and the
/// transport's connection pool.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use vexora::taiwan::{ChannelCode, CheckoutRequest, WayCode};
/// use vexora::types::{Amount, TradeNo};
/// use vexora::{Client, Config};
///
/// let client = Client::new(Config::from_env()?);
/// // Every request has a builder whose `build` compiles once each required
/// // field is set. Optional fields (postcode, address, bankNumber, remark)
/// // are left out here.
/// let request = CheckoutRequest::builder()
///     .trade_no(TradeNo::generate())
///     .amount(Amount::new(300))
///     .mobile("0912345678")
///     .firstname("Mei")
///     .lastname("Lin")
///     .email("mei.lin@example.com")
///     .channel_code(ChannelCode::Ewallet)
///     .way_code(WayCode::new("LINE_PAY"))
///     .ip_address("203.0.113.7")
///     .notify_url("https://merchant.example.com/vexora/notify")
///     .return_url("https://merchant.example.com/done")
///     .build();
/// let order = client.send(&request).await?;
/// println!("send the payer to {:?}", order.payment_url());
///
/// // The same order under a new number: a copy with the field assigned
/// // (request structs are `#[non_exhaustive]`, so `..request` does not
/// // compile outside the SDK).
/// let mut again = request.clone();
/// again.trade_no = TradeNo::generate();
/// client.send(&again).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client<T = DefaultTransport> {
    config: Arc<Config>,
    transport: T,
    clock: Arc<dyn Clock>,
    /// Every request's headers, built once from the configuration.
    headers: Arc<[(&'static str, String)]>,
}

#[cfg(feature = "surf")]
impl Client {
    /// A client on the default transport (surf on curl), with its own
    /// connection pool.
    pub fn new(config: Config) -> Self {
        let transport =
            crate::transport::SurfTransport::with_max_idle_connections(config.timeout(), config.max_idle_connections());
        Self::with_transport(config, transport)
    }

    /// [`Client::new`]; never fails with surf. Code that must build on
    /// either backend calls this one: with only the `reqwest` feature,
    /// `Client` is a reqwest client and `try_new` fails only if TLS cannot
    /// be set up.
    ///
    /// ```
    /// use vexora::{Client, Config};
    ///
    /// /// A service's shared state, the same with either backend feature.
    /// struct AppState {
    ///     client: Client,
    /// }
    ///
    /// let config = Config::builder()
    ///     .merchant_no("0000000001")
    ///     .app_secret("test-app-secret-123")
    ///     .base_url("https://gateway.example/taiwan")
    ///     .build()?;
    /// let state = AppState { client: Client::try_new(config)? };
    /// assert_eq!(state.client.config().merchant_no(), "0000000001");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_new(config: Config) -> Result<Self, Error> {
        Ok(Self::new(config))
    }
}

#[cfg(all(feature = "reqwest", not(feature = "surf")))]
impl Client {
    /// A client on the default transport (reqwest), with its own connection
    /// pool; fails only if TLS cannot be set up (no usable certificate
    /// roots on the platform).
    ///
    /// ```no_run
    /// use vexora::{Client, Config};
    ///
    /// let client: Client = Client::try_new(Config::from_env()?)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_new(config: Config) -> Result<Self, Error> {
        let transport = crate::transport::ReqwestTransport::with_max_idle_connections(config.max_idle_connections())?;
        Ok(Self::with_transport(config, transport))
    }
}

impl<T: Transport> Client<T> {
    /// A client on any transport.
    pub fn with_transport(config: Config, transport: T) -> Self {
        let headers = Arc::from([
            ("merchantNo", config.merchant_no().to_owned()),
            ("Content-Type", "application/json".to_owned()),
        ]);
        Self { config: Arc::new(config), transport, clock: Arc::new(SystemClock), headers }
    }

    /// The clock that stamps requests and times deadlines.
    pub(crate) fn clock(&self) -> &dyn Clock {
        &*self.clock
    }

    /// Replaces the clock that stamps `timestamp` and times deadlines
    /// (tests use a fixed one, a simulation its own).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// All the work before the network: validate, stamp `timestamp`, sign,
    /// write the body. Invalid input is reported here and nothing is built.
    ///
    /// Allocations: the URL and the body buffer (the header list is the
    /// client's, shared; validation and signing allocate nothing while the
    /// input is valid).
    pub fn prepare<E: Endpoint>(&self, request: &E) -> Result<HttpRequest, Error> {
        self.check_region::<E>()?;
        self.validate(request)?;
        let prepared = self.build(request, self.config.timeout());
        check_size(request, &prepared)?;
        Ok(prepared)
    }

    /// The request's rules, with the merchant's field rules in place of the
    /// patterns they replace.
    fn validate<E: Endpoint>(&self, request: &E) -> Result<(), ValidationErrors> {
        crate::validation::validate_with(request, E::SPEC, self.config.field_rules())
    }

    /// A request of another region than the base URL's is never sent.
    fn check_region<E: Endpoint>(&self) -> Result<(), Error> {
        if self.config.serves_region(E::REGION) {
            return Ok(());
        }
        Err(Error::WrongRegion { request: E::REGION, client: self.config.region().to_owned() })
    }

    /// Stamps, signs and writes an already validated request; each attempt
    /// gets a fresh timestamp and signature.
    fn build<E: Endpoint>(&self, request: &E, timeout: Duration) -> HttpRequest {
        let mut timestamp = IntegerText::new();
        let timestamp = timestamp.format(self.clock.now_millis());
        let mut body = Vec::with_capacity(512);
        write_signed_body(request, timestamp, self.config.app_secret().expose(), &mut body);
        let mut url = String::with_capacity(self.config.base_url().len() + E::PATH.len());
        url.push_str(self.config.base_url());
        url.push_str(E::PATH);
        HttpRequest { method: "POST", url, headers: Arc::clone(&self.headers), body, timeout }
    }

    /// Sends any endpoint's request and returns its typed `data`, with the
    /// client's deadline and retry policy.
    ///
    /// A 2xx answer with a string `code` other than `0000` is
    /// [`Error::Refused`]; a non-2xx is never a refusal, whatever its body
    /// ([`Error::BadResponse`]). `data.status`, the
    /// business outcome, is in the returned data. Reads are retried on
    /// transient failures; a create that fails ambiguously is
    /// [`Error::OutcomeUnknown`] (see [`crate::retry`]).
    pub async fn send<E: Endpoint>(&self, request: &E) -> Result<E::Response, Error> {
        self.send_with(request, CallOptions::default()).await
    }

    /// [`Client::send`] with this call's own deadline or retry policy.
    ///
    /// One deadline bounds the whole call: every attempt (connect, send,
    /// response head, body, decode) and every wait between attempts. An
    /// attempt only starts with at least [`Config::MIN_TIMEOUT`] left;
    /// when less is left the call ends with the failure that made it retry.
    pub async fn send_with<E: Endpoint>(&self, request: &E, options: CallOptions) -> Result<E::Response, Error> {
        let span = CallSpan::start(E::SPEC, || trade_no_of(request));
        let started = self.clock.monotonic();
        let call = self.call(request, options, &span, started);
        #[cfg(feature = "tracing")]
        let call = tracing::Instrument::instrument(call, span.span().clone());
        let (result, attempts) = call.await;
        span.finish(&result, attempts, self.clock.monotonic().saturating_sub(started));
        result
    }

    /// [`Client::send_with`] without the span; returns the result and how
    /// many attempts were made.
    async fn call<E: Endpoint>(
        &self,
        request: &E,
        options: CallOptions,
        span: &CallSpan,
        started: Duration,
    ) -> (Result<E::Response, Error>, u32) {
        if let Err(error) = self.check_region::<E>().and_then(|()| self.validate(request).map_err(Error::from)) {
            return (Err(error), 0);
        }
        let timeout = match options.timeout {
            Some(timeout) => match checked_timeout("CallOptions::timeout", timeout) {
                Ok(timeout) => timeout,
                Err(error) => return (Err(error.into()), 0),
            },
            None => self.config.timeout(),
        };
        let policy = options.retry.unwrap_or(self.config.retry());
        let keys = RecordKeys::of(request);
        let mut attempt = 1;
        // The last failure that was not a timeout: what made a read retry.
        let mut cause: Option<Error> = None;
        let mut remaining = timeout;
        loop {
            let error = match self.attempt(request, &keys, remaining).await {
                Ok(data) => return (Ok(data), attempt),
                Err(error) => error,
            };
            match decide(E::CALL, &error) {
                Decision::Fail => return (Err(error), attempt),
                Decision::OutcomeUnknown => {
                    let unknown = Error::OutcomeUnknown { keys, cause: Box::new(error) };
                    return (Err(unknown), attempt);
                }
                Decision::Retry => {}
            }
            let wait = policy.backoff(attempt, crate::random::next_u64());
            remaining = timeout.saturating_sub(self.clock.monotonic().saturating_sub(started));
            if attempt >= policy.max_attempts || wait.saturating_add(Config::MIN_TIMEOUT) > remaining {
                return (Err(give_up(error, cause, attempt)), attempt);
            }
            span.retrying(attempt, wait, &error);
            self.transport.wait(wait).await;
            remaining = timeout.saturating_sub(self.clock.monotonic().saturating_sub(started));
            if remaining < Config::MIN_TIMEOUT {
                return (Err(give_up(error, cause, attempt)), attempt);
            }
            if !is_timeout(&error) {
                cause = Some(error);
            }
            attempt += 1;
        }
    }

    /// One exchange within `remaining`; an answer about another record
    /// than `keys` name is not this request's answer.
    async fn attempt<E: Endpoint>(
        &self,
        request: &E,
        keys: &RecordKeys,
        remaining: Duration,
    ) -> Result<E::Response, Error> {
        let prepared = self.build(request, remaining);
        check_size(request, &prepared)?;
        let response = self.transport.send(prepared).await?;
        envelope::decode_about(&response, keys)
    }

    /// Settles an [`Error::OutcomeUnknown`]: asks the gateway, with the read
    /// the create's spec names (`reconcile_with`: a checkout's pay-in query,
    /// a payout's payout query), whether what `request` would make exists.
    /// The read is built from `request`'s keys ([`RecordKeys::of`]): its
    /// `tradeNo`, and every other field its spec names as a key.
    ///
    /// [`Reconciliation::NotFound`] needs to know the gateway's "no such
    /// order" code ([`ConfigBuilder::order_not_found_code`](crate::config::ConfigBuilder::order_not_found_code));
    /// other refusals are returned as errors, never guessed to mean "not found".
    ///
    /// ```no_run
    /// # async fn run(client: vexora::Client, request: vexora::taiwan::CheckoutRequest) -> Result<(), vexora::Error> {
    /// use vexora::client::Reconciliation;
    /// use vexora::Error;
    ///
    /// match client.send(&request).await {
    ///     Err(Error::OutcomeUnknown { .. }) => match client.reconcile(&request).await? {
    ///         // The order exists: never create it again; follow its status.
    ///         Reconciliation::Found(order) => println!("order exists: {}", order.status),
    ///         // It does not: sending again with the SAME tradeNo is safe.
    ///         Reconciliation::NotFound => { client.send(&request).await?; }
    ///     },
    ///     other => { other?; }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn reconcile<E: Reconcilable>(
        &self,
        request: &E,
    ) -> Result<Reconciliation<<E::Query as Endpoint>::Response>, Error> {
        self.reconcile_within(request, self.config.timeout()).await
    }

    /// [`Client::reconcile`] within `timeout`.
    pub(crate) async fn reconcile_within<E: Reconcilable>(
        &self,
        request: &E,
        timeout: Duration,
    ) -> Result<Reconciliation<<E::Query as Endpoint>::Response>, Error> {
        let query = E::Query::by_keys(&RecordKeys::of(request));
        let options = CallOptions::timeout(timeout.max(Config::MIN_TIMEOUT));
        match self.send_with(&query, options).await {
            Ok(found) => Ok(Reconciliation::Found(found)),
            Err(Error::Refused { code, .. }) if self.config.order_not_found_codes().contains(&code) => {
                Ok(Reconciliation::NotFound)
            }
            Err(error) => Err(error),
        }
    }
}

/// What [`Client::reconcile`] found: the only two answers there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reconciliation<T> {
    /// It exists, as the query reports it (a pay-in query does not return
    /// the payment link; keep the one from a successful checkout).
    Found(T),
    /// No such order: the create may be sent again with the same `tradeNo`.
    NotFound,
}

/// Per-call settings for [`Client::send_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// This call's deadline instead of the client's: at least
    /// [`Config::MIN_TIMEOUT`] (a shorter one is [`Error::Config`], and
    /// nothing is sent), capped at [`Config::MAX_TIMEOUT`] (so
    /// `Duration::MAX` means "as long as the SDK waits at all").
    pub timeout: Option<Duration>,
    /// This call's retry policy instead of the client's (reads only).
    pub retry: Option<RetryPolicy>,
}

impl CallOptions {
    /// Options with this deadline.
    pub fn timeout(timeout: Duration) -> Self {
        Self { timeout: Some(timeout), retry: None }
    }
}

/// The error a retried call ends with: a final timeout says less than the
/// failure that made the call retry, so that one is kept beside it.
fn give_up(last: Error, cause: Option<Error>, attempts: u32) -> Error {
    match cause {
        Some(cause) if is_timeout(&last) => Error::TimedOutAfterRetries { attempts, cause: Box::new(cause) },
        _ => last,
    }
}

fn is_timeout(error: &Error) -> bool {
    matches!(error, Error::Transport(transport) if transport.kind() == TransportErrorKind::Timeout)
}

/// The largest request body the client sends: 16 KiB.
///
/// The gateway's notification echoes what a request carried (`remark`
/// above all), and [`verify`](crate::notification::verify) reads at most
/// [`MAX_BODY_BYTES`](crate::notification::MAX_BODY_BYTES). A notification
/// that writes every character as a `\u` escape is at most three times the
/// request's text, so a request within this limit always gets a
/// notification that can be verified and acknowledged.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;

// Three times the largest request, with room for the fields the gateway adds.
const _: () = assert!(3 * MAX_REQUEST_BYTES + 4096 <= crate::notification::MAX_BODY_BYTES);

/// A request over [`MAX_REQUEST_BYTES`] is invalid: the violation names
/// its longest field, the one to shorten. Nothing is sent.
fn check_size<R: Signable>(request: &R, prepared: &HttpRequest) -> Result<(), Error> {
    if prepared.body.len() <= MAX_REQUEST_BYTES {
        return Ok(());
    }
    struct Longest(String, usize);
    impl FieldVisitor for Longest {
        fn visit(&mut self, key: &str, value: &str) {
            if value.len() > self.1 {
                *self = Longest(key.to_owned(), value.len());
            }
        }
    }
    let mut longest = Longest(String::new(), 0);
    request.visit_wire_fields("", &mut longest);
    let violation = crate::validation::Violation::new(
        longest.0,
        "request_too_large",
        format!(
            "makes the request {} bytes, over the {MAX_REQUEST_BYTES} the SDK sends: the gateway's notification \
             echoes it and could not be verified",
            prepared.body.len()
        ),
    )
    .with_param("max_request_bytes", MAX_REQUEST_BYTES)
    .with_param("request_bytes", prepared.body.len());
    Err(Error::Invalid(ValidationErrors::from_violations(vec![violation])))
}

/// The `tradeNo` a request carries, if it has one.
pub(crate) fn trade_no_of<R: Signable>(request: &R) -> Option<TradeNo> {
    struct Find(Option<TradeNo>);
    impl FieldVisitor for Find {
        fn visit(&mut self, key: &str, value: &str) {
            if key == "tradeNo" {
                self.0 = Some(TradeNo::new(value));
            }
        }
    }
    let mut find = Find(None);
    request.visit_wire_fields("", &mut find);
    find.0
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("config", &self.config).finish_non_exhaustive()
    }
}
