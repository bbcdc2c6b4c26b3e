//! What a sandbox is started with.

use std::collections::HashMap;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::book::visibility::VisibilityDelay;
use crate::error::SandboxError;
use crate::notify::notifier::NotificationLoss;
use crate::notify::receiver::NotificationTransport;

/// The merchant number of the default sandbox merchant. **Sandbox only.**
pub const TEST_MERCHANT_NO: &str = "0000000001";
/// The app secret of the default sandbox merchant. **Sandbox only**: never
/// use it anywhere real.
pub const TEST_MERCHANT_SECRET: &str = "test-app-secret-123";

/// Default `max_body_bytes`: the bound the SDK puts on a notification body.
/// A checkout is under 1 KiB.
const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
/// Default `max_connections`: far above what a test needs, low enough to
/// bound memory (vexora-sandbox/README.md, "Connection limits").
const DEFAULT_MAX_CONNECTIONS: usize = 4096;
/// Default `header_read_timeout` (hyper's own default).
const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default `body_read_timeout`.
const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How to run a sandbox.
///
/// `Default` listens on `127.0.0.1` on a free port, knows the one test
/// merchant ([`TEST_MERCHANT_NO`] / [`TEST_MERCHANT_SECRET`]), runs the
/// notification ladder in real time and finds `spec/` by itself.
///
/// ```
/// use vexora_sandbox::SandboxConfig;
///
/// let config = SandboxConfig::default()
///     .merchant("0000000002", "another-sandbox-secret")
///     .time_scale(0.001); // the 2 s → 3 h retry ladder in milliseconds
/// assert_eq!(config.merchants.len(), 2);
/// ```
#[derive(Clone)]
pub struct SandboxConfig {
    /// Where to listen; port 0 picks a free port (read it back from
    /// [`RunningSandbox::addr`](crate::RunningSandbox::addr)).
    pub addr: SocketAddr,
    /// `(merchantNo, app secret)` of every merchant the sandbox knows.
    pub merchants: Vec<(String, String)>,
    /// The folder of endpoint descriptions (`<dir>/<region>/<endpoint>.toml`).
    /// `None`: the workspace's `spec/` when it exists, else the copy
    /// compiled into the `vexora` crate.
    pub spec_dir: Option<PathBuf>,
    /// Multiplies the notification retry intervals: `0.001` turns 2 s into
    /// 2 ms. `1.0` is real time; must be finite and not negative.
    pub time_scale: f64,
    /// How long one notification attempt may take (real time, not scaled).
    pub notify_timeout: Duration,
    /// How far a request's `timestamp` may be from the sandbox's clock.
    pub timestamp_tolerance: Duration,
    /// `Some(start)`: the sandbox's clock is simulated, reading `start`
    /// (milliseconds since the Unix epoch) plus `clock_offset_ms`, and moves
    /// only when advanced; `None` (the default): the system clock plus
    /// `clock_offset_ms`. See [`SandboxConfig::simulated_clock`].
    pub simulated_clock_start_ms: Option<i64>,
    /// Milliseconds added to the system clock (negative: behind). Can be
    /// changed while running with
    /// [`RunningSandbox::set_clock_offset_ms`](crate::RunningSandbox::set_clock_offset_ms).
    pub clock_offset_ms: i64,
    /// The gateway's local time zone, in minutes east of UTC: days for the
    /// IP limits and settlement, and `successTime`. Default 480 (Taiwan).
    pub utc_offset_minutes: i32,
    /// The largest request body read, in bytes; a larger one is refused with
    /// `413` (when `Content-Length` says so, before any of it is read).
    /// Default 64 KiB.
    pub max_body_bytes: usize,
    /// Connections served at once; one more is refused with `503` and
    /// closed, without reading its request. Default 4096.
    pub max_connections: usize,
    /// How long a client may take to send a request head (request line and
    /// headers), and how long an idle connection is kept open waiting for
    /// one; then the connection is closed. Default 30 s.
    pub header_read_timeout: Duration,
    /// How long a request's body may take to arrive, counted from the end of
    /// its head; then it is refused with `408`. With
    /// `header_read_timeout` it bounds the whole request. Default 30 s.
    pub body_read_timeout: Duration,
    /// Each merchant's available balance at start, in whole units, so
    /// payouts can be tried before any pay-in has settled (default none).
    pub opening_balances: Vec<(String, u64)>,
    /// `(spec, field, pattern)`: a request field judged by this pattern
    /// instead of its documented one, as a merchant whose SDK has the
    /// matching `ConfigBuilder::field_rule` needs (default none).
    pub field_patterns: Vec<(String, String, String)>,
    /// Host names, besides `127.0.0.1`, `localhost`, `[::1]` and the bound
    /// address, that a request's `Host` may name (with the sandbox's port);
    /// any other `Host` is refused with `403`, on every route (default none).
    pub allowed_hosts: Vec<String>,
    /// `(segment, region)`: `/<segment><path>` serves the endpoints of
    /// `region` (a `spec/` folder name) as well as `/<region><path>`, for a
    /// merchant whose base URL names the region otherwise, e.g.
    /// `/Australia` (default none).
    pub region_paths: Vec<(String, String)>,
    /// Notifications the sandbox never sends, as a gateway that loses them
    /// would: which ones is drawn from the seed, so a run can be replayed
    /// (default none).
    pub lost_notifications: Option<NotificationLoss>,
    /// The wire notification attempts travel; `None` (the default): a
    /// POST over HTTP. See [`SandboxConfig::deliver_with`].
    pub notification_transport: Option<Arc<dyn NotificationTransport>>,
    /// How long each new order or payout stays hidden from queries,
    /// decided by its kind and `tradeNo`; `None` (the default): visible at
    /// once. See [`SandboxConfig::visibility_delay`].
    pub visibility_delay: Option<VisibilityDelay>,
    /// Whether a create under the `tradeNo` of an order or payout still
    /// hidden from queries makes a second one (`false`, the default: it is
    /// refused as a duplicate). See [`SandboxConfig::duplicates_while_hidden`].
    pub duplicates_while_hidden: bool,
    /// `Some(seed)`: the sandbox's `platFormTradeNo`s are drawn from
    /// `seed`; `None` (the default): at random. See
    /// [`SandboxConfig::platform_id_seed`].
    pub platform_id_seed: Option<u64>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            merchants: vec![(TEST_MERCHANT_NO.to_owned(), TEST_MERCHANT_SECRET.to_owned())],
            spec_dir: None,
            time_scale: 1.0,
            notify_timeout: Duration::from_secs(10),
            timestamp_tolerance: Duration::from_secs(5 * 60),
            simulated_clock_start_ms: None,
            clock_offset_ms: 0,
            utc_offset_minutes: 8 * 60,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            opening_balances: Vec::new(),
            field_patterns: Vec::new(),
            allowed_hosts: Vec::new(),
            region_paths: Vec::new(),
            lost_notifications: None,
            notification_transport: None,
            visibility_delay: None,
            duplicates_while_hidden: false,
            platform_id_seed: None,
        }
    }
}

