//! The merchant's side of the books: the ledger every process opens the
//! same way, the merchant's own table that every settlement moves in its
//! transaction, what a process reports it applied, and the checks that
//! hold the books against each other and against the gateway's.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::json;
use sqlx::Row;
use vexora_ledger::{BoxError, BoxFuture, Change, Event, Kind, Ledger, Money, Options, Record, State, Transaction};

use crate::gateway::GatewayBooks;

/// The ledger as every process of a scenario opens it: records fall due for
/// the reconciler at once (no grace for an intent, no wait for a
/// notification), so workers race the creates and the receivers.
pub async fn connect(url: &str) -> Ledger {
    let mut options = Options::default();
    options.intent_grace = Duration::ZERO;
    options.processing_after = Duration::ZERO;
    options.max_connections = 4;
    Ledger::connect_with(url, options).await.expect("the ledger connects")
}

/// The merchant's own table: one row for every change a settlement made,
/// written in the settlement's transaction by the process that made it.
pub async fn create_shop_table(ledger: &Ledger) {
    sqlx::query(
        "CREATE TABLE shop_moves (process TEXT NOT NULL, kind TEXT NOT NULL, trade_no TEXT NOT NULL, \
         moved TEXT NOT NULL, new_state TEXT NOT NULL)",
    )
    .execute(ledger.pool())
    .await
    .expect("the merchant's table");
}

/// What one process applied: changes, and the money they moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub applied: usize,
    pub credited: Money,
    pub debited: Money,
}

impl Tally {
    fn add(&mut self, kind: Kind, moved: Money) {
        self.applied += 1;
        let total = if kind == Kind::PayIn { &mut self.credited } else { &mut self.debited };
        *total = total.checked_add(moved).expect("fits");
    }

    pub fn sum(tallies: impl IntoIterator<Item = Self>) -> Self {
        tallies.into_iter().fold(Self::default(), |mut sum, tally| {
            sum.applied += tally.applied;
            sum.credited = sum.credited.checked_add(tally.credited).expect("fits");
            sum.debited = sum.debited.checked_add(tally.debited).expect("fits");
            sum
        })
    }

    pub fn to_json(self) -> String {
        json!({ "applied": self.applied, "credited": self.credited.to_string(), "debited": self.debited.to_string() })
            .to_string()
    }

    pub fn parse(json: &str) -> Self {
        let value: serde_json::Value = serde_json::from_str(json).expect("a JSON summary");
        let money = |name: &str| value[name].as_str().expect("an amount").parse().expect("exact");
        let applied = value["applied"].as_u64().expect("a count");
        Self {
            applied: usize::try_from(applied).expect("fits"),
            credited: money("credited"),
            debited: money("debited"),
        }
    }
}

/// The merchant's settlement code for `process`: writes the change in the
/// merchant's table in the ledger's transaction and counts it; a child
/// also says `applied KIND TRADENO` (before the commit: a signal for the
/// parent, not a proof).
pub fn merchant_books(
    process: String,
    tally: Arc<Mutex<Tally>>,
    say_applied: bool,
) -> impl for<'t> Fn(&'t mut Transaction, &'t Change) -> BoxFuture<'t, Result<(), BoxError>> + Send + Sync + 'static {
    settlement_code(move |tx, change| {
        let (process, tally) = (process.clone(), Arc::clone(&tally));
        Box::pin(async move {
            let trade_no = change.keys.get("tradeNo").unwrap_or_default();
            sqlx::query(
                "INSERT INTO shop_moves (process, kind, trade_no, moved, new_state) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&process)
            .bind(change.kind.as_str())
            .bind(trade_no)
            .bind(change.amount().to_string())
            .bind(change.new_state.as_str())
            .execute(&mut **tx)
            .await?;
            tally.lock().unwrap_or_else(PoisonError::into_inner).add(change.kind, change.amount());
            if say_applied {
                println!("applied {} {trade_no}", change.kind.as_str());
            }
            Ok(())
        })
    })
}

/// Gives a closure the higher-ranked signature settlement code needs.
fn settlement_code<F>(code: F) -> F
where
    F: for<'t> Fn(&'t mut Transaction, &'t Change) -> BoxFuture<'t, Result<(), BoxError>>,
{
    code
}

