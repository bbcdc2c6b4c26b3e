//! The reconciler: asks the gateway about what the books do not know yet
//! (an intent with no answer, an unknown outcome, a "not found", a record
//! still processing long after its notification should have come) and
//! settles what it learns through the one settlement path.
//!
//! Each pass claims due records under a lease ([`Ledger::claim_due`], a
//! short transaction of its own), queries each with the read its create's
//! spec names, **outside any transaction**, settles the result, and
//! releases the record with its next due time on a capped, attempts-based
//! backoff ladder. A worker that dies leaves its lease to expire; another
//! worker then takes the record over.
//!
//! The reconciler never sends a create. In particular:
//!
//! - a payout the query finds failed is settled `failed` (its amount is
//!   back in the merchant's balance) and reported; it is never sent again
//!   under a new `tradeNo`;
//! - a record the gateway does not know (a crash between recording the
//!   intent and sending it, or a create lost before the gateway made
//!   anything) is settled `not_found`, once a query sent at least the
//!   settle delay after the record last changed says so, and **kept for a
//!   person**: resending needs the request itself, and the ledger keeps no
//!   personal data to rebuild it. The merchant resends the same request
//!   (same `tradeNo`, e.g. through `Client::create`) or cancels the order.
//!   "Not found" stays open: if the gateway made it after all, its
//!   notification or a later query still settles it.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use vexora::data::{PayInResult, PayoutResult};
use vexora::endpoint::{ByKeys, Reconcilable};
use vexora::transport::Transport;
use vexora::{Client, Endpoint};

use crate::ledger::Books;
use crate::{
    BoxError, BoxFuture, Change, Claim, Error, Kind, Ledger, Observation, Record, RecordKeys, Settled, State,
    Transaction,
};

/// How a reconciler claims, waits and backs off. Give every worker of one
/// database the same settings, and a [`worker`](Self::worker) name of its own.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReconcilerOptions {
    /// This worker's name, stored as the lease's owner. Default:
    /// `reconciler-<process id>`.
    pub worker: String,
    /// How long a claim is this worker's alone; after that another worker
    /// takes the record over. Longer than one batch's queries: a record
    /// whose lease ends before its turn in the batch is left alone.
    /// Default: 5 min.
    pub lease: Duration,
    /// Records claimed at once. Default: 50.
    pub batch: u32,
    /// How long after a record last changed (its intent recorded, its
    /// outcome found unknown) a "no such order" is trusted: the gateway
    /// may answer a query before it has finished creating the order.
    /// Ask Vexora. Default: 30 s.
    pub settle_delay: Duration,
    /// The first wait before a record is queried again; it doubles with
    /// each attempt up to [`max_backoff`](Self::max_backoff). Default: 30 s.
    pub initial_backoff: Duration,
    /// The longest wait between two queries of one record. Default: 1 h.
    pub max_backoff: Duration,
    /// [`Reconciler::run`]: the pause between two passes. Default: 10 s.
    pub idle: Duration,
}

impl Default for ReconcilerOptions {
    fn default() -> Self {
        Self {
            worker: format!("reconciler-{}", std::process::id()),
            lease: Duration::from_secs(5 * 60),
            batch: 50,
            settle_delay: Duration::from_secs(30),
            initial_backoff: Duration::from_secs(30),
            max_backoff: Duration::from_secs(60 * 60),
            idle: Duration::from_secs(10),
        }
    }
}

impl ReconcilerOptions {
    /// The wait before the next query of a record claimed `attempts` times:
    /// `initial_backoff × 2^(attempts - 1)`, capped at `max_backoff`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use vexora_ledger::ReconcilerOptions;
    ///
    /// let options = ReconcilerOptions::default();
    /// assert_eq!(options.backoff(1), Duration::from_secs(30));
    /// assert_eq!(options.backoff(3), Duration::from_secs(120));
    /// assert_eq!(options.backoff(40), Duration::from_secs(3600));
    /// ```
    pub fn backoff(&self, attempts: i64) -> Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 31)).unwrap_or(31);
        self.initial_backoff.saturating_mul(1 << doublings).min(self.max_backoff)
    }
}