impl SandboxConfig {
    /// Starts `merchant_no` with `amount` whole units available for payouts.
    pub fn opening_balance(mut self, merchant_no: impl Into<String>, amount: u64) -> Self {
        let merchant_no = merchant_no.into();
        self.opening_balances.retain(|(known, _)| *known != merchant_no);
        self.opening_balances.push((merchant_no, amount));
        self
    }

    /// Judges `field` (wire name) of the endpoint `spec` (`"taiwan/payout"`)
    /// by `pattern` instead of its documented pattern: the sandbox side of
    /// a merchant's `ConfigBuilder::field_rule`. The field must have a
    /// documented pattern; start-up fails otherwise.
    pub fn field_pattern(
        mut self,
        spec: impl Into<String>,
        field: impl Into<String>,
        pattern: impl Into<String>,
    ) -> Self {
        let (spec, field) = (spec.into(), field.into());
        self.field_patterns.retain(|(known_spec, known_field, _)| (known_spec, known_field) != (&spec, &field));
        self.field_patterns.push((spec, field, pattern.into()));
        self
    }

    /// Answers requests whose `Host` names `name` (a host name or IP
    /// address, IPv6 in brackets, without a port), e.g. the name of the
    /// machine the sandbox runs on for a browser elsewhere on the network.
    pub fn allowed_host(mut self, name: impl Into<String>) -> Self {
        self.allowed_hosts.push(name.into());
        self
    }

