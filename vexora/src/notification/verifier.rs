//! Verification with the merchant's secrets: the current one and, while a
//! rotation is under way, the previous one until a set time.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use super::error::NotificationError;
use super::kind::{PayInNotification, PayoutNotification};
use super::strict::VerifyOptions;
use super::typed::Notification;
use super::verify::{SecretUsed, verify_checked};
use crate::config::AppSecret;

/// Verifies the gateway's notifications with the app secret, and, while a
/// secret rotation is under way, with the previous secret until a set time.
///
/// Each kind of notification has its own `notifyUrl`, and each route
/// verifies with its own method: [`Verifier::pay_in`] where pay-in
/// notifications arrive, [`Verifier::payout`] where payout notifications
/// arrive. The kind is where it arrived, never guessed from the fields.
///
/// # Rotating the app secret
///
/// The gateway signs with whichever secret it holds at the moment it sends,
/// and retries for a day, so notifications signed with the old secret keep
/// arriving for a while after the change:
///
/// 1. Deploy with `Verifier::new(new).with_previous_secret(old, until)`,
///    `until` at least a day (the gateway's retry window,
///    [`GATEWAY_RETRY_DELAYS`](super::GATEWAY_RETRY_DELAYS)) after step 2.
/// 2. Change the secret in Vexora's merchant dashboard, and the client's
///    [`Config`](crate::Config) to the new one.
/// 3. Watch the `vexora` tracing events: a notification verified with the
///    previous secret says `secret = "previous"`.
/// 4. After `until`, the old secret is no longer tried; remove it.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use vexora::clock::FixedClock;
/// use vexora::notification::{signature, NotificationError, Verifier, VerifyOptions};
/// use vexora::AppSecret;
///
/// // A notification the gateway signed with the old secret.
/// let old = AppSecret::new("old secret");
/// let unsigned = r#"{"tradeNo":"T1","status":"0000","amount":"300"}"#;
/// let body = format!(r#"{{"sign":"{}",{}"#, signature(unsigned.as_bytes(), &old)?, &unsigned[1..]);
///
/// let until = SystemTime::UNIX_EPOCH + Duration::from_millis(1_764_201_600_000);
/// let during = VerifyOptions::default().with_clock(FixedClock(1_764_115_200_000));
/// let rotating = Verifier::new(AppSecret::new("new secret")).with_previous_secret(old, until).with_options(during);
/// assert!(rotating.pay_in(body.as_bytes()).is_ok());
///
/// // After `until`, only the current secret verifies.
/// let after = VerifyOptions::default().with_clock(FixedClock(1_764_201_600_001));
/// let rotated = rotating.with_options(after);
/// assert_eq!(rotated.pay_in(body.as_bytes()).err(), Some(NotificationError::SignatureMismatch));
/// # Ok::<(), NotificationError>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    current: AppSecret,
    previous: Option<PreviousSecret>,
    options: VerifyOptions,
}

/// A secret being rotated out, accepted until `until_ms`.
#[derive(Clone)]
struct PreviousSecret {
    secret: AppSecret,
    /// Milliseconds since the epoch; accepted while now is at or before it.
    until_ms: u64,
}

impl Verifier {
    /// Verifies with `current` alone, with default [`VerifyOptions`].
    pub fn new(current: AppSecret) -> Self {
        Self { current, previous: None, options: VerifyOptions::default() }
    }

    /// Also accepts notifications signed with `previous` until `until`
    /// (by the options' clock), for a secret rotation.
    pub fn with_previous_secret(mut self, previous: AppSecret, until: SystemTime) -> Self {
        let until_ms =
            until.duration_since(UNIX_EPOCH).map_or(0, |since| u64::try_from(since.as_millis()).unwrap_or(u64::MAX));
        self.previous = Some(PreviousSecret { secret: previous, until_ms });
        self
    }

    /// Replaces the options (a freshness window, the clock).
    pub fn with_options(mut self, options: VerifyOptions) -> Self {
        self.options = options;
        self
    }

