//! The ledger: one pool on the merchant's database, and the transactions
//! that record intents, settle observations and hand out claims.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use vexora::clock::{Clock, SystemClock};

use sqlx::any::{AnyArguments, AnyPoolOptions, AnyRow};
use sqlx::pool::PoolConnection;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AnyPool};

use crate::books::{Attention, Change, Claim, Event, RECORD_COLUMNS, Record, Settled, duration_millis, millis};
use crate::state::transition;
use crate::{BoxError, Error, Intent, Kind, Money, Observation, RecordKeys, State};

/// The open transaction settlement hands to the merchant's code.
pub type Transaction = sqlx::Transaction<'static, sqlx::Any>;

/// A boxed future, as the merchant's settlement code returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The merchant's settlement code, kept by the webhook and the reconciler
/// to run in every settlement that changes a record.
pub(crate) type Books =
    dyn for<'t> Fn(&'t mut Transaction, &'t Change) -> BoxFuture<'t, Result<(), BoxError>> + Send + Sync;

/// The schema, one migration a file, for each database.
const SQLITE_MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_ledger.sql")),
    (2, include_str!("../migrations/sqlite/0002_observation_moves_record.sql")),
    (3, include_str!("../migrations/sqlite/0003_observation_record_checked_by_its_statement.sql")),
];
const POSTGRES_MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_ledger.sql")),
    (2, include_str!("../migrations/postgres/0002_observation_moves_record.sql")),
    (3, include_str!("../migrations/postgres/0003_observation_record_checked_by_its_statement.sql")),
];

/// How often a settlement reads again after another moved its record
/// between its read and its write, before giving up as
/// [`Error::Contended`]. A record moves only forward, a few times at most.
const SETTLE_ATTEMPTS: usize = 8;

/// Settlement's write on Postgres when the observation moves its record,
/// one statement: the record moves only if it is still as read (no row
/// otherwise: read again), and the observation goes in with it. A
/// duplicate dedup key fails the statement, which undoes the move.
const POSTGRES_MOVE: &str = "\
    WITH moved AS (UPDATE vexora_records SET state = $7, paid = $9, status = COALESCE($4, status), \
        updated_at = $10, due_at = $11 WHERE id = $1 AND state = $6 AND paid = $8 RETURNING id) \
    INSERT INTO vexora_observations (record_id, dedup, source, status, amount, old_state, new_state, old_paid, \
        new_paid, observed_at, due_at) SELECT id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM moved";

/// Settlement's write on Postgres when the record stays: the observation,
/// kept only if the record is still as read, which it holds in share mode
/// until the end of the statement, so no move slips in between.
const POSTGRES_STAY: &str = "\
    INSERT INTO vexora_observations (record_id, dedup, source, status, amount, old_state, new_state, old_paid, \
        new_paid, observed_at, due_at) SELECT id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM vexora_records \
        WHERE id = $1 AND state = $6 AND paid = $8 FOR SHARE";

/// Settlement's write on SQLite, one statement: the observation, whose
/// insert moves the record (the trigger of migration 0002, which fails the
/// statement if the record moved since it was read). A duplicate dedup key
/// inserts nothing, so moves nothing.
const SQLITE_OBSERVE: &str = "\
    INSERT INTO vexora_observations (record_id, dedup, source, status, amount, old_state, new_state, old_paid, \
        new_paid, observed_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
        ON CONFLICT (dedup) DO NOTHING";

/// The message of the error the SQLite trigger raises when the record moved
/// since the settlement read it.
const SQLITE_RECORD_MOVED: &str = "vexora-ledger: the record moved since it was read";

/// Which SQL a statement needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Sqlite,
    Postgres,
}