    /// Serves `region`'s endpoints under `/<segment>` too, as the gateway
    /// does for a merchant whose base URL ends with that segment (the SDK's
    /// client names such a region explicitly). The region must be one of
    /// the specs' and the segment one path segment (no `/`, `?` or `#`);
    /// start-up fails otherwise. A known segment gets the new region.
    ///
    /// ```
    /// use vexora_sandbox::SandboxConfig;
    ///
    /// let config = SandboxConfig::default().region_path("Australia", "australia");
    /// assert_eq!(config.region_paths, [("Australia".to_owned(), "australia".to_owned())]);
    /// ```
    pub fn region_path(mut self, segment: impl Into<String>, region: impl Into<String>) -> Self {
        let segment = segment.into();
        self.region_paths.retain(|(known, _)| *known != segment);
        self.region_paths.push((segment, region.into()));
        self
    }

    /// Never sends `percent` of the notifications (whole ladders, not single
    /// attempts), chosen from `seed`: a gateway that loses them, for testing
    /// what finds the outcome anyway. `percent` is capped at 100.
    ///
    /// ```
    /// use vexora_sandbox::SandboxConfig;
    ///
    /// let config = SandboxConfig::default().lose_notifications(30, 7);
    /// let loss = config.lost_notifications.expect("set");
    /// let lost = (0..1000).filter(|n| loss.loses("order", &format!("T{n}"))).count();
    /// assert!((250..350).contains(&lost), "{lost}");
    /// assert_eq!(loss.loses("order", "T1"), loss.loses("order", "T1"));
    /// ```
    pub fn lose_notifications(mut self, percent: u8, seed: u64) -> Self {
        self.lost_notifications = Some(NotificationLoss { percent: percent.min(100), seed });
        self
    }

    /// Delivers notifications through `transport` instead of HTTP: given
    /// each attempt (target URL, signed body, kind, `tradeNo`, attempt
    /// number), it returns the receiver's answer or a transport failure. A
    /// simulation uses it to deliver in process and to lose, duplicate,
    /// delay or reorder deliveries by seed, or to model a receiver that is
    /// down. Only the wire changes: the retry ladder, the attempt log and
    /// "acknowledged only on `200 OK`" stay the notifier's (see
    /// [`NotificationTransport`] for an example).
    pub fn deliver_with(mut self, transport: Arc<dyn NotificationTransport>) -> Self {
        self.notification_transport = Some(transport);
        self
    }

    /// Hides each new order, payout or record of a spec-served kind from
    /// queries (they answer "no such order") for the milliseconds of the
    /// sandbox clock `delay` decides from its kind (`"order"`, `"payout"`,
    /// or the spec's kind name, such as `"refund"`) and `tradeNo` (for a
    /// record without one, its keys' values joined with `/`): a gateway slow
    /// to create, decided by what the create hits rather than by arrival
    /// order, as the `visible_after_ms` fault is. With both, the longer
    /// delay holds. Only queries are affected: the record exists, its
    /// `tradeNo` is taken (unless
    /// [`duplicates_while_hidden`](SandboxConfig::duplicates_while_hidden)),
    /// and it can be paid and notified.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use vexora_sandbox::SandboxConfig;
    ///
    /// // Every payout whose number ends in 7 shows up 30 s late.
    /// let config = SandboxConfig::default()
    ///     .visibility_delay(Arc::new(|kind, trade_no| (kind == "payout" && trade_no.ends_with('7')).then_some(30_000)));
    /// assert!(config.visibility_delay.is_some());
    /// ```
    pub fn visibility_delay(mut self, delay: VisibilityDelay) -> Self {
        self.visibility_delay = Some(delay);
        self
    }

    /// With `true`, a record hidden from queries (by
    /// [`visibility_delay`](SandboxConfig::visibility_delay) or a
    /// `visible_after_ms` fault) is one the gateway has not finished
    /// making: its unique-`tradeNo` check reads only what is committed, so
    /// a create under the same `tradeNo` in that window makes a second
    /// order or payout instead of being refused. Once the first shows to
    /// queries, a duplicate is refused again. Queries and the control
    /// routes find the first; [`SandboxControl::orders`](crate::SandboxControl::orders)
    /// and [`payouts`](crate::SandboxControl::payouts) list both. A
    /// merchant that resends sooner than the gateway takes to create
    /// (trusting "not found" without a settle delay) makes an order twice,
    /// as it would at the real gateway. Off by default.
    ///
    /// ```
    /// use vexora_sandbox::SandboxConfig;
    ///
    /// let config = SandboxConfig::default().duplicates_while_hidden(true);
    /// assert!(config.duplicates_while_hidden);
    /// ```
    pub fn duplicates_while_hidden(mut self, race: bool) -> Self {
        self.duplicates_while_hidden = race;
        self
    }