    /// A notification that arrived at a pay-in `notifyUrl`.
    pub fn pay_in(&self, raw_body: &[u8]) -> Result<PayInNotification, NotificationError> {
        self.verify(raw_body).map(PayInNotification::new)
    }

    /// A notification that arrived at a payout `notifyUrl`.
    pub fn payout(&self, raw_body: &[u8]) -> Result<PayoutNotification, NotificationError> {
        self.verify(raw_body).map(PayoutNotification::new)
    }

    /// The verified fields, without a kind: for tools that check a
    /// signature (`vexora webhook verify`). A handler uses
    /// [`Verifier::pay_in`] or [`Verifier::payout`].
    pub fn verify(&self, raw_body: &[u8]) -> Result<Notification, NotificationError> {
        self.verify_with_secret_used(raw_body).map(|(notification, _)| notification)
    }

    /// [`Verifier::verify`], also saying which secret the notification was
    /// signed with (during a rotation, to see when the previous one stops
    /// being used).
    pub fn verify_with_secret_used(&self, raw_body: &[u8]) -> Result<(Notification, SecretUsed), NotificationError> {
        verify_checked(raw_body, self.current.expose(), self.previous_in_force(), Some(&self.options))
    }

    /// The previous secret, while its time has not passed.
    fn previous_in_force(&self) -> Option<&[u8]> {
        self.previous
            .as_ref()
            .filter(|previous| self.options.clock.now_millis() <= previous.until_ms)
            .map(|previous| previous.secret.expose())
    }
}

impl From<AppSecret> for Verifier {
    fn from(current: AppSecret) -> Self {
        Self::new(current)
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("current", &self.current)
            .field("previous_until_ms", &self.previous.as_ref().map(|previous| previous.until_ms))
            .field("options", &self.options)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::notification::signature;
    use std::time::Duration;

    /// A body signed with `secret`.
    fn signed_with(secret: &str) -> Vec<u8> {
        let body = r#"{"tradeNo":"T1","status":"0000","amount":"300"}"#;
        let sign = signature(body.as_bytes(), &AppSecret::new(secret)).expect("an object");
        format!(r#"{{"sign":"{sign}",{}"#, &body[1..]).into_bytes()
    }

    const UNTIL_MS: u64 = 1_764_201_600_000;

    fn rotating(now_ms: u64) -> Verifier {
        Verifier::new(AppSecret::new("new"))
            .with_previous_secret(AppSecret::new("old"), UNIX_EPOCH + Duration::from_millis(UNTIL_MS))
            .with_options(VerifyOptions::default().with_clock(FixedClock(now_ms)))
    }

    #[test]
    fn the_previous_secret_verifies_until_its_time_and_never_after() {
        let (new, old, other) = (signed_with("new"), signed_with("old"), signed_with("other"));
        for now_ms in [0, UNTIL_MS - 1, UNTIL_MS] {
            let verifier = rotating(now_ms);
            assert_eq!(verifier.verify_used(&new), Ok(SecretUsed::Current), "{now_ms}");
            assert_eq!(verifier.verify_used(&old), Ok(SecretUsed::Previous), "{now_ms}");
            assert_eq!(verifier.verify_used(&other), Err(NotificationError::SignatureMismatch));
        }
        let after = rotating(UNTIL_MS + 1);
        assert_eq!(after.verify_used(&new), Ok(SecretUsed::Current));
        assert_eq!(after.verify_used(&old), Err(NotificationError::SignatureMismatch));
        let alone = Verifier::new(AppSecret::new("new"));
        assert_eq!(alone.verify_used(&old), Err(NotificationError::SignatureMismatch));
        assert!(alone.pay_in(&new).is_ok() && alone.payout(&new).is_ok());
    }

    #[test]
    fn debug_shows_no_secret() {
        let text = format!("{:?}", rotating(0));
        assert!(!text.contains("new\"") && !text.contains("old"), "{text}");
    }

    impl Verifier {
        /// Which secret verified `raw_body`.
        fn verify_used(&self, raw_body: &[u8]) -> Result<SecretUsed, NotificationError> {
            self.verify_with_secret_used(raw_body).map(|(_, used)| used)
        }
    }
}
