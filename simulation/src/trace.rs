//! What happened in a run, in order, with the simulated time of each step:
//! printed when a run fails, and by the replay command.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use crate::clock::SimClock;

/// The run's log of events. Clones share it.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    events: Arc<Mutex<Vec<Event>>>,
    /// The run's clock, known once the sandbox is built (its notifier's
    /// hook holds the trace before), and let go at the end of the run: the
    /// sandbox holds the trace, so a clock kept would keep the sandbox.
    clock: Arc<Mutex<Option<SimClock>>>,
}

/// One step of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Simulated milliseconds since the run began.
    pub at_ms: i64,
    /// Who acted: `merchant`, `network`, `gateway`, `receiver-1`, ...
    pub actor: String,
    /// What happened.
    pub what: String,
}

impl Trace {
    /// Times the events that follow on `clock`.
    pub fn set_clock(&self, clock: SimClock) {
        *self.clock.lock().unwrap_or_else(PoisonError::into_inner) = Some(clock);
    }

    /// Lets the clock go: later events are at 0.
    pub fn stop_clock(&self) {
        self.clock.lock().unwrap_or_else(PoisonError::into_inner).take();
    }

    /// Notes that `actor` did `what`, now.
    pub fn note(&self, actor: &str, what: impl Into<String>) {
        let at_ms = self.clock.lock().unwrap_or_else(PoisonError::into_inner).as_ref().map_or(0, SimClock::elapsed_ms);
        let event = Event { at_ms, actor: actor.to_owned(), what: what.into() };
        self.events.lock().unwrap_or_else(PoisonError::into_inner).push(event);
    }

    /// Every event so far, oldest first.
    pub fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:>9.3} s  {:<11} {}", self.at_ms as f64 / 1000.0, self.actor, self.what)
    }
}