/// What one pass did with one record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Examined {
    /// Pay-in or payout.
    pub kind: Kind,
    /// The record's keys.
    pub keys: RecordKeys,
    /// The create's spec name, e.g. `taiwan/checkout`.
    pub endpoint: String,
    /// What came of it.
    pub outcome: Outcome,
    /// When it is due again; `None` when nothing is left to ask.
    pub next_due: Option<SystemTime>,
}

/// What came of one record's query.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The record moved (credited or debited the difference, if any).
    Settled(Change),
    /// The gateway said what the books already held (still processing).
    Unchanged {
        /// Where the record stands.
        state: State,
    },
    /// Still not known: asked again on the ladder.
    StillUnknown {
        /// Why (a query that failed, a "not found" too soon to trust, no
        /// client for the region).
        reason: String,
    },
    /// Kept for a person (listed by [`Ledger::needs_attention`], logged at
    /// WARN): the reconciler can do nothing more on its own.
    NeedsPerson {
        /// Why, and what to do.
        reason: String,
    },
}

/// What one pass found, record by record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// Every record claimed in the pass, in the order examined.
    pub examined: Vec<Examined>,
}

impl Summary {
    /// The changes the pass settled.
    pub fn settled(&self) -> impl Iterator<Item = &Change> {
        self.examined.iter().filter_map(|examined| match &examined.outcome {
            Outcome::Settled(change) => Some(change),
            _ => None,
        })
    }

    /// Payouts the pass found failed: their amount is back in the balance.
    pub fn failed_payouts(&self) -> impl Iterator<Item = &Change> {
        self.settled().filter(|change| change.kind == Kind::Payout && change.new_state == State::Failed)
    }

    /// Records whose outcome is still unknown after the pass.
    pub fn still_unknown(&self) -> impl Iterator<Item = &Examined> {
        self.examined.iter().filter(|examined| matches!(examined.outcome, Outcome::StillUnknown { .. }))
    }

    /// Records the pass kept for a person.
    pub fn needs_person(&self) -> impl Iterator<Item = &Examined> {
        self.examined.iter().filter(|examined| matches!(examined.outcome, Outcome::NeedsPerson { .. }))
    }

    /// Whether nothing the pass examined is left unknown.
    pub fn all_known(&self) -> bool {
        self.still_unknown().next().is_none()
    }
}

impl fmt::Display for Summary {
    /// One line of counts, then one line per record that was not simply
    /// settled or unchanged.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = |outcome: fn(&Outcome) -> bool| self.examined.iter().filter(|e| outcome(&e.outcome)).count();
        write!(
            f,
            "examined {}, settled {}, unchanged {}, still unknown {}, for a person {}",
            self.examined.len(),
            count(|o| matches!(o, Outcome::Settled(_))),
            count(|o| matches!(o, Outcome::Unchanged { .. })),
            count(|o| matches!(o, Outcome::StillUnknown { .. })),
            count(|o| matches!(o, Outcome::NeedsPerson { .. })),
        )?;
        for examined in &self.examined {
            let (what, detail) = match &examined.outcome {
                Outcome::Settled(change) => {
                    ("settled", format!("{} -> {}, moved {}", change.old_state, change.new_state, change.amount()))
                }
                Outcome::Unchanged { state } => ("unchanged", state.to_string()),
                Outcome::StillUnknown { reason } => ("unknown", reason.clone()),
                Outcome::NeedsPerson { reason } => ("person", reason.clone()),
            };
            write!(f, "\n{what}: {} {} ({}): {detail}", examined.kind, examined.keys, examined.endpoint)?;
        }
        Ok(())
    }
}

