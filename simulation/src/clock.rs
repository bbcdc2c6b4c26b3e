//! One simulated clock for the whole run: the sandbox's, which the SDK
//! reads too, and which moves only when the run advances it.

use std::time::Duration;

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