/// Every record with its history, each checked: one unbroken chain of
/// observations from the intent to where the record stands (every one
/// applied to the state the one before left, so no two processes moved
/// the record from the same state), none twice (source, status and amount
/// name an observation), so the money it moved in all is what it holds.
pub async fn histories(ledger: &Ledger) -> Vec<(Record, Vec<Event>)> {
    let mut all = Vec::new();
    for record in ledger.records().await.expect("the records") {
        let history = ledger.history(&record).await.expect("the history");
        let name = trade_no(&record);
        let mut at = (State::Intent, Money::ZERO);
        let mut seen = HashSet::new();
        for event in &history {
            assert_eq!((event.old_state, event.old_paid), at, "{name}: applied to a state it was not in: {history:#?}");
            let key = (&event.source, &event.status, &event.amount);
            assert!(seen.insert(key), "{name}: one observation applied twice: {history:#?}");
            at = (event.new_state, event.new_paid);
        }
        assert_eq!(at, (record.state, record.paid), "{name}: the history ends where the record is");
        all.push((record, history));
    }
    all
}

/// The ledger holds what the gateway holds: the same records, each with the
/// gateway's status and amount, so the same totals.
pub fn check_agrees_with_gateway(records: &[(Record, Vec<Event>)], gateway: &GatewayBooks) {
    let ours: BTreeMap<(Kind, String), (String, Money)> = records
        .iter()
        .map(|(record, _)| ((record.kind, trade_no(record)), (record.status.clone().unwrap_or_default(), record.paid)))
        .collect();
    let keys = |books: &BTreeMap<(Kind, String), (String, Money)>| books.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(keys(&ours), keys(&gateway.records), "the ledger and the gateway hold the same records");
    for (key, theirs) in &gateway.records {
        assert_eq!(&ours[key], theirs, "{key:?}: the ledger's (status, paid) against the gateway's");
    }
    assert_eq!(gateway.balance_paid_out, gateway.total(Kind::Payout), "the balance paid each payout once");
}

/// The merchant's table: every record's rows add up to what the ledger
/// holds, its money moved in one row (every payment of these scenarios is
/// made in one step), and each process wrote what it reports (`reports`,
/// by process name; a process killed before reporting is left out).
/// Returns the table's tally of every process.
pub async fn check_shop(
    ledger: &Ledger,
    records: &[(Record, Vec<Event>)],
    reports: &BTreeMap<String, Tally>,
) -> BTreeMap<String, Tally> {
    let rows = sqlx::query("SELECT process, kind, trade_no, moved FROM shop_moves")
        .fetch_all(ledger.pool())
        .await
        .expect("the merchant's table");
    let mut by_process: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_record: BTreeMap<(String, String), Vec<Money>> = BTreeMap::new();
    for row in &rows {
        let text = |column: &str| row.try_get::<String, _>(column).expect("a text column");
        let moved: Money = text("moved").parse().expect("exact");
        let kind = if text("kind") == Kind::PayIn.as_str() { Kind::PayIn } else { Kind::Payout };
        by_process.entry(text("process")).or_default().add(kind, moved);
        by_record.entry((text("kind"), text("trade_no"))).or_default().push(moved);
    }
    for (record, _) in records {
        let moves = by_record.remove(&(record.kind.as_str().to_owned(), trade_no(record))).unwrap_or_default();
        let money: Vec<Money> = moves.into_iter().filter(|moved| !moved.is_zero()).collect();
        let expected = if record.paid.is_zero() { vec![] } else { vec![record.paid] };
        assert_eq!(money, expected, "{}: the merchant's table moved its money once", trade_no(record));
    }
    assert!(by_record.is_empty(), "rows for records the ledger does not hold: {by_record:?}");
    for (process, reported) in reports {
        let written = by_process.get(process).copied().unwrap_or_default();
        assert_eq!(*reported, written, "{process}: what it reports against what it wrote");
    }
    by_process
}

/// Each process's report, on one line.
pub fn shown(reports: &BTreeMap<String, Tally>) -> String {
    let each = reports.iter().map(|(name, tally)| {
        format!("{name} applied {} (credited {}, debited {})", tally.applied, tally.credited, tally.debited)
    });
    each.collect::<Vec<_>>().join("; ")
}

pub fn trade_no(record: &Record) -> String {
    record.keys.get("tradeNo").expect("a tradeNo").to_owned()
}

/// Polls `done` until it holds; fails as a hang after [`HANG`](crate::children::HANG).
pub async fn eventually<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let waited = tokio::time::timeout(crate::children::HANG, async {
        while !done().await {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    assert!(waited.await.is_ok(), "{what}: not within {:?}, a hang", crate::children::HANG);
}