/// A worker that settles what the books do not know yet, through queries.
///
/// `clients` gives the [`Client`] whose base URL serves a region (a
/// record's `region`, e.g. `taiwan`); `None` leaves that region's records
/// unknown, asked again later.
///
/// ```
/// # tokio::runtime::Runtime::new()?.block_on(async {
/// use std::collections::HashMap;
/// use vexora::transport::ReqwestTransport;
/// use vexora::{Client, Config};
/// use vexora_ledger::{Ledger, Reconciler};
///
/// let dir = tempfile::tempdir()?;
/// let ledger = Ledger::connect(&format!("sqlite:{}", dir.path().join("shop.db").display())).await?;
/// let config = Config::builder()
///     .merchant_no("0000000001")
///     .app_secret("secret")
///     .base_url("https://gateway.example.com/taiwan")
///     .order_not_found_code("9008")
///     .build()?;
/// let clients = HashMap::from([("taiwan".to_owned(), Client::with_transport(config, ReqwestTransport::new()?))]);
///
/// let reconciler = Reconciler::new(ledger, move |region: &str| clients.get(region).cloned());
/// // A cron job: one pass.
/// let summary = reconciler.reconcile_once().await?;
/// assert!(summary.all_known());
/// println!("{summary}");
/// // A long-running worker: passes until `stop` completes.
/// reconciler.run(async {}).await;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Reconciler<T, F> {
    ledger: Ledger,
    clients: F,
    options: ReconcilerOptions,
    books: Option<Arc<Books>>,
    transport: PhantomData<fn() -> T>,
}

impl<T, F> fmt::Debug for Reconciler<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reconciler")
            .field("ledger", &self.ledger)
            .field("options", &self.options)
            .field("books", &self.books.is_some())
            .finish()
    }
}

