//! The sandbox's clock: system time plus an adjustable offset, or a
//! simulated time that moves only when advanced; and the gateway's local
//! calendar (days for the IP limits and settlement, the `successTime` text
//! of notifications).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::Notify;

use crate::book::calendar::{Date, LocalDay};

const MILLIS_PER_DAY: i64 = 86_400_000;

/// What the offset is added to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    /// The system's clock: time passes by itself.
    System,
    /// A fixed instant (ms since the Unix epoch): time passes only when the
    /// offset is moved, so a seeded run reads the same times every run.
    Simulated(i64),
}

/// Now, as the sandbox sees it. Clones share the offset.
#[derive(Debug, Clone)]
pub(crate) struct SandboxClock {
    base: Base,
    offset_ms: Arc<AtomicI64>,
    /// Wakes [`sleep_until`](Self::sleep_until) when the offset moves, so a
    /// retry that an advance made due fires at once.
    moved: Arc<Notify>,
    utc_offset_ms: i64,
}

impl SandboxClock {
    /// A clock `offset_ms` ahead of the system's, whose calendar runs
    /// `utc_offset_minutes` ahead of UTC.
    pub(crate) fn new(offset_ms: i64, utc_offset_minutes: i32) -> Self {
        Self::on(Base::System, offset_ms, utc_offset_minutes)
    }

    /// A clock that reads `start_ms` plus `offset_ms` and moves only when
    /// its offset is moved.
    pub(crate) fn simulated(start_ms: i64, offset_ms: i64, utc_offset_minutes: i32) -> Self {
        Self::on(Base::Simulated(start_ms), offset_ms, utc_offset_minutes)
    }

    fn on(base: Base, offset_ms: i64, utc_offset_minutes: i32) -> Self {
        Self {
            base,
            offset_ms: Arc::new(AtomicI64::new(offset_ms)),
            moved: Arc::new(Notify::new()),
            utc_offset_ms: i64::from(utc_offset_minutes) * 60_000,
        }
    }

    /// Moves the clock to `offset_ms` ahead of the system's.
    pub(crate) fn set_offset_ms(&self, offset_ms: i64) {
        self.offset_ms.store(offset_ms, Ordering::Relaxed);
        self.moved.notify_waiters();
    }

    /// Moves the clock `by_ms` forward; returns the new offset.
    pub(crate) fn advance_ms(&self, by_ms: i64) -> i64 {
        let moved = self.offset_ms.fetch_add(by_ms, Ordering::Relaxed).saturating_add(by_ms);
        self.moved.notify_waiters();
        moved
    }

    /// Moves the clock `by` forward (saturating) and returns its new reading.
    pub(crate) fn advance(&self, by: Duration) -> i64 {
        self.advance_ms(i64::try_from(by.as_millis()).unwrap_or(i64::MAX));
        self.now_ms()
    }

    /// How far ahead of the system's clock this one is (of its start, when
    /// simulated).
    pub(crate) fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Whether time passes only when the clock is moved.
    pub(crate) fn is_simulated(&self) -> bool {
        matches!(self.base, Base::Simulated(_))
    }

    /// Waits until this clock reads `due_ms` or later: the system's time
    /// passing (not on a simulated clock), or the offset moved forward past it.
    pub(crate) async fn sleep_until(&self, due_ms: i64) {
        loop {
            // Registered before reading the clock, so a move in between is not missed.
            let moved = self.moved.notified();
            tokio::pin!(moved);
            moved.as_mut().enable();
            let left = due_ms.saturating_sub(self.now_ms());
            let Ok(left) = u64::try_from(left) else { return };
            if left == 0 {
                return;
            }
            match self.base {
                Base::System => tokio::select! {
                    () = tokio::time::sleep(Duration::from_millis(left)) => {}
                    () = moved => {}
                },
                Base::Simulated(_) => moved.await,
            }
        }
    }

    /// Milliseconds since the Unix epoch.
    pub(crate) fn now_ms(&self) -> i64 {
        let base = match self.base {
            // A system clock before 1970 is not worth failing over: read it as 0.
            Base::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |since| i64::try_from(since.as_millis()).unwrap_or(i64::MAX)),
            Base::Simulated(start_ms) => start_ms,
        };
        base.saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Starts timing something (a notification attempt): in real time on
    /// the system's clock, on this clock when simulated, so a simulated
    /// run's log holds no real durations.
    pub(crate) fn stopwatch(&self) -> Stopwatch {
        match self.base {
            Base::System => Stopwatch::Real(Instant::now()),
            Base::Simulated(_) => Stopwatch::Simulated { clock: self.clone(), started_ms: self.now_ms() },
        }
    }