    /// Draws the sandbox's `platFormTradeNo`s from `seed`: the same ids in
    /// the same order in every run (and on every build and platform), so a
    /// seeded simulation's records, notification bodies and signatures
    /// repeat exactly. By default they are random, as a real gateway's
    /// cannot be guessed.
    pub fn platform_id_seed(mut self, seed: u64) -> Self {
        self.platform_id_seed = Some(seed);
        self
    }

    /// Listens on `addr`.
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Adds a merchant (a known `merchantNo` gets the new secret).
    pub fn merchant(mut self, merchant_no: impl Into<String>, secret: impl Into<String>) -> Self {
        let merchant_no = merchant_no.into();
        self.merchants.retain(|(known, _)| *known != merchant_no);
        self.merchants.push((merchant_no, secret.into()));
        self
    }

    /// Replaces every merchant, the default test merchant included.
    pub fn merchants<I, N, S>(mut self, merchants: I) -> Self
    where
        I: IntoIterator<Item = (N, S)>,
        N: Into<String>,
        S: Into<String>,
    {
        self.merchants = merchants.into_iter().map(|(no, secret)| (no.into(), secret.into())).collect();
        self
    }

    /// Reads endpoint descriptions from `dir`.
    pub fn spec_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.spec_dir = Some(dir.into());
        self
    }

    /// Scales the notification retry intervals (see the `time_scale` field).
    pub fn time_scale(mut self, scale: f64) -> Self {
        self.time_scale = scale;
        self
    }

    /// Sets the timeout of one notification attempt.
    pub fn notify_timeout(mut self, timeout: Duration) -> Self {
        self.notify_timeout = timeout;
        self
    }

    /// Runs the sandbox on a simulated clock that reads `start_ms`
    /// (milliseconds since the Unix epoch) and moves only when advanced
    /// (`POST /sandbox/clock/advance`, or
    /// [`SandboxControl::advance_clock`](crate::SandboxControl::advance_clock)):
    /// so a seeded simulation reads the same times in every run. Everything
    /// that reads time reads it: orders' and payouts' times, the T+1
    /// settlement, the payers' daily IP limits, requests' `timestamp`
    /// check, `successTime`, the notification ladder's schedule and hidden
    /// records' visibility. Real time still bounds one notification attempt
    /// (`notify_timeout`) and a fault's `delay_ms`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use vexora_sandbox::{Sandbox, SandboxConfig};
    ///
    /// let sandbox = Sandbox::in_process(SandboxConfig::default().simulated_clock(1_795_676_645_000))?;
    /// let control = sandbox.control();
    /// assert_eq!(control.now_ms(), 1_795_676_645_000);
    /// std::thread::sleep(Duration::from_millis(5));
    /// assert_eq!(control.now_ms(), 1_795_676_645_000, "time does not pass by itself");
    /// assert_eq!(control.advance_clock(Duration::from_secs(2)), 1_795_676_647_000);
    /// # Ok::<(), vexora_sandbox::SandboxError>(())
    /// ```
    pub fn simulated_clock(mut self, start_ms: i64) -> Self {
        self.simulated_clock_start_ms = Some(start_ms);
        self
    }

    /// Sets the clock offset in milliseconds.
    pub fn clock_offset_ms(mut self, offset_ms: i64) -> Self {
        self.clock_offset_ms = offset_ms;
        self
    }

    /// Sets the largest request body read (see the `max_body_bytes` field).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Sets how many connections are served at once (see the
    /// `max_connections` field).
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections;
        self
    }

    /// Sets how long a request head may take (see the
    /// `header_read_timeout` field).
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Sets how long a request body may take (see the `body_read_timeout`
    /// field).
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// Checks what can be checked before binding; returns the merchants by number.
    pub(crate) fn merchant_secrets(&self) -> Result<HashMap<String, String>, SandboxError> {
        if !self.time_scale.is_finite() || self.time_scale < 0.0 {
            return Err(SandboxError::Config(format!(
                "time_scale must be a finite number >= 0, not {}",
                self.time_scale
            )));
        }
        if self.max_body_bytes == 0 || self.max_connections == 0 {
            return Err(SandboxError::Config("max_body_bytes and max_connections must be at least 1".to_owned()));
        }
        // Zero would close every connection before its first byte.
        if self.header_read_timeout.is_zero() || self.body_read_timeout.is_zero() {
            return Err(SandboxError::Config(
                "header_read_timeout and body_read_timeout must be longer than zero".to_owned(),
            ));
        }
        for name in &self.allowed_hosts {
            check_host_name(name).map_err(SandboxError::Config)?;
        }
        if self.merchants.is_empty() {
            return Err(SandboxError::Config("at least one merchant is needed".to_owned()));
        }
        let mut secrets = HashMap::with_capacity(self.merchants.len());
        for (merchant_no, secret) in &self.merchants {
            if merchant_no.is_empty() || secret.is_empty() {
                return Err(SandboxError::Config("a merchant needs a number and a secret".to_owned()));
            }
            if secrets.insert(merchant_no.clone(), secret.clone()).is_some() {
                return Err(SandboxError::Config(format!("merchant {merchant_no} is listed twice")));
            }
        }
        Ok(secrets)
    }
}