impl<T, F> Reconciler<T, F>
where
    T: Transport + 'static,
    F: Fn(&str) -> Option<Client<T>> + Send + Sync,
{
    /// A reconciler on `ledger`, with the default [`ReconcilerOptions`].
    pub fn new(ledger: Ledger, clients: F) -> Self {
        Self { ledger, clients, options: ReconcilerOptions::default(), books: None, transport: PhantomData }
    }

    /// The same reconciler with these options.
    pub fn with_options(mut self, options: ReconcilerOptions) -> Self {
        self.options = options;
        self
    }

    /// Runs `books` in every settlement's transaction that changes a
    /// record (see [`Ledger::settle_with`]), as the webhook does for
    /// notifications: what a query finds moves the merchant's own tables
    /// exactly once, with the ledger's record, or not at all. If it fails,
    /// nothing is kept and the pass ends with the error; the record is
    /// claimed again when its lease ends.
    pub fn with_books<B>(mut self, books: B) -> Self
    where
        B: for<'t> Fn(&'t mut Transaction, &'t Change) -> BoxFuture<'t, Result<(), BoxError>> + Send + Sync + 'static,
    {
        self.books = Some(Arc::new(books));
        self
    }

    /// The ledger it settles into.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// One pass: claims due records batch by batch until none is left,
    /// queries and settles each, and says what it did. For a cron job.
    ///
    /// A database failure ends the pass with the error; records claimed
    /// and not released are taken over when their lease ends.
    pub async fn reconcile_once(&self) -> Result<Summary, Error> {
        let mut summary = Summary::default();
        let mut seen = HashSet::new();
        tracing::debug!(worker = %self.options.worker, "vexora-ledger: reconciler pass starts");
        loop {
            let claims = self
                .ledger
                .claim_due(&self.options.worker, self.ledger.now(), self.options.lease, self.options.batch)
                .await?;
            if claims.is_empty() {
                break;
            }
            let mut again = false;
            for claim in claims {
                if !seen.insert(claim.record.id) {
                    // Due again within this pass (a backoff shorter than the
                    // pass): left for the next pass, as it was.
                    self.ledger.release(&claim, claim.record.due_at).await?;
                    again = true;
                    continue;
                }
                if self.ledger.now() >= claim.lease_until {
                    // The batch outlasted the lease: the record may be
                    // another worker's now, so this one leaves it alone.
                    tracing::warn!(
                        worker = %self.options.worker, keys = %claim.record.keys,
                        "vexora-ledger: lease ended before the record was queried (lease too short for the batch?)"
                    );
                    continue;
                }
                summary.examined.push(self.examine(claim).await?);
            }
            if again {
                break;
            }
        }
        tracing::info!(
            worker = %self.options.worker, examined = summary.examined.len(),
            settled = summary.settled().count(), unknown = summary.still_unknown().count(),
            person = summary.needs_person().count(), "vexora-ledger: reconciler pass done"
        );
        Ok(summary)
    }

    /// Passes every [`idle`](ReconcilerOptions::idle) until `stop`
    /// completes (checked between passes and during the pause). A pass that
    /// fails on the database is logged at ERROR and tried again after the
    /// pause.
    pub async fn run(&self, stop: impl Future<Output = ()>) {
        let mut stop = std::pin::pin!(stop);
        loop {
            if let Err(error) = self.reconcile_once().await {
                tracing::error!(worker = %self.options.worker, %error, "vexora-ledger: reconciler pass failed");
            }
            if tokio::time::timeout(self.options.idle, stop.as_mut()).await.is_ok() {
                tracing::debug!(worker = %self.options.worker, "vexora-ledger: reconciler stopped");
                return;
            }
        }
    }

    /// Queries one claimed record, settles, releases.
    async fn examine(&self, claim: Claim) -> Result<Examined, Error> {
        let record = &claim.record;
        tracing::info!(
            worker = %claim.worker, kind = %record.kind, keys = %record.keys, endpoint = %record.endpoint,
            state = %record.state, attempts = claim.attempts, "vexora-ledger: reconciling"
        );
        let asked_at = self.ledger.now();
        // A "not found" too soon to trust is asked again once it can be.
        let mut retry_at = None;
        // Where this worker's own settlements left the record.
        let mut state = record.state;
        let outcome = match self.look_up(record).await {
            Err(reason) => Outcome::StillUnknown { reason },
            Ok(Lookup::NoRead) => {
                let reason = format!(
                    "no read finds what {} made (its spec names none, or it has no tradeNo): \
                     look it up by hand; the reconciler never sends it again",
                    record.endpoint
                );
                self.for_person(record, "no-read", reason).await?
            }
            Ok(Lookup::Found(observation)) => match self.settle(&observation).await? {
                Settled::Applied(change) => Outcome::Settled(change),
                Settled::Unchanged | Settled::Duplicate => Outcome::Unchanged { state: record.state },
                Settled::NeedsAttention { reason } => Outcome::NeedsPerson { reason },
            },
            Ok(Lookup::Unreadable(error)) => {
                let reason = format!("the gateway's answer cannot be settled: {error}");
                self.for_person(record, "unreadable", reason).await?
            }
            Ok(Lookup::NotFound) if asked_at < record.updated_at + self.options.settle_delay => {
                retry_at = Some(record.updated_at + self.options.settle_delay);
                let reason = "not found, too soon after the record changed to trust: asking again".to_owned();
                Outcome::StillUnknown { reason }
            }
            Ok(Lookup::NotFound) => {
                let (outcome, after) = self.not_found(record).await?;
                state = after;
                outcome
            }
        };
        if let Outcome::Settled(change) = &outcome {
            state = change.new_state;
        }
        let next_due = match &outcome {
            Outcome::Settled(change) if change.new_state.is_final() => None,
            Outcome::NeedsPerson { .. } => None,
            _ if record.state.is_final() => None,
            _ => Some(retry_at.unwrap_or(asked_at + self.options.backoff(claim.attempts))),
        };
        if !self.ledger.release_expecting(&claim, state, next_due).await? {
            // What was settled stays settled (exactly once); the record is
            // simply another worker's now.
            tracing::warn!(
                worker = %claim.worker, keys = %record.keys,
                "vexora-ledger: the lease passed to another worker before release (lease too short?)"
            );
        }
        match &outcome {
            Outcome::Settled(change) if change.kind == Kind::Payout && change.new_state == State::Failed => {
                tracing::info!(
                    keys = %change.keys, "vexora-ledger: payout failed, its amount is back in the balance \
                     (never resent under a new tradeNo)"
                );
            }
            Outcome::StillUnknown { reason } => {
                tracing::info!(kind = %record.kind, keys = %record.keys, %reason, "vexora-ledger: still unknown");
            }
            _ => {}
        }
        Ok(Examined {
            kind: record.kind,
            keys: record.keys.clone(),
            endpoint: record.endpoint.clone(),
            outcome,
            next_due,
        })
    }

    /// The record's create's own read, sent through the region's client.
    async fn look_up(&self, record: &Record) -> Result<Lookup, String> {
        let Some(read) = reader::<T>(&record.endpoint) else { return Ok(Lookup::NoRead) };
        let Some(client) = (self.clients)(&record.region) else {
            let reason = format!("no client serves region {:?}", record.region);
            tracing::warn!(keys = %record.keys, %reason, "vexora-ledger: cannot query");
            return Err(reason);
        };
        tracing::debug!(keys = %record.keys, endpoint = %record.endpoint, "vexora-ledger: querying the gateway");
        match read(&client, &record.keys).await {
            Ok(found) => Ok(found),
            Err(vexora::Error::Refused { code, msg }) => {
                let reason = format!(
                    "the query was refused with {code} ({msg}), not configured as \"no such order\" \
                     (Config::order_not_found_code)"
                );
                tracing::warn!(keys = %record.keys, %reason, "vexora-ledger: cannot tell whether it exists");
                Err(reason)
            }
            Err(error) => Err(format!("the query failed: {error}")),
        }
    }

    /// A trusted "no such order": settled, and kept for a person (the
    /// reconciler never resends). Also the state it leaves the record in.
    async fn not_found(&self, record: &Record) -> Result<(Outcome, State), Error> {
        if !state_before_gateway(record.state) {
            // The gateway answered this record before: not found now is a
            // contradiction a person must look at.
            let reason = format!("the gateway knew it ({}) and now finds no such order", record.state);
            return Ok((self.for_person(record, "lost", reason).await?, record.state));
        }
        let settled = self.settle(&Observation::not_found(record.kind, record.keys.clone())).await?;
        let mut state = record.state;
        if let Settled::Applied(change) = &settled {
            tracing::info!(keys = %change.keys, from = %change.old_state, "vexora-ledger: not found at the gateway");
            state = change.new_state;
        }
        let reason = format!(
            "not found at the gateway after the settle delay: it was never sent (a crash after recording the \
             intent) or nothing was made. Send the same request again (same tradeNo, e.g. Client::create) or \
             cancel the order; the ledger keeps no payer data to resend it. Was {}.",
            record.state
        );
        Ok((self.for_person(record, "not-found", reason).await?, state))
    }

    /// Settles through the merchant's code, if any.
    async fn settle(&self, observation: &Observation) -> Result<Settled, Error> {
        match &self.books {
            Some(books) => self.ledger.settle_with(observation, |tx, change| books(tx, change)).await,
            None => self.ledger.settle(observation).await,
        }
    }

    /// Keeps `record` for a person (once per `what`) and warns.
    async fn for_person(&self, record: &Record, what: &str, reason: String) -> Result<Outcome, Error> {
        if self.ledger.keep_record_for_person(record, what, &reason).await? {
            tracing::warn!(
                kind = %record.kind, keys = %record.keys, endpoint = %record.endpoint, %reason,
                "vexora-ledger: kept for a person"
            );
        }
        Ok(Outcome::NeedsPerson { reason })
    }
}