/// How the ledger connects and when records fall due.
///
/// A record's due time is set when it changes, with the options of the
/// process that changes it: give every receiver and worker the same ones.
#[derive(Clone)]
#[non_exhaustive]
pub struct Options {
    /// How long an intent may wait for its answer before the reconciler
    /// looks at it (the sender may still be waiting). Default: 2 minutes.
    pub intent_grace: Duration,
    /// How long a record may stay processing (no notification came) before
    /// the reconciler queries it. Default: 15 minutes.
    pub processing_after: Duration,
    /// SQLite: how long a writer waits for another's lock. Default: 10 s.
    pub busy_timeout: Duration,
    /// Connections in the pool. Default: 8.
    pub max_connections: u32,
    /// What the ledger reads the time from: when intents and settlements
    /// happen and when their records fall due, when the reconciler claims
    /// records, how long their leases last and when it asked. Give every
    /// receiver and worker of one database the same time. Default: the
    /// system clock. A simulation gives one that moves only when it says,
    /// so that whether a lease has ended does not depend on how fast the
    /// machine is.
    pub clock: Arc<dyn Clock>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            intent_grace: Duration::from_secs(120),
            processing_after: Duration::from_secs(15 * 60),
            busy_timeout: Duration::from_secs(10),
            max_connections: 8,
            clock: Arc::new(SystemClock),
        }
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("intent_grace", &self.intent_grace)
            .field("processing_after", &self.processing_after)
            .field("busy_timeout", &self.busy_timeout)
            .field("max_connections", &self.max_connections)
            .finish_non_exhaustive()
    }
}

/// The merchant's books, in the merchant's own database (tables prefixed
/// `vexora_`): SQLite (`sqlite:PATH`) on one machine, Postgres
/// (`postgres://...`) across many. Cheap to clone: clones share one pool.
///
/// Record the intent before sending, settle whatever the gateway says
/// (answers, query results, notifications) through [`Ledger::settle`] or
/// [`Ledger::settle_with`], and let a reconciler [`claim`](Ledger::claim_due)
/// what is unknown or overdue.
///
/// ```
/// # tokio::runtime::Runtime::new()?.block_on(async {
/// use vexora::taiwan::PayoutRequest;
/// use vexora::types::TradeStatus;
/// use vexora_ledger::{Intent, Kind, Ledger, Money, Observation, RecordKeys, Reported, Settled, Source, State};
///
/// let dir = tempfile::tempdir()?;
/// let ledger = Ledger::connect(&format!("sqlite:{}", dir.path().join("shop.db").display())).await?;
///
/// // Before sending the payout:
/// let payout = PayoutRequest::builder()
///     .trade_no("P0001")
///     .amount(300)
///     .bank_code("004")
///     .bank_number("3560123456789012")
///     .mobile("0912345678")
///     .email("payee@example.com")
///     .name("Lin Mei")
///     .notify_url("https://shop.example/vexora/payout")
///     .build();
/// ledger.record_intent(&Intent::of(Kind::Payout, "0000000001", &payout)?).await?;
///
/// // Whatever the gateway says later, and however often:
/// let keys = RecordKeys::trade_no("P0001");
/// let paid = Reported::Status { status: TradeStatus::Success, amount: Some(Money::parse("300.00")?) };
/// let observation = Observation::new(Kind::Payout, keys.clone(), Source::Notification, paid);
/// let Settled::Applied(change) = ledger.settle(&observation).await? else { panic!("not applied") };
/// assert_eq!(change.debit(), Some(Money::from(300)));
/// assert_eq!(ledger.settle(&observation).await?, Settled::Duplicate);
///
/// let record = ledger.record(Kind::Payout, &keys).await?.ok_or("no record")?;
/// assert_eq!((record.state, record.paid), (State::Paid, Money::from(300)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Ledger {
    pool: AnyPool,
    dialect: Dialect,
    options: Options,
}

impl Ledger {
    /// Connects with the default [`Options`] and migrates the schema.
    pub async fn connect(url: &str) -> Result<Self, Error> {
        Self::connect_with(url, Options::default()).await
    }