impl fmt::Debug for SandboxConfig {
    // Even sandbox secrets stay out of logs: show merchant numbers only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let merchants: Vec<_> = self.merchants.iter().map(|(no, _)| format!("{no}:<redacted>")).collect();
        f.debug_struct("SandboxConfig")
            .field("addr", &self.addr)
            .field("merchants", &merchants)
            .field("spec_dir", &self.spec_dir)
            .field("time_scale", &self.time_scale)
            .field("notify_timeout", &self.notify_timeout)
            .field("timestamp_tolerance", &self.timestamp_tolerance)
            .field("simulated_clock_start_ms", &self.simulated_clock_start_ms)
            .field("clock_offset_ms", &self.clock_offset_ms)
            .field("utc_offset_minutes", &self.utc_offset_minutes)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_connections", &self.max_connections)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("body_read_timeout", &self.body_read_timeout)
            .field("opening_balances", &self.opening_balances)
            .field("field_patterns", &self.field_patterns)
            .field("allowed_hosts", &self.allowed_hosts)
            .field("region_paths", &self.region_paths)
            .field("lost_notifications", &self.lost_notifications)
            .field("notification_transport", &self.notification_transport.as_ref().map(|_| "custom"))
            .field("visibility_delay", &self.visibility_delay.as_ref().map(|_| "custom"))
            .field("duplicates_while_hidden", &self.duplicates_while_hidden)
            .field("platform_id_seed", &self.platform_id_seed)
            .finish()
    }
}

/// Checks a name given with [`SandboxConfig::allowed_host`]: a DNS name or an IP address
/// (IPv6 in brackets), without a port.
pub(crate) fn check_host_name(name: &str) -> Result<(), String> {
    let dns = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !name.starts_with(['.', '-']);
    let ipv6 = name
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .is_some_and(|inner| inner.parse::<std::net::Ipv6Addr>().is_ok());
    if dns || ipv6 {
        Ok(())
    } else {
        Err(format!(
            "allowed host {name:?} must be a host name or IP address without a port (an IPv6 address in brackets)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_unusable_settings() {
        for config in [
            SandboxConfig::default().time_scale(f64::NAN),
            SandboxConfig::default().time_scale(-1.0),
            SandboxConfig::default().merchants(Vec::<(String, String)>::new()),
            SandboxConfig::default().merchants([("1", "a"), ("1", "b")]),
            SandboxConfig::default().merchants([("1", "")]),
            SandboxConfig::default().max_body_bytes(0),
            SandboxConfig::default().max_connections(0),
            SandboxConfig::default().header_read_timeout(Duration::ZERO),
            SandboxConfig::default().body_read_timeout(Duration::ZERO),
            SandboxConfig::default().allowed_host("sandbox.test:8080"),
            SandboxConfig::default().allowed_host(""),
        ] {
            assert!(matches!(config.merchant_secrets(), Err(SandboxError::Config(_))), "{config:?}");
        }
    }

    #[test]
    fn merchant_replaces_a_known_number_and_debug_hides_secrets() {
        let config = SandboxConfig::default().merchant(TEST_MERCHANT_NO, "new-secret");
        assert_eq!(config.merchants, [(TEST_MERCHANT_NO.to_owned(), "new-secret".to_owned())]);
        assert!(!format!("{config:?}").contains("new-secret"));
    }

    #[test]
    fn host_names_are_names_or_addresses_without_ports() {
        for name in ["sandbox.test", "10.0.0.1", "[fd00::1]", "my-box"] {
            assert_eq!(check_host_name(name), Ok(()), "{name}");
        }
        for name in ["", "a:80", "a/b", "[::1", "[nope]", "-a", "a b"] {
            assert!(check_host_name(name).is_err(), "{name}");
        }
    }
}
