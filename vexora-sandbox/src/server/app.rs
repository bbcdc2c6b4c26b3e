//! One sandbox's parts, assembled from its configuration: the book, the
//! notifier, the gateway and the web pages, and what the server itself
//! needs (the hosts it answers to, where its specs came from).

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use crate::book::Book;
use crate::book::clock::SandboxClock;
use crate::book::money::Cents;
use crate::book::state::State;
use crate::error::SandboxError;
use crate::gateway::routing::{self, Gateway};
use crate::gateway::specs;
use crate::notify::notifier::Notifier;
use crate::notify::receiver::HttpTransport;
use crate::server::config::SandboxConfig;
use crate::server::origin::AllowedHosts;
use crate::web::Web;
use crate::web::stats::SandboxStats;

/// The running sandbox's parts. The gateway and the web pages share the
/// book; the web pages finish orders and payouts through the notifier.
pub(crate) struct App {
    pub(crate) book: Arc<Book>,
    pub(crate) notifier: Arc<Notifier>,
    pub(crate) gateway: Arc<Gateway>,
    pub(crate) web: Arc<Web>,
    pub(crate) spec_source: specs::SpecSource,
    /// `http://<addr>`: the root of the cashier and `/sandbox/` routes.
    pub(crate) public_url: String,
    /// What a request's `Host` may name (see `origin.rs`).
    pub(crate) hosts: AllowedHosts,
}

impl fmt::Debug for App {
    // Secrets and the payers' data stay out of logs: numbers and routes only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field("public_url", &self.public_url)
            .field("merchants", &self.book.merchant_numbers())
            .field("routes", &self.gateway.routes())
            .field("spec_source", &self.spec_source)
            .finish_non_exhaustive()
    }
}

impl App {
    /// The sandbox `config` describes: merchants, endpoints from the specs,
    /// empty books, and a notifier that stops when `shutdown` turns true.
    /// `addr` is where it listens, `public_url` where the cashier links point.
    pub(crate) fn new(
        config: &SandboxConfig,
        addr: SocketAddr,
        public_url: String,
        shutdown: watch::Receiver<bool>,
    ) -> Result<Self, SandboxError> {
        let merchants = config.merchant_secrets()?;
        let (mut specs, spec_source) = specs::load(config.spec_dir.as_deref())?;
        specs::replace_patterns(&mut specs, &config.field_patterns)?;
        let endpoints = routing::endpoints(specs, &config.region_paths)?;
        let clock = match config.simulated_clock_start_ms {
            Some(start_ms) => SandboxClock::simulated(start_ms, config.clock_offset_ms, config.utc_offset_minutes),
            None => SandboxClock::new(config.clock_offset_ms, config.utc_offset_minutes),
        };
        let mut opening = State::default();
        if let Some(seed) = config.platform_id_seed {
            opening.seed_platform_ids(seed);
        }
        if config.duplicates_while_hidden {
            opening.let_duplicates_through_while_hidden();
        }
        for (merchant_no, amount) in &config.opening_balances {
            let amount = Cents::whole(*amount).ok_or_else(|| {
                SandboxError::Config(format!(
                    "the opening balance of {merchant_no}, {amount}, is more than the sandbox keeps (184467440737095516)"
                ))
            })?;
            opening.set_opening_balance(merchant_no, amount);
        }
        let book = Arc::new(Book::new(merchants, opening, clock.clone()));
        let notifier = Arc::new(Notifier {
            log: Mutex::default(),
            clock,
            time_scale: config.time_scale,
            timeout: config.notify_timeout,
            shutdown,
            loss: config.lost_notifications,
            transport: config.notification_transport.clone().unwrap_or_else(|| Arc::new(HttpTransport)),
            activity: Arc::default(),
        });
        let gateway = Arc::new(Gateway {
            book: Arc::clone(&book),
            endpoints,
            timestamp_tolerance_ms: i64::try_from(config.timestamp_tolerance.as_millis()).unwrap_or(i64::MAX),
            public_url: public_url.clone(),
            visibility_delay: config.visibility_delay.clone(),
        });
        let web = Arc::new(Web::new(Arc::clone(&book), Arc::clone(&notifier)));
        Ok(Self {
            book,
            notifier,
            gateway,
            web,
            spec_source,
            public_url,
            hosts: AllowedHosts::new(addr, &config.allowed_hosts),
        })
    }

    /// Connections accepted and requests received.
    pub(crate) fn stats(&self) -> SandboxStats {
        self.web.counters.read()
    }
}
