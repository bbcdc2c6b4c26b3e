//! What a child process does: the roles the parent starts this binary in,
//! and the lines each says on stdout (`listening ADDR`, `ready`,
//! `applied KIND TRADENO`, `reached POINT`, `summary {JSON}`).
//!
//! Every role stops when its stdin closes: the parent closes it to stop a
//! child, and a parent that dies closes it too, so no child outlives it.

use std::future::Future;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use vexora::AppSecret;
use vexora::notification::Verifier;
use vexora_ledger::webhook::Webhook;
use vexora_ledger::{Reconciler, ReconcilerOptions};
use vexora_sandbox::TEST_MERCHANT_SECRET;

use crate::books::{self, Tally};
use crate::gateway::{self, Create};

/// Set in a child's environment: its arguments name its role.
pub const CHILD_VAR: &str = "VEXORA_PROCESSES_CHILD";

/// What a child is started to do.
#[derive(Debug, Clone)]
pub enum Role {
    /// Serves `Webhook::router` on a port of its own: `listening ADDR`,
    /// then `applied KIND TRADENO` for every change it settles. `name`
    /// signs its rows in the merchant's table.
    Receiver { database: String, name: String },
    /// A long-running `Reconciler` worker querying `gateway`: `ready`.
    /// `worker` names its leases and signs its rows.
    Reconciler { database: String, gateway: String, worker: String, settle_delay: Duration },
    /// Records `create`'s intent (and at [`Point::AfterSend`] sends it and
    /// gets the answer), says `reached POINT`, and waits to be killed.
    CreateUntil { point: Point, database: String, gateway: String, create: Create },
}

/// Where a create's process is killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    /// The intent is recorded; nothing was sent.
    AfterIntent,
    /// The gateway made it and answered; the answer is not recorded.
    AfterSend,
}

impl Point {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AfterIntent => "after-intent",
            Self::AfterSend => "after-send",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Self::AfterIntent, Self::AfterSend].into_iter().find(|point| point.as_str() == text)
    }
}

impl Role {
    /// The child's arguments.
    pub fn args(&self) -> Vec<String> {
        match self {
            Self::Receiver { database, name } => vec!["receiver".into(), database.clone(), name.clone()],
            Self::Reconciler { database, gateway, worker, settle_delay } => vec![
                "reconciler".into(),
                database.clone(),
                gateway.clone(),
                worker.clone(),
                settle_delay.as_millis().to_string(),
            ],
            Self::CreateUntil { point, database, gateway, create } => {
                let mut args = vec!["create-until".into(), point.as_str().into(), database.clone(), gateway.clone()];
                args.extend(create.args());
                args
            }
        }
    }

    fn parse(args: &[String]) -> Option<Self> {
        let text: Vec<&str> = args.iter().map(String::as_str).collect();
        Some(match text.as_slice() {
            ["receiver", database, name] => Self::Receiver { database: (*database).into(), name: (*name).into() },
            ["reconciler", database, gateway, worker, settle_delay] => Self::Reconciler {
                database: (*database).into(),
                gateway: (*gateway).into(),
                worker: (*worker).into(),
                settle_delay: Duration::from_millis(settle_delay.parse().ok()?),
            },
            ["create-until", point, database, gateway, create @ ..] => Self::CreateUntil {
                point: Point::parse(point)?,
                database: (*database).into(),
                gateway: (*gateway).into(),
                create: Create::parse(create)?,
            },
            _ => return None,
        })
    }
}

/// Plays the role `args` name, in this (child) process.
pub fn play(args: Vec<String>) -> ExitCode {
    let Some(role) = Role::parse(&args) else {
        eprintln!("processes: not a role: {args:?}");
        return ExitCode::FAILURE;
    };
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a child's runtime");
    runtime.block_on(async {
        match role {
            Role::Receiver { database, name } => summary(receive(&database, name).await),
            Role::Reconciler { database, gateway, worker, settle_delay } => {
                summary(reconcile(&database, &gateway, worker, settle_delay).await);
            }
            Role::CreateUntil { point, database, gateway, create } => {
                create_until(point, &database, &gateway, &create).await;
            }
        }
    });
    ExitCode::SUCCESS
}

fn summary(tally: Arc<Mutex<Tally>>) {
    let tally = tally.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    println!("summary {}", tally.to_json());
}

async fn receive(database: &str, name: String) -> Arc<Mutex<Tally>> {
    let ledger = books::connect(database).await;
    let tally = Arc::default();
    let webhook = Webhook::new(ledger, Verifier::new(AppSecret::new(TEST_MERCHANT_SECRET)))
        .with_books(books::merchant_books(name, Arc::clone(&tally), true));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    println!("listening {}", listener.local_addr().expect("an address"));
    axum::serve(listener, webhook.router()).with_graceful_shutdown(stdin_closed()).await.expect("served");
    tally
}

async fn reconcile(database: &str, gateway: &str, worker: String, settle_delay: Duration) -> Arc<Mutex<Tally>> {
    let ledger = books::connect(database).await;
    let client = gateway::client(gateway);
    let tally = Arc::default();
    let mut options = ReconcilerOptions::default();
    options.worker = worker.clone();
    options.settle_delay = settle_delay;
    options.initial_backoff = Duration::from_millis(50);
    options.max_backoff = Duration::from_millis(500);
    options.idle = Duration::from_millis(50);
    options.lease = Duration::from_secs(30);
    let reconciler = Reconciler::new(ledger, move |region: &str| (region == "taiwan").then(|| client.clone()))
        .with_options(options)
        .with_books(books::merchant_books(worker, Arc::clone(&tally), true));
    println!("ready");
    reconciler.run(stdin_closed()).await;
    tally
}

async fn create_until(point: Point, database: &str, gateway: &str, create: &Create) {
    let ledger = books::connect(database).await;
    ledger.record_intent(&create.intent()).await.expect("the intent is recorded");
    if point == Point::AfterSend {
        let (path, _answer) = create.send(&gateway::client(gateway)).await;
        assert_eq!(path, gateway::Path::Created, "{}: the gateway made it", create.trade_no);
    }
    println!("reached {}", point.as_str());
    // The parent kills this process here.
    stdin_closed().await;
}

/// Completes when stdin reaches its end.
fn stdin_closed() -> impl Future<Output = ()> {
    let (closed, on_close) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        // Whatever is written is ignored: only the end counts.
        let _read = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
        let _gone = closed.send(());
    });
    async move {
        let _closed = on_close.await;
    }
}