/// One pass of a [`Reconciler`] with `options`: for a cron job.
///
/// ```
/// # tokio::runtime::Runtime::new()?.block_on(async {
/// use vexora::transport::ReqwestTransport;
/// use vexora::Client;
/// use vexora_ledger::{reconcile_once, Ledger, ReconcilerOptions};
///
/// let dir = tempfile::tempdir()?;
/// let ledger = Ledger::connect(&format!("sqlite:{}", dir.path().join("shop.db").display())).await?;
/// let no_clients = |_: &str| None::<Client<ReqwestTransport>>;
/// let summary = reconcile_once(&ledger, no_clients, ReconcilerOptions::default()).await?;
/// assert!(summary.examined.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub async fn reconcile_once<T, F>(ledger: &Ledger, clients: F, options: ReconcilerOptions) -> Result<Summary, Error>
where
    T: Transport + 'static,
    F: Fn(&str) -> Option<Client<T>> + Send + Sync,
{
    Reconciler::new(ledger.clone(), clients).with_options(options).reconcile_once().await
}

/// Whether nothing the gateway said shows the record exists.
fn state_before_gateway(state: State) -> bool {
    matches!(state, State::Intent | State::Unknown | State::NotFound | State::Refused)
}

/// What a query said.
enum Lookup {
    /// The create's spec names no read, or the record has no `tradeNo`.
    NoRead,
    /// Found, as an observation to settle.
    Found(Observation),
    /// Found, with an answer the ledger cannot hold (an inexact amount).
    Unreadable(Error),
    /// The gateway's configured "no such order".
    NotFound,
}