    /// Connects to `sqlite:PATH` (created if missing, in WAL mode with a
    /// busy timeout) or `postgres://...`, and runs the ledger's migrations.
    pub async fn connect_with(url: &str, options: Options) -> Result<Self, Error> {
        sqlx::any::install_default_drivers();
        let (dialect, url) = if url.starts_with("sqlite:") {
            let create = if url.contains("mode=") {
                ""
            } else if url.contains('?') {
                "&mode=rwc"
            } else {
                "?mode=rwc"
            };
            (Dialect::Sqlite, format!("{url}{create}"))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Dialect::Postgres, url.to_owned())
        } else {
            let shown = url.split_once('@').map_or(url, |(_, host)| host);
            return Err(Error::UnsupportedUrl { url: shown.to_owned() });
        };
        let busy = duration_millis(options.busy_timeout);
        let pool = AnyPoolOptions::new()
            .max_connections(options.max_connections)
            .after_connect(move |connection, _| {
                let pragma = format!("PRAGMA busy_timeout = {busy}");
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        sqlx::Executor::execute(connection, pragma.as_str()).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        if dialect == Dialect::Sqlite {
            use_wal(&pool, options.busy_timeout).await?;
        }
        let ledger = Self { pool, dialect, options };
        ledger.migrate().await?;
        Ok(ledger)
    }

    /// The pool, for the merchant's own tables in the same database.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Now, on [`Options::clock`].
    pub(crate) fn now(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(self.options.clock.now_millis())
    }

    /// Closes the pool's connections.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A transaction that holds the write lock from its first statement:
    /// `BEGIN IMMEDIATE` on SQLite, so two writers never both read before
    /// either writes; on Postgres rows are locked with `FOR UPDATE`.
    async fn begin_write(&self) -> Result<Transaction, Error> {
        Ok(match self.dialect {
            Dialect::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Dialect::Postgres => self.pool.begin().await?,
        })
    }

    /// Applies the migrations not applied yet, one transaction for all, so
    /// several processes starting at once migrate once.
    async fn migrate(&self) -> Result<(), Error> {
        let mut tx = self.begin_write().await?;
        let migrations = match self.dialect {
            Dialect::Sqlite => SQLITE_MIGRATIONS,
            Dialect::Postgres => {
                // Serialises concurrent first starts until this transaction ends.
                let lock = "DO $$ BEGIN PERFORM pg_advisory_xact_lock(7275391601); END $$";
                sqlx::Executor::execute(&mut *tx, lock).await?;
                POSTGRES_MIGRATIONS
            }
        };
        let table =
            "CREATE TABLE IF NOT EXISTS vexora_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)";
        sqlx::Executor::execute(&mut *tx, table).await?;
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM vexora_migrations").fetch_all(&mut *tx).await?;
        for (version, sql) in migrations {
            if applied.contains(version) {
                continue;
            }
            sqlx::Executor::execute(&mut *tx, *sql).await?;
            sqlx::query("INSERT INTO vexora_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(*version)
                .bind(millis(self.now()))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records a create before it is sent, in its own committed transaction,
    /// so a crash after sending loses nothing: the reconciler finds it.
    ///
    /// Recording the same intent again (the same keys and signed fields, as
    /// when the same `tradeNo` is sent again) returns the existing record;
    /// other signed fields under the same keys are [`Error::IntentConflict`].
    pub async fn record_intent(&self, intent: &Intent) -> Result<Record, Error> {
        if intent.keys.is_empty() {
            return Err(Error::NoRecordKey);
        }
        let now = millis(self.now());
        let due = now.saturating_add(duration_millis(self.options.intent_grace));
        let keys = intent.keys.to_string();
        let mut tx = self.begin_write().await?;
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO vexora_records (kind, record_keys, merchant_no, region, endpoint, amount, fields_hash, \
             state, paid, created_at, updated_at, due_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'intent', '0', $8, $8, $9) \
             ON CONFLICT (kind, record_keys) DO NOTHING RETURNING id",
        )
        .bind(intent.kind.as_str())
        .bind(&keys)
        .bind(&intent.merchant_no)
        .bind(&intent.region)
        .bind(&intent.endpoint)
        .bind(intent.amount.to_string())
        .bind(&intent.fields_hash)
        .bind(now)
        .bind(due)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = inserted {
            for (name, value) in intent.keys.iter() {
                sqlx::query("INSERT INTO vexora_record_keys (record_id, kind, name, value) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(intent.kind.as_str())
                    .bind(name)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let row =
            sqlx::query(&format!("SELECT {RECORD_COLUMNS} FROM vexora_records WHERE kind = $1 AND record_keys = $2"))
                .bind(intent.kind.as_str())
                .bind(&keys)
                .fetch_one(&mut *tx)
                .await?;
        let record = Record::from_row(&row)?;
        if record.fields_hash != intent.fields_hash {
            return Err(Error::IntentConflict { kind: intent.kind, keys: intent.keys.clone() });
        }
        tx.commit().await?;
        Ok(record)
    }

    /// Settles one observation exactly once, with no merchant code: see
    /// [`Ledger::settle_with`].
    pub async fn settle(&self, observation: &Observation) -> Result<Settled, Error> {
        self.settle_inner(
            observation,
            None::<for<'t> fn(&'t mut Transaction, &'t Change) -> BoxFuture<'t, Result<(), BoxError>>>,
        )
        .await
    }

    /// Settles one observation exactly once, running `books` (the merchant's
    /// own tables: "mark my order paid, ship the goods") inside the same
    /// transaction, on every change and only then.
    ///
    /// One transaction: read the record, then in one write record the
    /// observation under its dedup key (a second time it is a
    /// [`Settled::Duplicate`]) and move the record forward, provided it is
    /// still as read (otherwise read again); run `books`, commit. If
    /// `books` fails, nothing is kept, the ledger's record included
    /// ([`Error::Merchant`]), so the observation settles again on its next
    /// delivery. [`Ledger::settle`] makes the same one-statement write
    /// with no transaction around it.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new()?.block_on(async {
    /// # use vexora::types::TradeStatus;
    /// use vexora_ledger::{Intent, Kind, Ledger, Money, Observation, RecordKeys, Reported, Source};
    ///
    /// # let dir = tempfile::tempdir()?;
    /// # let ledger = Ledger::connect(&format!("sqlite:{}", dir.path().join("shop.db").display())).await?;
    /// sqlx::raw_sql("CREATE TABLE orders (trade_no TEXT PRIMARY KEY, state TEXT NOT NULL, credited TEXT)")
    ///     .execute(ledger.pool())
    ///     .await?;
    /// sqlx::raw_sql("INSERT INTO orders VALUES ('T1', 'open', NULL)").execute(ledger.pool()).await?;
    /// let keys = RecordKeys::trade_no("T1");
    /// ledger.record_intent(&Intent::new(Kind::PayIn, "0000000001", "taiwan/checkout", keys.clone(), 300.into(), "hash")).await?;
    ///
    /// let paid = Reported::Status { status: TradeStatus::Success, amount: Some(Money::parse("300")?) };
    /// let observation = Observation::new(Kind::PayIn, keys, Source::Query, paid);
    /// ledger
    ///     .settle_with(&observation, |tx, change| {
    ///         Box::pin(async move {
    ///             let credit = change.credit().map(|amount| amount.to_string());
    ///             sqlx::query("UPDATE orders SET state = $1, credited = $2 WHERE trade_no = $3")
    ///                 .bind(change.new_state.as_str())
    ///                 .bind(credit)
    ///                 .bind(change.keys.get("tradeNo"))
    ///                 .execute(&mut **tx)
    ///                 .await?;
    ///             Ok(())
    ///         })
    ///     })
    ///     .await?;
    /// let order: (String, String) = sqlx::query_as("SELECT state, credited FROM orders").fetch_one(ledger.pool()).await?;
    /// assert_eq!(order, ("paid".to_owned(), "300".to_owned()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn settle_with<F>(&self, observation: &Observation, books: F) -> Result<Settled, Error>
    where
        F: for<'t> FnOnce(&'t mut Transaction, &'t Change) -> BoxFuture<'t, Result<(), BoxError>> + Send,
    {
        self.settle_inner(observation, Some(books)).await
    }

    async fn settle_inner<F>(&self, observation: &Observation, books: Option<F>) -> Result<Settled, Error>
    where
        F: for<'t> FnOnce(&'t mut Transaction, &'t Change) -> BoxFuture<'t, Result<(), BoxError>> + Send,
    {
        let mut books = books;
        // A plain settlement needs no transaction: its one write checks that
        // the record is still as read, and moves it in the same statement.
        let mut transaction = books.is_some();
        for _ in 0..SETTLE_ATTEMPTS {
            match self.try_settle(observation, &mut books, transaction).await? {
                Attempt::Done(settled) => return Ok(settled),
                Attempt::Raced => {}
                Attempt::NeedsTransaction => transaction = true,
            }
        }
        Err(Error::Contended { kind: observation.kind(), keys: observation.keys().clone() })
    }

    /// One settlement attempt: read the record, work out where it goes,
    /// write both the observation and the move at once.
    async fn try_settle<F>(
        &self,
        observation: &Observation,
        books: &mut Option<F>,
        transaction: bool,
    ) -> Result<Attempt, Error>
    where
        F: for<'t> FnOnce(&'t mut Transaction, &'t Change) -> BoxFuture<'t, Result<(), BoxError>> + Send,
    {
        let now = millis(self.now());
        let mut session = if transaction {
            Session::Transaction(self.begin_write().await?)
        } else {
            Session::Autocommit(self.pool.acquire().await?)
        };
        let record = match self.find(session.connection(), observation.kind(), observation.keys()).await? {
            Found::One(record) => *record,
            Found::None => {
                let reason = format!("no {} recorded under {}", observation.kind(), observation.keys());
                return self.keep_for_attention(session, observation, reason, now).await.map(Attempt::Done);
            }
            Found::Several => {
                let reason = format!("several records match {}", observation.keys());
                return self.keep_for_attention(session, observation, reason, now).await.map(Attempt::Done);
            }
        };
        let next = transition(record.kind, record.amount, record.state, record.paid, observation.reported());
        if next.attention.is_some() && !transaction {
            // The observation and the note for a person are kept together.
            return Ok(Attempt::NeedsTransaction);
        }
        let moves = next.attention.is_none() && (next.state, next.paid) != (record.state, record.paid);
        let write = Write { record: &record, observation, state: next.state, paid: next.paid, moves, now };
        match self.observe(session.connection(), &write).await? {
            Observed::New => {}
            Observed::Duplicate => {
                session.abandon().await?;
                return Ok(Attempt::Done(Settled::Duplicate));
            }
            Observed::Raced => {
                session.abandon().await?;
                return Ok(Attempt::Raced);
            }
        }
        if let Some(reason) = next.attention {
            return self.keep_for_attention(session, observation, reason, now).await.map(Attempt::Done);
        }
        if !moves {
            session.commit().await?;
            return Ok(Attempt::Done(Settled::Unchanged));
        }
        let change = Change {
            record_id: record.id,
            kind: record.kind,
            keys: record.keys,
            source: observation.source(),
            old_state: record.state,
            new_state: next.state,
            old_paid: record.paid,
            new_paid: next.paid,
        };
        if let (Some(books), Session::Transaction(tx)) = (books.take(), &mut session) {
            // On failure the transaction is dropped, which rolls it back.
            books(tx, &change).await.map_err(Error::Merchant)?;
        }
        session.commit().await?;
        tracing::info!(
            kind = %change.kind, keys = %change.keys, source = %change.source, from = %change.old_state,
            to = %change.new_state, amount = %change.amount(), "vexora-ledger: settled"
        );
        Ok(Attempt::Done(Settled::Applied(change)))
    }

    /// Records the observation under its dedup key and, when `write.moves`,
    /// moves the record, in one statement.
    async fn observe(&self, connection: &mut AnyConnection, write: &Write<'_>) -> Result<Observed, Error> {
        let due_at = write.moves.then(|| self.due_at(write.state, write.now, write.record.created_at)).flatten();
        let sql = match (self.dialect, write.moves) {
            (Dialect::Sqlite, _) => SQLITE_OBSERVE,
            (Dialect::Postgres, true) => POSTGRES_MOVE,
            (Dialect::Postgres, false) => POSTGRES_STAY,
        };
        match write.bind(sqlx::query(sql), due_at).execute(&mut *connection).await {
            // SQLite skips a duplicate; Postgres finds no record as read.
            Ok(done) if done.rows_affected() == 0 => {
                Ok(if self.dialect == Dialect::Sqlite { Observed::Duplicate } else { Observed::Raced })
            }
            Ok(_) => Ok(Observed::New),
            Err(sqlx::Error::Database(error)) if is_duplicate_observation(error.as_ref()) => Ok(Observed::Duplicate),
            Err(sqlx::Error::Database(error)) if error.message().contains(SQLITE_RECORD_MOVED) => Ok(Observed::Raced),
            Err(error) => Err(error.into()),
        }
    }

    /// When a record in `state` falls due for the reconciler.
    fn due_at(&self, state: State, now: i64, created_at: SystemTime) -> Option<i64> {
        match state {
            State::Intent => Some(millis(created_at).saturating_add(duration_millis(self.options.intent_grace))),
            State::Unknown | State::NotFound => Some(now),
            State::Processing | State::Partial => {
                Some(now.saturating_add(duration_millis(self.options.processing_after)))
            }
            State::Refused | State::Paid | State::Failed => None,
        }
    }

    /// The record `keys` name, as it stands. Nothing is locked: the write
    /// that follows checks that the record has not moved since.
    async fn find(&self, connection: &mut AnyConnection, kind: Kind, keys: &RecordKeys) -> Result<Found, Error> {
        let Some((name, value)) = keys.lookup_key() else { return Ok(Found::None) };
        // `CROSS JOIN` keeps SQLite's planner on the key index, then each
        // record by its primary key; left free, it may scan every record of
        // the kind.
        let rows = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS} FROM (SELECT record_id FROM vexora_record_keys \
             WHERE kind = $1 AND name = $2 AND value = $3) AS k CROSS JOIN vexora_records \
             WHERE vexora_records.id = k.record_id"
        ))
        .bind(kind.as_str())
        .bind(name)
        .bind(value)
        .fetch_all(&mut *connection)
        .await?;
        let mut matching = Vec::new();
        for row in &rows {
            let record = Record::from_row(row)?;
            if keys.is_subset_of(&record.keys) {
                matching.push(record);
            }
        }
        Ok(match matching.len() {
            0 => Found::None,
            1 => matching.pop().map_or(Found::None, |record| Found::One(Box::new(record))),
            _ => Found::Several,
        })
    }

    /// Keeps an observation for a person (once under its dedup key), warns,
    /// and commits: it is processed, so the sender can be acknowledged.
    async fn keep_for_attention(
        &self,
        mut session: Session,
        observation: &Observation,
        reason: String,
        now: i64,
    ) -> Result<Settled, Error> {
        let kept = sqlx::query(
            "INSERT INTO vexora_attention (dedup, kind, record_keys, source, status, amount, reason, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedup) DO NOTHING",
        )
        .bind(observation.dedup())
        .bind(observation.kind().as_str())
        .bind(observation.keys().to_string())
        .bind(observation.source().as_str())
        .bind(observation.status_code())
        .bind(observation.amount().map(|amount| amount.to_string()))
        .bind(&reason)
        .bind(now)
        .execute(session.connection())
        .await?
        .rows_affected();
        session.commit().await?;
        if kept == 0 {
            return Ok(Settled::Duplicate);
        }
        tracing::warn!(
            kind = %observation.kind(), keys = %observation.keys(), source = %observation.source(),
            status = observation.status_code(), %reason, "vexora-ledger: kept for a person"
        );
        Ok(Settled::NeedsAttention { reason })
    }

    /// Keeps `record` for a person, once per `what` (the reconciler's
    /// reason tag): listed by [`Ledger::needs_attention`] with source
    /// `reconciler`. Returns whether it was kept now (not before).
    pub(crate) async fn keep_record_for_person(
        &self,
        record: &Record,
        what: &str,
        reason: &str,
    ) -> Result<bool, Error> {
        let kept = sqlx::query(
            "INSERT INTO vexora_attention (dedup, kind, record_keys, source, status, amount, reason, created_at) \
             VALUES ($1, $2, $3, 'reconciler', $4, NULL, $5, $6) ON CONFLICT (dedup) DO NOTHING",
        )
        .bind(format!("reconciler|{}|{}|{what}", record.kind, record.keys))
        .bind(record.kind.as_str())
        .bind(record.keys.to_string())
        .bind(record.status.clone())
        .bind(reason)
        .bind(millis(self.now()))
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(kept == 1)
    }

    /// The record of `kind` under exactly these keys.
    pub async fn record(&self, kind: Kind, keys: &RecordKeys) -> Result<Option<Record>, Error> {
        let row =
            sqlx::query(&format!("SELECT {RECORD_COLUMNS} FROM vexora_records WHERE kind = $1 AND record_keys = $2"))
                .bind(kind.as_str())
                .bind(keys.to_string())
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(Record::from_row).transpose()
    }

    /// Every record, oldest first.
    pub async fn records(&self) -> Result<Vec<Record>, Error> {
        let rows = sqlx::query(&format!("SELECT {RECORD_COLUMNS} FROM vexora_records ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Record::from_row).collect()
    }

    /// Every observation applied to `record`, in the order applied.
    pub async fn history(&self, record: &Record) -> Result<Vec<Event>, Error> {
        let rows = sqlx::query(
            "SELECT source, status, amount, old_state, new_state, old_paid, new_paid, observed_at \
             FROM vexora_observations WHERE record_id = $1 ORDER BY id",
        )
        .bind(record.id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(Event::from_row).collect()
    }

    /// The records due at `now` (what [`Ledger::claim_due`] would hand out,
    /// leased or not), soonest first, without claiming them.
    pub async fn due(&self, now: SystemTime, limit: u32) -> Result<Vec<Record>, Error> {
        let rows = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS} FROM vexora_records WHERE due_at IS NOT NULL AND due_at <= $1 \
             ORDER BY due_at, id LIMIT $2"
        ))
        .bind(millis(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(Record::from_row).collect()
    }

    /// Everything kept for a person, oldest first.
    pub async fn needs_attention(&self) -> Result<Vec<Attention>, Error> {
        let rows = sqlx::query(
            "SELECT kind, record_keys, source, status, amount, reason, created_at FROM vexora_attention ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(Attention::from_row).collect()
    }

    /// Claims up to `limit` records that are due at `now` (an intent with
    /// no answer after [`Options::intent_grace`], an unknown outcome, a
    /// "not found", a record processing past [`Options::processing_after`])
    /// and not leased to anyone, for `worker` until `now + lease`.
    ///
    /// A short transaction of its own (Postgres `FOR UPDATE SKIP LOCKED`,
    /// SQLite `BEGIN IMMEDIATE`): two workers never get the same record,
    /// and a lease that expired (a dead worker) is taken over. Query the
    /// gateway after this returns, outside any transaction, then settle and
    /// [`release`](Ledger::release).
    pub async fn claim_due(
        &self,
        worker: &str,
        now: SystemTime,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<Claim>, Error> {
        let now = millis(now);
        let skip_locked = match self.dialect {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        };
        let mut tx = self.begin_write().await?;
        let rows: Vec<AnyRow> = sqlx::query(&format!(
            "UPDATE vexora_records SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM vexora_records WHERE due_at IS NOT NULL AND due_at <= $3 \
             AND (lease_until IS NULL OR lease_until <= $3) ORDER BY due_at, id LIMIT $4{skip_locked}) \
             RETURNING {RECORD_COLUMNS}"
        ))
        .bind(worker)
        .bind(now.saturating_add(duration_millis(lease)))
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut claims = rows.iter().map(Claim::from_row).collect::<Result<Vec<_>, _>>()?;
        claims.sort_by_key(|claim| claim.record.id);
        Ok(claims)
    }

    /// Gives a claimed record back: due again at `next_due` (the
    /// reconciler's backoff) unless it is settled for good. Returns `false`
    /// if the lease had already passed to another worker.
    pub async fn release(&self, claim: &Claim, next_due: Option<SystemTime>) -> Result<bool, Error> {
        let released = sqlx::query(
            "UPDATE vexora_records SET lease_owner = NULL, lease_until = NULL, \
             due_at = CASE WHEN state IN ('paid', 'failed', 'refused') THEN NULL ELSE $1 END \
             WHERE id = $2 AND lease_owner = $3 AND lease_until = $4",
        )
        .bind(next_due.map(millis))
        .bind(claim.record.id)
        .bind(&claim.worker)
        .bind(millis(claim.lease_until))
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(released == 1)
    }

    /// [`Ledger::release`] by a worker whose own settlements left the
    /// record in `expected`: if someone else (a receiver) moved it since,
    /// the due time their settlement set is kept instead of `next_due`,
    /// so a record that moved on is never left without one.
    pub(crate) async fn release_expecting(
        &self,
        claim: &Claim,
        expected: State,
        next_due: Option<SystemTime>,
    ) -> Result<bool, Error> {
        let released = sqlx::query(
            "UPDATE vexora_records SET lease_owner = NULL, lease_until = NULL, \
             due_at = CASE WHEN state IN ('paid', 'failed', 'refused') THEN NULL \
             WHEN state = $5 THEN $1 ELSE due_at END \
             WHERE id = $2 AND lease_owner = $3 AND lease_until = $4",
        )
        .bind(next_due.map(millis))
        .bind(claim.record.id)
        .bind(&claim.worker)
        .bind(millis(claim.lease_until))
        .bind(expected.as_str())
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(released == 1)
    }
}

/// One settlement's writes: the observation, and the record's new state.
struct Write<'a> {
    record: &'a Record,
    observation: &'a Observation,
    state: State,
    paid: Money,
    /// Whether the record moves (a new state or amount paid, nothing for a
    /// person).
    moves: bool,
    now: i64,
}

impl Write<'_> {
    /// Binds `$1` to `$11` of [`POSTGRES_MOVE`], [`POSTGRES_STAY`] and
    /// [`SQLITE_OBSERVE`].
    fn bind<'q>(
        &self,
        query: Query<'q, Any, AnyArguments<'q>>,
        due_at: Option<i64>,
    ) -> Query<'q, Any, AnyArguments<'q>> {
        query
            .bind(self.record.id)
            .bind(self.observation.dedup_on(self.record.state, millis(self.record.updated_at)).into_owned())
            .bind(self.observation.source().as_str())
            .bind(self.observation.status_code().map(str::to_owned))
            .bind(self.observation.amount().map(|amount| amount.to_string()))
            .bind(self.record.state.as_str())
            .bind(self.state.as_str())
            .bind(self.record.paid.to_string())
            .bind(self.paid.to_string())
            .bind(self.now)
            .bind(due_at)
    }
}

/// Puts the SQLite file in WAL mode (readers never wait for the writer;
/// kept in the file once set). Switching needs the file to itself for a
/// moment, and SQLite refuses at once rather than wait (its busy timeout
/// does not apply), so while another process opens or migrates the same
/// file it is tried again, until `busy_timeout` has passed.
async fn use_wal(pool: &AnyPool, busy_timeout: Duration) -> Result<(), Error> {
    let deadline = tokio::time::Instant::now() + busy_timeout;
    loop {
        match sqlx::Executor::execute(pool, "PRAGMA journal_mode = WAL").await {
            Err(sqlx::Error::Database(error)) if is_busy(error.as_ref()) && tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            done => return done.map(|_| ()).map_err(Error::from),
        }
    }
}

/// Whether `error` is SQLite's "database is locked" (`SQLITE_BUSY`, with
/// or without its extended code).
fn is_busy(error: &dyn sqlx::error::DatabaseError) -> bool {
    error.code().and_then(|code| code.parse::<i32>().ok()).is_some_and(|code| code & 0xff == 5)
}

/// Whether `error` is Postgres refusing an observation's dedup key that is
/// already recorded: the observation was applied before.
fn is_duplicate_observation(error: &dyn sqlx::error::DatabaseError) -> bool {
    error.kind() == sqlx::error::ErrorKind::UniqueViolation
        && error.constraint() == Some("vexora_observations_dedup_key")
}

/// What one settlement's write found.
enum Observed {
    /// A new observation, applied.
    New,
    /// Its dedup key was applied before.
    Duplicate,
    /// Another settlement moved the record since it was read.
    Raced,
}

/// How one settlement attempt ended.
enum Attempt {
    Done(Settled),
    /// Read again: the record moved underneath.
    Raced,
    /// Read again inside a transaction: the observation goes with a note
    /// for a person.
    NeedsTransaction,
}

/// Where one settlement's statements run.
enum Session {
    /// A transaction (on SQLite holding the write lock from its start).
    Transaction(Transaction),
    /// A pooled connection where each statement commits on its own.
    Autocommit(PoolConnection<Any>),
}

impl Session {
    fn connection(&mut self) -> &mut AnyConnection {
        match self {
            Self::Transaction(tx) => tx,
            Self::Autocommit(connection) => connection,
        }
    }

    async fn commit(self) -> Result<(), Error> {
        if let Self::Transaction(tx) = self {
            tx.commit().await?;
        }
        Ok(())
    }

    /// Undoes what the session wrote, if it can: an autocommit write that
    /// took effect is never half done (one statement).
    async fn abandon(self) -> Result<(), Error> {
        if let Self::Transaction(tx) = self {
            tx.rollback().await?;
        }
        Ok(())
    }
}

/// The records some keys name.
enum Found {
    None,
    One(Box<Record>),
    Several,
}
