//! `vexora reconcile` and `vexora ledger list|show`: the merchant's books
//! (vexora-ledger) on `sqlite:PATH` or `postgres://...`.

use std::fmt::Write as _;
use std::future::Future;
use std::time::{Duration, SystemTime};

use vexora::Client;
use vexora_ledger::{Kind, Ledger, Reconciler, ReconcilerOptions, Record, RecordKeys};

use crate::args::Settings;
use crate::duration;
use crate::failure::{Failure, NEEDS_PERSON, OUTCOME_UNKNOWN};
use crate::settings::config;

/// One reconciler pass with the gateway settings; the summary on stdout.
pub fn reconcile(
    database: &str,
    settle_delay: &str,
    initial_backoff: &str,
    worker: &str,
    settings: &Settings,
) -> Result<String, Failure> {
    let mut options = ReconcilerOptions::default();
    options.settle_delay = Duration::from_secs(duration::seconds(settle_delay).map_err(Failure::invalid)?);
    options.initial_backoff = Duration::from_secs(duration::seconds(initial_backoff).map_err(Failure::invalid)?);
    worker.clone_into(&mut options.worker);
    let config = config(settings)?;
    let client = Client::new(config);
    let summary = on_runtime(async move {
        let ledger = open(database).await?;
        // One client, for the region its base URL serves; other regions' records stay unknown.
        let clients = move |region: &str| client.config().serves_region(region).then(|| client.clone());
        let summary = Reconciler::new(ledger.clone(), clients).with_options(options).reconcile_once().await;
        ledger.close().await;
        summary.map_err(|error| Failure::failed(format!("the books: {error}")))
    })??;
    if !summary.all_known() {
        println!("{summary}");
        return Err(Failure { code: OUTCOME_UNKNOWN, message: "some outcomes are still unknown".to_owned() });
    }
    if summary.needs_person().next().is_some() {
        println!("{summary}");
        return Err(Failure {
            code: NEEDS_PERSON,
            message: "kept for a person: see `vexora ledger list --needs-attention`".to_owned(),
        });
    }
    Ok(summary.to_string())
}

/// Every record, or everything kept for a person.
pub fn list(database: &str, needs_attention: bool) -> Result<String, Failure> {
    on_runtime(async move {
        let ledger = open(database).await?;
        let mut out = String::new();
        if needs_attention {
            for kept in ledger.needs_attention().await.map_err(books)? {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    time(kept.created_at),
                    kept.kind,
                    trade_no(&kept.keys),
                    kept.source,
                    kept.status.as_deref().unwrap_or("-"),
                    kept.reason
                );
            }
        } else {
            let _ = writeln!(out, "KIND\tTRADE_NO\tENDPOINT\tSTATE\tPAID/AMOUNT\tSTATUS\tDUE");
            for record in ledger.records().await.map_err(books)? {
                let _ = writeln!(out, "{}", line(&record));
            }
        }
        ledger.close().await;
        Ok(out.trim_end().to_owned())
    })?
}

/// The records under `trade_no` (pay-in and payout), each with its events.
pub fn show(database: &str, trade_no: &str) -> Result<String, Failure> {
    on_runtime(async move {
        let ledger = open(database).await?;
        let keys = RecordKeys::trade_no(trade_no);
        let mut out = String::new();
        for kind in [Kind::PayIn, Kind::Payout] {
            let Some(record) = ledger.record(kind, &keys).await.map_err(books)? else { continue };
            let _ = writeln!(
                out,
                "{} {}\n  merchant {}, {} ({}), recorded {}, updated {}\n  state {}, paid {} of {}, status {}, due {}",
                record.kind,
                record.keys,
                record.merchant_no,
                record.endpoint,
                record.region,
                time(record.created_at),
                time(record.updated_at),
                record.state,
                record.paid,
                record.amount,
                record.status.as_deref().unwrap_or("-"),
                record.due_at.map_or_else(|| "never".to_owned(), time),
            );
            let _ = writeln!(out, "  events:");
            for event in ledger.history(&record).await.map_err(books)? {
                let _ = writeln!(
                    out,
                    "    {}\t{}\tstatus {}\tamount {}\t{} -> {}\tpaid {} -> {}",
                    time(event.observed_at),
                    event.source,
                    event.status.as_deref().unwrap_or("-"),
                    event.amount.as_deref().unwrap_or("-"),
                    event.old_state,
                    event.new_state,
                    event.old_paid,
                    event.new_paid,
                );
            }
        }
        for kept in ledger.needs_attention().await.map_err(books)? {
            if kept.keys.get("tradeNo") == Some(trade_no) {
                let _ = writeln!(out, "kept for a person ({}, {}): {}", kept.kind, time(kept.created_at), kept.reason);
            }
        }
        ledger.close().await;
        if out.is_empty() {
            return Err(Failure::failed(format!("the books hold nothing under tradeNo {trade_no:?}")));
        }
        Ok(out.trim_end().to_owned())
    })?
}

/// Runs `work` on a runtime of its own (the ledger's driver needs tokio).
fn on_runtime<T>(work: impl Future<Output = T>) -> Result<T, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::failed(format!("cannot start a runtime: {error}")))?;
    Ok(runtime.block_on(work))
}

/// Existing books: a SQLite file that does not exist is an error (a
/// mistyped path), not new, empty books.
async fn open(database: &str) -> Result<Ledger, Failure> {
    if let Some(path) = database.strip_prefix("sqlite:") {
        let path = path.trim_start_matches("//");
        let path = path.split_once('?').map_or(path, |(path, _)| path);
        if !path.is_empty() && path != ":memory:" && !std::path::Path::new(path).exists() {
            return Err(Failure::failed(format!("no books at {path}: the file does not exist")));
        }
    }
    connect(database).await
}

async fn connect(database: &str) -> Result<Ledger, Failure> {
    Ledger::connect(database).await.map_err(|error| match error {
        vexora_ledger::Error::UnsupportedUrl { .. } => Failure::invalid(error.to_string()),
        other => books(other),
    })
}

fn books(error: vexora_ledger::Error) -> Failure {
    Failure::failed(format!("the books: {error}"))
}

fn line(record: &Record) -> String {
    format!(
        "{}\t{}\t{}\t{}\t{}/{}\t{}\t{}",
        record.kind,
        trade_no(&record.keys),
        record.endpoint,
        record.state,
        record.paid,
        record.amount,
        record.status.as_deref().unwrap_or("-"),
        record.due_at.map_or_else(|| "-".to_owned(), time),
    )
}

/// The `tradeNo`, or every key when there is none.
fn trade_no(keys: &RecordKeys) -> String {
    keys.get("tradeNo").map_or_else(|| keys.to_string(), str::to_owned)
}

fn time(at: SystemTime) -> String {
    humantime::format_rfc3339_seconds(at).to_string()
}
