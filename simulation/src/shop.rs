//! The merchant's own table, moved by its settlement code in the ledger's
//! transaction: one row per credit or debit. The process may die in the
//! middle of that code (decided by the record, its new state and how often
//! it was tried), which rolls the whole settlement back.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use vexora_ledger::{BoxError, BoxFuture, Change, Ledger, Money, Transaction};

use crate::decide::Decider;
use crate::trace::Trace;

/// The table.
const TABLE: &str = "CREATE TABLE IF NOT EXISTS sim_shop_moves (trade_no TEXT NOT NULL, kind TEXT NOT NULL, \
                     amount TEXT NOT NULL)";

/// The merchant's settlement code, shared by its receivers and reconcilers.
#[derive(Clone)]
pub struct Shop {
    decider: Decider,
    dies_percent: u8,
    trace: Trace,
    /// How many times each change was tried.
    tries: Arc<Mutex<HashMap<String, u32>>>,
}

impl Shop {
    /// The shop's table in `ledger`'s database, and its code.
    pub async fn open(ledger: &Ledger, decider: Decider, dies_percent: u8, trace: Trace) -> Result<Self, String> {
        sqlx::raw_sql(TABLE).execute(ledger.pool()).await.map_err(|error| error.to_string())?;
        Ok(Self { decider, dies_percent, trace, tries: Arc::default() })
    }

    /// The code to hand the ledger (`Webhook::with_books`,
    /// `Reconciler::with_books`).
    pub fn books(
        &self,
    ) -> impl for<'t> Fn(&'t mut Transaction, &'t Change) -> BoxFuture<'t, Result<(), BoxError>>
    + Send
    + Sync
    + 'static
    + use<> {
        let shop = self.clone();
        move |tx, change| {
            let shop = shop.clone();
            Box::pin(async move { shop.settle(tx, change).await })
        }
    }

    async fn settle(&self, tx: &mut Transaction, change: &Change) -> Result<(), BoxError> {
        let trade_no = change.keys.get("tradeNo").unwrap_or_default().to_owned();
        let key = format!("{}|{trade_no}|{}", change.kind, change.new_state);
        let tried = {
            let mut tries = self.tries.lock().unwrap_or_else(PoisonError::into_inner);
            let count = tries.entry(key.clone()).or_insert(0);
            *count += 1;
            *count
        };
        if self.decider.strikes("killed-settling", &key, tried, self.dies_percent) {
            self.trace.note("merchant", format!("{key}: killed in the middle of settling (try {tried})"));
            return Err("the process died in the middle of settling".into());
        }
        if let Some(amount) = change.credit().or(change.debit()) {
            sqlx::query("INSERT INTO sim_shop_moves (trade_no, kind, amount) VALUES ($1, $2, $3)")
                .bind(trade_no)
                .bind(change.kind.as_str())
                .bind(amount.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }
}

/// What the shop's table moved, by kind and `tradeNo`.
pub async fn moves(ledger: &Ledger) -> Result<BTreeMap<(String, String), Money>, String> {
    let rows: Vec<(String, String, String)> = sqlx::query_as("SELECT kind, trade_no, amount FROM sim_shop_moves")
        .fetch_all(ledger.pool())
        .await
        .map_err(|error| error.to_string())?;
    let mut moved = BTreeMap::new();
    for (kind, trade_no, amount) in rows {
        let amount = Money::parse(&amount).map_err(|error| error.to_string())?;
        let total: &mut Money = moved.entry((kind, trade_no)).or_insert(Money::from(0));
        *total = total.checked_add(amount).ok_or("a total that does not fit")?;
    }
    Ok(moved)
}
