//! Which notification ladders are busy: making an attempt, or waiting for
//! a retry and by when it is due. From that a caller can wait until the
//! notifier has made every attempt due on the sandbox clock (a simulation
//! does so after each step, so what happens next never races a delivery).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use crate::book::clock::SandboxClock;

/// The ladders' activity. Every change wakes [`Activity::idle`].
#[derive(Debug, Default)]
pub(crate) struct Activity {
    counts: Mutex<Counts>,
    changed: Notify,
}

#[derive(Debug, Default)]
struct Counts {
    /// Ladders (and resends) making an attempt now.
    running: usize,
    /// Ladders waiting for a retry: how many are due at each time.
    waiting: BTreeMap<i64, usize>,
}

impl Activity {
    fn counts(&self) -> MutexGuard<'_, Counts> {
        // Counts are whole after every statement: a poisoned lock holds no half-change.
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts an attempt being made until the guard is dropped (a guard
    /// that can move into a task).
    pub(crate) fn start(self: &Arc<Self>) -> Running {
        self.counts().running += 1;
        self.changed.notify_waiters();
        Running { activity: Arc::clone(self) }
    }

    /// Counts a ladder as waiting for its retry due at `due_ms` instead of
    /// running, until the guard is dropped (it runs again then).
    pub(crate) fn wait_for(&self, due_ms: i64) -> Waiting<'_> {
        let mut counts = self.counts();
        counts.running = counts.running.saturating_sub(1);
        *counts.waiting.entry(due_ms).or_default() += 1;
        drop(counts);
        self.changed.notify_waiters();
        Waiting { activity: self, due_ms }
    }

    /// Whether no attempt is being made and none is due at `now_ms`.
    fn is_idle(&self, now_ms: i64) -> bool {
        let counts = self.counts();
        counts.running == 0 && counts.waiting.keys().next().is_none_or(|due| *due > now_ms)
    }

    /// Waits until no attempt is being made and none is due on `clock`:
    /// every retry that time made due has been made (and logged).
    pub(crate) async fn idle(&self, clock: &SandboxClock) {
        loop {
            // Registered before looking, so a change in between is not missed.
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if self.is_idle(clock.now_ms()) {
                return;
            }
            changed.await;
        }
    }
}

/// An attempt being made (see [`Activity::start`]).
#[derive(Debug)]
pub(crate) struct Running {
    activity: Arc<Activity>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let mut counts = self.activity.counts();
        counts.running = counts.running.saturating_sub(1);
        drop(counts);
        self.activity.changed.notify_waiters();
    }
}

/// A ladder waiting for its retry (see [`Activity::wait_for`]).
#[derive(Debug)]
pub(crate) struct Waiting<'a> {
    activity: &'a Activity,
    due_ms: i64,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut counts = self.activity.counts();
        if let Some(count) = counts.waiting.get_mut(&self.due_ms) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.waiting.remove(&self.due_ms);
            }
        }
        counts.running += 1;
        drop(counts);
        self.activity.changed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_means_nothing_running_and_nothing_due() {
        let activity = Arc::new(Activity::default());
        assert!(activity.is_idle(0));
        let running = activity.start();
        assert!(!activity.is_idle(0));
        let waiting = activity.wait_for(100);
        assert!(activity.is_idle(99), "waiting for a time not reached");
        assert!(!activity.is_idle(100), "its retry is due");
        drop(waiting);
        assert!(!activity.is_idle(99), "running its retry");
        drop(running);
        assert!(activity.is_idle(100));
    }
}
