//! The databases the ledger's tests run on: SQLite in a temporary file,
//! and Postgres at `VEXORA_TEST_POSTGRES_URL` (see `scripts/postgres.sh`),
//! a fresh database per test.

#![allow(dead_code, reason = "each test file uses part of this module")]

use sqlx::{Connection, Executor};

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
