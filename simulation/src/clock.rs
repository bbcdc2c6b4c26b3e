//! One simulated clock for the whole run: the sandbox's, which the SDK
//! reads too, and which moves only when the run advances it.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use vexora_sandbox::SandboxControl;

/// The run's clock. Clones share it.
#[derive(Debug, Clone)]
pub struct SimClock {
    control: SandboxControl,
    start_ms: i64,
}

impl SimClock {
    /// The clock of the sandbox `control` drives, started at `start_ms`.
    pub fn new(control: SandboxControl, start_ms: i64) -> Self {
        Self { control, start_ms }
    }

    /// Milliseconds since the Unix epoch, simulated.
    pub fn now_ms(&self) -> i64 {
        self.control.now_ms()
    }

    /// Simulated milliseconds since the run began.
    pub fn elapsed_ms(&self) -> i64 {
        self.now_ms().saturating_sub(self.start_ms)
    }

    /// Moves the clock `by` forward: retries and hidden records that fall
    /// due meanwhile happen.
    pub fn advance(&self, by: Duration) {
        self.control.advance_clock(by);
    }
}

impl vexora::clock::Clock for SimClock {
    fn now_millis(&self) -> u64 {
        u64::try_from(self.now_ms()).unwrap_or(0)
    }

    fn monotonic(&self) -> Duration {
        Duration::from_millis(u64::try_from(self.elapsed_ms()).unwrap_or(0))
    }
}

/// The clock the books' reconcilers read ([`vexora_ledger::Options::clock`]):
/// the system clock's reading when the run began, moved on by the run's
/// simulated time and by nothing else. So a lease ends, and a record falls
/// due again, at the same point of every replay.
///
/// It starts from the system clock, not from the simulated one, because the
/// ledger stamps intents and settlements (and sets their due times) from
/// the system clock, and a reconciler's clock must not run behind those.
/// The reconcilers run after the simulated next day, and a run takes under
/// a minute of real time (longer is a hang), so this clock is ahead of them.
///
/// Clones share it. It follows the run's clock once the sandbox exists and
/// lets it go at the end of the run: the sandbox's receivers hold the
/// books, whose options hold this clock, so a clock kept would keep the
/// sandbox.
#[derive(Debug, Clone)]
pub struct BooksClock {
    started_ms: u64,
    run: Arc<Mutex<Option<SimClock>>>,
}

impl BooksClock {
    /// A clock at the system clock's now, standing still until it follows
    /// a run's clock.
    pub fn new() -> Self {
        let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        Self { started_ms: u64::try_from(since_epoch.as_millis()).unwrap_or(0), run: Arc::default() }
    }

    /// Moves on with `clock` from now on.
    pub fn follow(&self, clock: SimClock) {
        *self.run.lock().unwrap_or_else(PoisonError::into_inner) = Some(clock);
    }

    /// Lets the run's clock go: it stands still at the start again.
    pub fn let_go(&self) {
        self.run.lock().unwrap_or_else(PoisonError::into_inner).take();
    }

    /// Now, as the reconcilers read it.
    pub fn now(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(vexora::clock::Clock::now_millis(self))
    }
}

impl Default for BooksClock {
    fn default() -> Self {
        Self::new()
    }
}

impl vexora::clock::Clock for BooksClock {
    fn now_millis(&self) -> u64 {
        let run = self.run.lock().unwrap_or_else(PoisonError::into_inner);
        let elapsed = run.as_ref().map_or(0, |clock| u64::try_from(clock.elapsed_ms()).unwrap_or(0));
        self.started_ms.saturating_add(elapsed)
    }
}
