//! The parent's side of a child: this very binary started in a role, its
//! stdout read line by line, stopped by closing its stdin, and killed on
//! every path (a `Child` that is dropped kills its process).

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{ChildStdin, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::books::Tally;
use crate::roles::{CHILD_VAR, Role};

/// How long a child may take to say what is awaited before the scenario
/// fails as a hang.
pub const HANG: Duration = Duration::from_secs(60);

/// A running child process.
pub struct Child {
    name: String,
    process: std::process::Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::UnboundedReceiver<String>,
}

impl Child {
    /// Starts this test binary as `role`; `name` is for messages.
    pub fn start(name: &str, role: &Role) -> Self {
        let exe = std::env::current_exe().expect("the test binary's path");
        let mut process = Command::new(exe)
            .env(CHILD_VAR, "1")
            .args(role.args())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the child starts");
        let stdout = process.stdout.take().expect("stdout is piped");
        let (sender, lines) = mpsc::unbounded_channel();
        // Read all the time, so a chatty child never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Self { name: name.to_owned(), stdin: process.stdin.take(), process, lines }
    }

    /// The rest of the first line that starts with `prefix`, skipping the
    /// others; fails if the child exits or hangs first.
    pub async fn said(&mut self, prefix: &str) -> String {
        let line = self.line_where(prefix, |line| line.starts_with(prefix)).await;
        line[prefix.len()..].trim().to_owned()
    }

    /// The first line `accepts` takes, skipping the others.
    pub async fn line_where(&mut self, what: &str, accepts: impl Fn(&str) -> bool) -> String {
        let next = async {
            while let Some(line) = self.lines.recv().await {
                if accepts(&line) {
                    return Some(line);
                }
            }
            None
        };
        match tokio::time::timeout(HANG, next).await {
            Ok(Some(line)) => line,
            Ok(None) => panic!("{} exited before saying {what:?}", self.name),
            Err(_) => panic!("{} did not say {what:?} within {HANG:?}: a hang", self.name),
        }
    }

    /// A receiver's address, once it listens.
    pub async fn listening(&mut self) -> SocketAddr {
        self.said("listening ").await.parse().expect("an address")
    }

    /// Kills the process with SIGKILL, and checks it died of it.
    pub fn kill(mut self) {
        self.process.kill().expect("the child is killed");
        let status = self.process.wait().expect("the child is reaped");
        // No exit code: ended by a signal, not by returning.
        assert!(status.code().is_none(), "{} was to be killed, but exited: {status}", self.name);
    }

    /// Stops the child (its stdin closes) and returns its summary.
    pub async fn stop(mut self) -> Tally {
        drop(self.stdin.take());
        let summary = self.said("summary ").await;
        let status = self.exit().await;
        assert!(status.success(), "{} ended with {status}", self.name);
        Tally::parse(&summary)
    }

    async fn exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + HANG;
        loop {
            if let Some(status) = self.process.try_wait().expect("the child's status") {
                return status;
            }
            assert!(Instant::now() < deadline, "{} did not exit within {HANG:?}: a hang", self.name);
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        // Already gone on the normal paths: then both calls are no-ops.
        let _killed = self.process.kill();
        let _reaped = self.process.wait();
    }
}
