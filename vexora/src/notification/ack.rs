//! How to answer the gateway.

use std::time::Duration;

/// The reply that tells the gateway a notification was processed: HTTP
/// [`STATUS`](Acknowledgement::STATUS) 200, `Content-Type`
/// [`CONTENT_TYPE`](Acknowledgement::CONTENT_TYPE), body exactly
/// [`BODY`](Acknowledgement::BODY) (`OK`, case-sensitive, no JSON around it),
/// within about [`DEADLINE`](Acknowledgement::DEADLINE).
///
/// Acknowledge only **after** the outcome is durably recorded (or found to
/// be a repeat already recorded, see
/// [`PayInNotification::dedup_key`](super::PayInNotification::dedup_key)). Anything
/// else makes the gateway send the notification again, on the ladder in
/// [`GATEWAY_RETRY_DELAYS`]; after the last try it stops and only the query
/// API can tell you the outcome.
///
/// Do **not** acknowledge:
/// - when [`verify`](super::verify) fails, whatever the
///   [`NotificationError`](super::NotificationError) (bad or missing
///   signature, unreadable body, unusable fields): reply e.g. 400 `FAIL`;
/// - on a transient failure of your own (database down, lock timeout, a
///   crash midway): reply 5xx, so a retry gets another chance;
/// - before your processing has committed: an `OK` followed by a failed
///   commit loses the payment notification for good.
///
/// The gateway only distinguishes `OK` from everything else; the non-OK
/// status codes above are for your own logs and monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Acknowledgement;

impl Acknowledgement {
    /// The HTTP status of the acknowledgement.
    pub const STATUS: u16 = 200;
    /// The `Content-Type` of the acknowledgement.
    pub const CONTENT_TYPE: &'static str = "text/plain";
    /// The exact body of the acknowledgement.
    pub const BODY: &'static str = "OK";
    /// How long the gateway waits for the reply before counting the try as
    /// failed (about 10 s, per the documentation).
    pub const DEADLINE: Duration = Duration::from_secs(10);
}

/// The documented delays between the gateway's tries when a notification is
/// not acknowledged: 2 s, 5 s, 10 s, 30 s, 1 h, 3 h, 3 h, 3 h (8 tries within
/// 24 h). After that it stops; poll the query API for orders still open.
pub const GATEWAY_RETRY_DELAYS: [Duration; 8] = [
    Duration::from_secs(2),
    Duration::from_secs(5),
    Duration::from_secs(10),
    Duration::from_secs(30),
    Duration::from_secs(3600),
    Duration::from_secs(3 * 3600),
    Duration::from_secs(3 * 3600),
    Duration::from_secs(3 * 3600),
];
