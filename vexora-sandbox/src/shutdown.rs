//! The one signal that stops a sandbox's server and its notifications.

use tokio::sync::watch;

/// Resolves once shutdown is asked for (or the sandbox is gone).
pub(crate) async fn stop_requested(stopped: &mut watch::Receiver<bool>) {
    // Either a `true` or a dropped sender: both mean stop. The guard that
    // `wait_for` returns is not `Send`, so it is dropped right here.
    let _ = stopped.wait_for(|stop| *stop).await;
}