    /// The local day of an instant.
    pub(crate) fn day_of(&self, at_ms: i64) -> LocalDay {
        LocalDay(at_ms.saturating_add(self.utc_offset_ms).div_euclid(MILLIS_PER_DAY))
    }

    /// The local day now.
    pub(crate) fn today(&self) -> LocalDay {
        self.day_of(self.now_ms())
    }

    /// `YYYY-MM-DD hh:mm:ss` in local time, the gateway's `successTime` form.
    pub(crate) fn format_local(&self, at_ms: i64) -> String {
        let local = at_ms.saturating_add(self.utc_offset_ms);
        let Date { year, month, day } = Date::from_days(local.div_euclid(MILLIS_PER_DAY));
        let seconds_of_day = local.rem_euclid(MILLIS_PER_DAY) / 1000;
        let (hour, minute, second) = (seconds_of_day / 3600, seconds_of_day / 60 % 60, seconds_of_day % 60);
        format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
    }
}

/// Time taken since [`SandboxClock::stopwatch`].
#[derive(Debug)]
pub(crate) enum Stopwatch {
    Real(Instant),
    Simulated { clock: SandboxClock, started_ms: i64 },
}

impl Stopwatch {
    /// Whole milliseconds since the start.
    pub(crate) fn elapsed_ms(&self) -> u64 {
        match self {
            Self::Real(started) => u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            Self::Simulated { clock, started_ms } => {
                u64::try_from(clock.now_ms().saturating_sub(*started_ms)).unwrap_or(0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_local_time_with_the_utc_offset() {
        let clock = SandboxClock::new(0, 480);
        // 2026-11-26 07:04:05 UTC is 15:04:05 in Taipei.
        assert_eq!(clock.format_local(1_795_676_645_000), "2026-11-26 15:04:05");
        assert_eq!(clock.format_local(0), "1970-01-01 08:00:00");
        assert_eq!(SandboxClock::new(0, 0).format_local(951_782_400_000), "2000-02-29 00:00:00");
    }

    #[test]
    fn local_days_change_at_local_midnight() {
        let clock = SandboxClock::new(0, 480);
        // 15:59:59.999 UTC is 23:59:59.999 in Taipei; one ms later is the next day.
        let before = 1_795_708_799_999;
        assert_eq!(clock.format_local(before), "2026-11-26 23:59:59");
        assert_eq!(clock.day_of(before + 1), LocalDay(clock.day_of(before).0 + 1));
    }

    #[tokio::test]
    async fn an_advance_wakes_a_sleeper_at_once() {
        let clock = SandboxClock::new(0, 0);
        let due = clock.now_ms() + 3_600_000;
        let sleeper = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep_until(due).await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!sleeper.is_finished(), "an hour has not passed");
        assert_eq!(clock.advance_ms(3_600_000), 3_600_000);
        tokio::time::timeout(Duration::from_secs(5), sleeper).await.expect("woken").expect("no panic");
    }

    #[test]
    fn the_offset_moves_now() {
        let clock = SandboxClock::new(0, 0);
        let shared = clock.clone();
        shared.set_offset_ms(MILLIS_PER_DAY);
        assert!(clock.now_ms() - SandboxClock::new(0, 0).now_ms() >= MILLIS_PER_DAY - 1000);
    }

    #[tokio::test]
    async fn a_simulated_clock_moves_only_when_moved() {
        let clock = SandboxClock::simulated(1_795_676_645_000, 0, 480);
        assert!(clock.is_simulated());
        assert_eq!(clock.now_ms(), 1_795_676_645_000);
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert_eq!(clock.now_ms(), 1_795_676_645_000, "real time passing does not move it");
        let stopwatch = clock.stopwatch();
        assert_eq!(clock.advance_ms(1500), 1500);
        assert_eq!(clock.now_ms(), 1_795_676_646_500);
        assert_eq!(stopwatch.elapsed_ms(), 1500);
        assert_eq!(clock.format_local(clock.now_ms()), "2026-11-26 15:04:06");
    }

    #[tokio::test]
    async fn a_simulated_sleeper_wakes_exactly_when_its_time_is_reached() {
        let clock = SandboxClock::simulated(0, 0, 0);
        let sleeper = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep_until(1000).await }
        });
        // Far longer than the wall clock's own sleep would need.
        tokio::time::sleep(Duration::from_millis(50)).await;
        clock.advance_ms(999);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!sleeper.is_finished(), "1 ms short of its time");
        clock.advance_ms(1);
        tokio::time::timeout(Duration::from_secs(5), sleeper).await.expect("woken").expect("no panic");
    }
}
