//! The databases the ledger's tests run on: SQLite in a temporary file,
//! and Postgres at `VEXORA_TEST_POSTGRES_URL` (see `scripts/postgres.sh`),
//! a fresh database per test.

#![allow(dead_code, reason = "each test file uses part of this module")]

use sqlx::{Connection, Executor};
use vexora::taiwan::{ChannelCode, CheckoutRequest, PayoutRequest, WayCode};
use vexora::types::{Amount, TradeNo};

/// A database for one test; the SQLite file goes with it.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite:{}", dir.path().join("books.sqlite3").display());
    TestDb { url, _dir: Some(dir) }
}

/// A fresh database named after `test` on the test cluster, or `None`
/// (with a note) when no cluster is configured outside CI. Under `CI=true`
/// a missing URL fails the test: CI must never skip Postgres.
pub async fn postgres(test: &str) -> Option<TestDb> {
    let Ok(url) = std::env::var("VEXORA_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "VEXORA_TEST_POSTGRES_URL is not set under CI=true: run scripts/postgres.sh first"
        );
        eprintln!("{test}: NOT RUN on Postgres (set VEXORA_TEST_POSTGRES_URL, see vexora-ledger/README.md)");
        return None;
    };
    let (base, query) = url.split_once('?').map_or((url.as_str(), ""), |(base, query)| (base, query));
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    let name = format!("vexora_{test}");
    let mut admin = sqlx::PgConnection::connect(&url).await.expect("the test cluster answers");
    admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.expect("drop");
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create");
    let query = if query.is_empty() { String::new() } else { format!("?{query}") };
    Some(TestDb { url: format!("{server}/{name}{query}"), _dir: None })
}

/// Runs one invariant, written once, on both databases.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let db = $crate::common::sqlite();
                    super::$name(&db.url).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(db) = $crate::common::postgres(stringify!($name)).await else { return };
                    super::$name(&db.url).await;
                }
            )*
        }
    };
}

/// A Taiwan checkout the sandbox accepts, paid from `ip_address` (the
/// sandbox allows three paid orders per payer address a day).
pub fn checkout(trade_no: &str, amount: u64, ip_address: String, notify_url: &str) -> CheckoutRequest {
    CheckoutRequest::builder()
        .trade_no(TradeNo::new(trade_no))
        .amount(Amount::new(amount))
        .mobile("0912345678")
        .firstname("Mei")
        .lastname("Lin")
        .email("mei.lin@example.com")
        .channel_code(ChannelCode::Ewallet)
        .way_code(WayCode::new("LINE_PAY"))
        .ip_address(ip_address)
        .notify_url(notify_url)
        .return_url("https://merchant.example/done")
        .build()
}

/// A Taiwan payout the sandbox accepts.
pub fn payout(trade_no: &str, amount: u64, notify_url: &str) -> PayoutRequest {
    PayoutRequest::builder()
        .trade_no(TradeNo::new(trade_no))
        .amount(Amount::new(amount))
        .bank_code("004")
        .bank_number("3560123456789012")
        .mobile("0912345678")
        .email("payee@example.com")
        .name("Lin Mei")
        .notify_url(notify_url)
        .build()
}