/// A create's read, sent by `tradeNo` through a client.
type Read<T> = for<'a> fn(&'a Client<T>, &'a RecordKeys) -> BoxFuture<'a, Result<Lookup, vexora::Error>>;

/// The read of the create whose spec is `endpoint`, from the SDK's registry.
fn reader<T: Transport + 'static>(endpoint: &str) -> Option<Read<T>> {
    macro_rules! dispatch {
        ($(($request:ty, $spec:literal)),* $(,)?) => {
            match endpoint {
                $($spec => (&Probe::<$request>(PhantomData)).read::<T>(),)*
                _ => None,
            }
        };
    }
    vexora::for_each_endpoint!(dispatch)
}

/// A request type, asked for its read. Method resolution on a concrete
/// type picks [`ReadBack`] where it applies (a `Reconcilable` create whose
/// read answers a pay-in or payout result) and [`NoReadBack`] otherwise.
struct Probe<E>(PhantomData<E>);

trait ReadBack {
    fn read<T: Transport + 'static>(&self) -> Option<Read<T>>;
}

impl<E> ReadBack for Probe<E>
where
    E: Reconcilable,
    E::Query: Send + Sync + 'static,
    <E::Query as Endpoint>::Response: QueryResult,
{
    fn read<T: Transport + 'static>(&self) -> Option<Read<T>> {
        Some(send_read::<E::Query, T>)
    }
}

trait NoReadBack {
    fn read<T: Transport + 'static>(&self) -> Option<Read<T>>;
}

impl<E> NoReadBack for &Probe<E> {
    fn read<T: Transport + 'static>(&self) -> Option<Read<T>> {
        None
    }
}

fn send_read<'a, Q, T>(client: &'a Client<T>, keys: &'a RecordKeys) -> BoxFuture<'a, Result<Lookup, vexora::Error>>
where
    Q: ByKeys + Send + Sync + 'static,
    Q::Response: QueryResult,
    T: Transport + 'static,
{
    Box::pin(async move {
        let query = Q::by_keys(keys);
        match client.send(&query).await {
            Ok(result) => Ok(result.observation().map_or_else(Lookup::Unreadable, Lookup::Found)),
            Err(vexora::Error::Refused { code, .. }) if client.config().order_not_found_codes().contains(&code) => {
                Ok(Lookup::NotFound)
            }
            Err(error) => Err(error),
        }
    })
}

/// A read's result the ledger can settle.
trait QueryResult {
    fn observation(&self) -> Result<Observation, Error>;
}

impl QueryResult for PayInResult {
    fn observation(&self) -> Result<Observation, Error> {
        Observation::pay_in_query(self)
    }
}

impl QueryResult for PayoutResult {
    fn observation(&self) -> Result<Observation, Error> {
        Observation::payout_query(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Any = vexora::transport::ReqwestTransport;

    #[test]
    fn every_create_with_a_read_is_found_and_the_others_are_not() {
        assert!(reader::<Any>("taiwan/checkout").is_some());
        assert!(reader::<Any>("taiwan/payout").is_some());
        assert!(reader::<Any>("australia/deposit").is_some());
        assert!(reader::<Any>("australia/kyc-application").is_none());
        assert!(reader::<Any>("bangladesh/payment-submit").is_none());
        assert!(reader::<Any>("taiwan/balance").is_none());
        assert!(reader::<Any>("nowhere/checkout").is_none());
    }

    #[test]
    fn the_ladder_doubles_and_is_capped() {
        let options = ReconcilerOptions {
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(10),
            ..ReconcilerOptions::default()
        };
        let ladder: Vec<u64> = [0, 1, 2, 3, 4, 5, i64::MAX].map(|n| options.backoff(n).as_secs()).to_vec();
        assert_eq!(ladder, [1, 1, 2, 4, 8, 10, 10]);
    }
}
