//! Waiting between retries on any executor.
//!
//! The client runs on whatever runtime its transport uses (surf's curl
//! client on any executor, reqwest on tokio), so it cannot borrow a runtime's
//! timer. A retry wait is rare and long compared with spawning a thread, so a
//! thread that sleeps and then wakes the task is the simplest correct timer.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// Completes after `duration`.
pub(crate) fn sleep(duration: Duration) -> Sleep {
    Sleep { duration, shared: None }
}

pub(crate) struct Sleep {
    duration: Duration,
    shared: Option<Arc<Mutex<Shared>>>,
}

struct Shared {
    done: bool,
    waker: Waker,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.duration.is_zero() {
            return Poll::Ready(());
        }
        match &self.shared {
            Some(shared) => {
                let mut shared = shared.lock().unwrap_or_else(PoisonError::into_inner);
                if shared.done {
                    return Poll::Ready(());
                }
                shared.waker.clone_from(cx.waker());
            }
            None => {
                let shared = Arc::new(Mutex::new(Shared { done: false, waker: cx.waker().clone() }));
                let timer = Arc::clone(&shared);
                let duration = self.duration;
                let spawned = std::thread::Builder::new().name("vexora-retry-wait".to_owned()).spawn(move || {
                    std::thread::sleep(duration);
                    let mut shared = timer.lock().unwrap_or_else(PoisonError::into_inner);
                    shared.done = true;
                    shared.waker.wake_by_ref();
                });
                if spawned.is_err() {
                    // No thread to wait on: retrying at once is better than never.
                    return Poll::Ready(());
                }
                self.shared = Some(shared);
            }
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_at_least_the_duration() {
        let started = std::time::Instant::now();
        futures_lite::future::block_on(sleep(Duration::from_millis(30)));
        assert!(started.elapsed() >= Duration::from_millis(30));
        futures_lite::future::block_on(sleep(Duration::ZERO));
    }
}
