//! The client: validate, stamp, sign, serialize, send, decode.

use std::fmt;
use std::sync::Arc;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::endpoint::Endpoint;
use crate::envelope;
use crate::error::Error;
use crate::signing::sign_request;
use crate::taiwan::{Balance, BalanceRequest, CheckoutData, CheckoutRequest, PayInQueryRequest, PayInResult};
use crate::transport::{HttpRequest, Transport};
use crate::types::TradeNo;
use crate::wire::{write_json_body, IntegerText};

/// The transport [`Client::new`] uses: surf on curl, with the `surf` feature.
#[cfg(feature = "surf")]
pub type DefaultTransport = crate::transport::SurfTransport;

/// Without the `surf` feature there is no default transport: build the
/// client with [`Client::with_transport`].
#[cfg(not(feature = "surf"))]
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
/// let order = client
///     .checkout(&CheckoutRequest {
///         trade_no: TradeNo::generate(),
///         amount: Amount::new(300),
///         mobile: "0912345678".into(),
///         firstname: "Mei".into(),
///         lastname: "Lin".into(),
///         email: "mei.lin@example.com".into(),
///         channel_code: ChannelCode::Ewallet,
///         way_code: WayCode::new("LINE_PAY"),
///         ip_address: "203.0.113.7".into(),
///         postcode: None,
///         address: None,
///         bank_number: None,
///         notify_url: "https://merchant.example.com/vexora/notify".into(),
///         return_url: "https://merchant.example.com/done".into(),
///         remark: None,
///     })
///     .await?;
/// println!("send the payer to {:?}", order.payment_url());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client<T = DefaultTransport> {
    config: Arc<Config>,
    transport: T,
    clock: Arc<dyn Clock>,
}

#[cfg(feature = "surf")]
impl Client {
    /// A client on the default transport (surf on curl), with its own
    /// connection pool.
    pub fn new(config: Config) -> Self {
        let transport = crate::transport::SurfTransport::new(config.timeout());
        Self::with_transport(config, transport)
    }
}

impl<T: Transport> Client<T> {
    /// A client on any transport.
    pub fn with_transport(config: Config, transport: T) -> Self {
        Self { config: Arc::new(config), transport, clock: Arc::new(SystemClock) }
    }

    /// Replaces the clock that stamps `timestamp` (tests use a fixed one).
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
    /// Allocations: the URL, the two header values and the body buffer
    /// (validation and signing allocate nothing while the input is valid).
    pub fn prepare<E: Endpoint>(&self, request: &E) -> Result<HttpRequest, Error> {
        request.validate()?;
        let mut timestamp = IntegerText::new();
        let timestamp = timestamp.format(self.clock.now_millis());
        let sign = sign_request(request, timestamp, self.config.app_secret().expose());
        let mut body = Vec::with_capacity(512);
        write_json_body(request, timestamp, sign.as_str(), &mut body);
        let mut url = String::with_capacity(self.config.base_url().len() + E::PATH.len());
        url.push_str(self.config.base_url());
        url.push_str(E::PATH);
        Ok(HttpRequest {
            method: "POST",
            url,
            headers: vec![
                ("merchantNo", self.config.merchant_no().to_owned()),
                ("Content-Type", "application/json".to_owned()),
            ],
            body,
            timeout: self.config.timeout(),
        })
    }

    /// Sends any endpoint's request and returns its typed `data`.
    ///
    /// A `code` other than `0000` is [`Error::Refused`]; `data.status`, the
    /// business outcome, is in the returned data.
    pub async fn send<E: Endpoint>(&self, request: &E) -> Result<E::Response, Error> {
        let http_request = self.prepare(request)?;
        let response = self.transport.send(http_request).await?;
        envelope::decode(&response)
    }

    /// Creates a Taiwan checkout and returns the order with its payment link.
    pub async fn checkout(&self, request: &CheckoutRequest) -> Result<CheckoutData, Error> {
        self.send(request).await
    }

    /// Asks how the pay-in `trade_no` stands (`queryPayInResult`).
    pub async fn query_pay_in(&self, trade_no: &TradeNo) -> Result<PayInResult, Error> {
        self.send(&PayInQueryRequest { trade_no: trade_no.clone() }).await
    }

    /// Asks for the merchant's balances (`queryBalance`).
    pub async fn balance(&self) -> Result<Balance, Error> {
        self.send(&BalanceRequest {}).await
    }
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("config", &self.config).finish_non_exhaustive()
    }
}
