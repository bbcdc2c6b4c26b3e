//! Credentials and connection settings.

use std::fmt;
use std::time::Duration;

use crate::retry::RetryPolicy;
use crate::validation::{FieldRule, Format};

/// The app secret ("Merchant Key" in the merchant dashboard).
///
/// Never printed: `Debug` shows `<redacted>`, and there is no `Display`.
/// Its bytes are overwritten with zeros when it is dropped, so a freed
/// secret does not linger in the heap (copies you make yourself are yours
/// to wipe).
#[derive(Clone, PartialEq, Eq)]
pub struct AppSecret(String);

impl Drop for AppSecret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl AppSecret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The bytes the signature appends.
    pub fn expose(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for AppSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppSecret(<redacted>)")
    }
}

/// What the client needs to talk to the gateway.
///
/// ```
/// use vexora::Config;
///
/// let config = Config::builder()
///     .merchant_no("0000000001")
///     .app_secret("test-app-secret-123")
///     .base_url("http://127.0.0.1:8080/taiwan")
///     .build()
///     .unwrap();
/// assert!(!format!("{config:?}").contains("test-app-secret-123"));
/// ```
#[derive(Clone)]
pub struct Config {
    merchant_no: String,
    app_secret: AppSecret,
    base_url: String,
    region: String,
    timeout: Duration,
    retry: RetryPolicy,
    order_not_found_codes: Vec<String>,
    duplicate_trade_no_codes: Vec<String>,
    max_idle_connections: usize,
    field_rules: Vec<FieldRule>,
}

impl Config {
    /// The whole-exchange deadline when none is set.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    /// The shortest deadline a call accepts, and the least time an attempt
    /// starts with: 10 ms. Less cannot connect, send and read an answer with
    /// any margin, and curl counts whole milliseconds, where 0 would mean
    /// "no timeout at all". A shorter deadline is refused with
    /// [`ConfigError::Invalid`].
    pub const MIN_TIMEOUT: Duration = Duration::from_millis(10);

    /// The longest deadline: one hour. A longer one (such as
    /// `Duration::MAX`, for "no deadline") is capped to this, which is far
    /// beyond any answer the gateway gives.
    pub const MAX_TIMEOUT: Duration = Duration::from_secs(3600);

    /// Starts a configuration.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Reads `VEXORA_MERCHANT_NO`, `VEXORA_APP_SECRET` and `VEXORA_BASE_URL`
    /// (all required), `VEXORA_REGION`, `VEXORA_TIMEOUT_MS`,
    /// `VEXORA_ORDER_NOT_FOUND_CODES`, `VEXORA_DUPLICATE_TRADE_NO_CODES`
    /// and `VEXORA_MAX_IDLE_CONNECTIONS` (optional).
    ///
    /// An error names the variable and the rule it breaks, never the value:
    /// a secret pasted into the wrong variable stays out of startup logs.
    ///
    /// The base URL has no default on purpose: the Taiwan sandbox and
    /// production URLs are issued by Vexora, and a guessed one would send
    /// payments to the wrong place.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let required = |variable: &'static str| lookup(variable).ok_or(ConfigError::MissingVariable { variable });
        let mut builder = Config::builder()
            .merchant_no(required("VEXORA_MERCHANT_NO")?)
            .app_secret(required("VEXORA_APP_SECRET")?)
            .base_url(required("VEXORA_BASE_URL")?);
        if let Some(region) = lookup("VEXORA_REGION") {
            builder = builder.region(region.trim());
        }
        if let Some(millis) = lookup("VEXORA_TIMEOUT_MS") {
            let millis = millis.trim().parse::<u64>().map_err(|_| ConfigError::Invalid {
                field: "VEXORA_TIMEOUT_MS",
                reason: "must be a whole number of milliseconds",
            })?;
            builder = builder.timeout(Duration::from_millis(millis));
        }
        if let Some(count) = lookup("VEXORA_MAX_IDLE_CONNECTIONS") {
            let count = count.trim().parse::<usize>().map_err(|_| ConfigError::Invalid {
                field: "VEXORA_MAX_IDLE_CONNECTIONS",
                reason: "must be a whole number",
            })?;
            builder = builder.max_idle_connections(count);
        }
        if let Some(codes) = lookup("VEXORA_ORDER_NOT_FOUND_CODES") {
            for code in codes.split(',').map(str::trim).filter(|code| !code.is_empty()) {
                builder = builder.order_not_found_code(code);
            }
        }
        if let Some(codes) = lookup("VEXORA_DUPLICATE_TRADE_NO_CODES") {
            for code in codes.split(',').map(str::trim).filter(|code| !code.is_empty()) {
                builder = builder.duplicate_trade_no_code(code);
            }
        }
        builder.build()
    }

    /// The merchant number, sent in the `merchantNo` header.
    pub fn merchant_no(&self) -> &str {
        &self.merchant_no
    }

    /// The app secret.
    pub fn app_secret(&self) -> &AppSecret {
        &self.app_secret
    }

    /// The base URL, region included, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The region this configuration serves, as the SDK spells it
    /// (`taiwan`, `southkorea`): the base URL's last path segment, or the
    /// region named with [`ConfigBuilder::region`]. Only its requests are
    /// sent.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Whether requests of `region` (an endpoint's region, as the SDK spells
    /// it) go to this base URL.
    pub fn serves_region(&self, region: &str) -> bool {
        self.region == region
    }

    /// The deadline for one whole call: every attempt and every wait
    /// between attempts, from connecting to decoding the answer.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// How read calls are retried (create calls: see [`RetryPolicy`]).
    pub fn retry(&self) -> RetryPolicy {
        self.retry
    }

    /// How many idle connections [`Client::new`](crate::Client::new)'s
    /// transport keeps open for reuse.
    pub fn max_idle_connections(&self) -> usize {
        self.max_idle_connections
    }

    /// The gateway codes that mean "no such order" for a read (a pay-in or
    /// payout query), which let [`Client::reconcile`](crate::Client::reconcile)
    /// and [`Client::create`](crate::Client::create) tell a missing order from a refused query.
    pub fn order_not_found_codes(&self) -> &[String] {
        &self.order_not_found_codes
    }

    /// The gateway codes that refuse a create because its `tradeNo` was
    /// already used: the order exists ([`ConfigBuilder::duplicate_trade_no_code`]).
    pub fn duplicate_trade_no_codes(&self) -> &[String] {
        &self.duplicate_trade_no_codes
    }

    /// The merchant's own checks in place of documented patterns
    /// ([`ConfigBuilder::field_rule`]).
    pub fn field_rules(&self) -> &[FieldRule] {
        &self.field_rules
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("merchant_no", &self.merchant_no)
            .field("app_secret", &self.app_secret)
            .field("base_url", &self.base_url)
            .field("region", &self.region)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("order_not_found_codes", &self.order_not_found_codes)
            .field("duplicate_trade_no_codes", &self.duplicate_trade_no_codes)
            .field("max_idle_connections", &self.max_idle_connections)
            .field("field_rules", &self.field_rules)
            .finish()
    }
}

/// Builds a [`Config`]; see [`Config::builder`].
#[derive(Default)]
pub struct ConfigBuilder {
    merchant_no: Option<String>,
    app_secret: Option<AppSecret>,
    base_url: Option<String>,
    region: Option<String>,
    own_region: Option<String>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    order_not_found_codes: Vec<String>,
    duplicate_trade_no_codes: Vec<String>,
    max_idle_connections: Option<usize>,
    field_rules: Vec<FieldRule>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("merchant_no", &self.merchant_no)
            .field("app_secret", &self.app_secret)
            .field("base_url", &self.base_url)
            .field("region", &self.region)
            .field("own_region", &self.own_region)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

impl ConfigBuilder {
    /// The 10-digit merchant number.
    pub fn merchant_no(mut self, merchant_no: impl Into<String>) -> Self {
        self.merchant_no = Some(merchant_no.into());
        self
    }

    /// The app secret from the merchant dashboard.
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.app_secret = Some(AppSecret::new(secret));
        self
    }

    /// The gateway's base URL including the region, e.g.
    /// `https://<host issued by Vexora>/taiwan`.
    ///
    /// Its last path segment names the region, compared to the byte with
    /// the SDK's spelling of it (lowercase, as the regions' modules:
    /// `taiwan`, `southkorea`), just as an HTTP server compares paths. No
    /// query, fragment or `user:password@`. If Vexora issued a segment
    /// spelled otherwise (its documents write `Australia`, `SouthKorea`),
    /// keep the URL as issued and name the region with
    /// [`ConfigBuilder::region`].
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The region the base URL serves, as the SDK spells it (`australia`),
    /// for a base URL whose last segment Vexora spells otherwise
    /// (`…/Australia`). Without it, that segment must be the region's
    /// spelling exactly. Also read from `VEXORA_REGION`.
    ///
    /// ```
    /// use vexora::Config;
    ///
    /// let issued = || Config::builder().merchant_no("0000000001").app_secret("k").base_url("https://gateway.example/Australia");
    /// assert!(issued().build().is_err(), "not the SDK's spelling");
    /// let config = issued().region("australia").build()?;
    /// assert!(config.serves_region("australia"));
    /// assert_eq!(config.base_url(), "https://gateway.example/Australia");
    /// # Ok::<(), vexora::ConfigError>(())
    /// ```
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The region the base URL serves when it is one the SDK's own spec
    /// files do not have: a region of endpoint structs described by spec
    /// files of your own (`#[vexora(spec = "<region>/<name>")]` in your
    /// crate's `spec/`). Lowercase ASCII letters and digits, as a region
    /// module is named. Only requests of that region are sent.
    pub fn own_region(mut self, region: impl Into<String>) -> Self {
        self.own_region = Some(region.into());
        self
    }

    /// The deadline for one whole call (default [`Config::DEFAULT_TIMEOUT`];
    /// at least [`Config::MIN_TIMEOUT`], and capped at [`Config::MAX_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How read calls are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// A gateway code that means "no such order" for a read (a pay-in or
    /// payout query): what lets [`Client::reconcile`](crate::Client::reconcile)
    /// and [`Client::create`](crate::Client::create) tell a missing order from
    /// a refused query.
    ///
    /// The provider's error-code table is not public,
    /// so the SDK knows none by default; the local sandbox uses `9008`.
    /// Also read from `VEXORA_ORDER_NOT_FOUND_CODES` (comma-separated).
    pub fn order_not_found_code(mut self, code: impl Into<String>) -> Self {
        self.order_not_found_codes.push(code.into());
        self
    }

    /// A gateway code that refuses a create because its `tradeNo` was
    /// already used, so the order exists.
    ///
    /// With it, [`Client::create`](crate::Client::create) reads such a
    /// refusal as "it exists" and looks the order up, however long the
    /// gateway takes to show it to queries; without it, a refusal after an
    /// ambiguous attempt is trusted as "nothing was made" once a query
    /// sent after the settle delay finds nothing. Not published by the
    /// provider; the local sandbox uses `9005`. Also read from
    /// `VEXORA_DUPLICATE_TRADE_NO_CODES` (comma-separated).
    pub fn duplicate_trade_no_code(mut self, code: impl Into<String>) -> Self {
        self.duplicate_trade_no_codes.push(code.into());
        self
    }

    /// How many idle connections the default transport keeps open for reuse
    /// (default [`DEFAULT_MAX_IDLE_CONNECTIONS`](crate::transport::DEFAULT_MAX_IDLE_CONNECTIONS)).
    pub fn max_idle_connections(mut self, count: usize) -> Self {
        self.max_idle_connections = Some(count);
        self
    }

    /// Replaces the documented pattern of one request field with the
    /// merchant's own check, for values the gateway accepts beyond its
    /// documents: only the merchant's contract with Vexora can say so.
    /// `spec` names the endpoint (`"taiwan/payout"`), `field` the wire name
    /// (`"bankCode"`), `expected` what `accepts` takes, for the violation's
    /// message (code [`CONFIGURED`](crate::validation::CONFIGURED)). Every
    /// other rule of the field still applies.
    ///
    /// ```
    /// use vexora::Config;
    ///
    /// // Taiwan payouts document 3-digit bank codes (`004`); this merchant
    /// // was told 4-digit branch codes are accepted too.
    /// let config = Config::builder()
    ///     .merchant_no("0000000001")
    ///     .app_secret("secret")
    ///     .base_url("https://gateway.example/taiwan")
    ///     .field_rule("taiwan/payout", "bankCode", "3 or 4 digits", |code| {
    ///         (3..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
    ///     })
    ///     .build()?;
    /// # Ok::<(), vexora::ConfigError>(())
    /// ```
    pub fn field_rule(
        mut self,
        spec: &'static str,
        field: &'static str,
        expected: &'static str,
        accepts: fn(&str) -> bool,
    ) -> Self {
        self.field_rules.push(FieldRule { spec, field, expected, accepts });
        self
    }

    /// The SDK's region that `region` names, or else the base URL's last
    /// segment, spelt as the SDK spells it.
    fn sdk_region(region: Option<String>, base_url: &str) -> Result<String, ConfigError> {
        Ok(match region {
            Some(region) if crate::spec_index::is_region(&region) => region,
            Some(_) => {
                return Err(ConfigError::Invalid {
                    field: "region",
                    reason: "is not a region of the SDK (its spelling is the region module's: `taiwan`, `southkorea`)",
                });
            }
            None => match last_segment(base_url) {
                Some(segment) if crate::spec_index::is_region(segment) => segment.to_owned(),
                _ => {
                    return Err(ConfigError::Invalid {
                        field: "base_url",
                        reason: "must end with a region as the SDK spells it (`/taiwan`, `/southkorea`); \
                                 for a spelling Vexora issued otherwise, name the region with `region`",
                    });
                }
            },
        })
    }

    /// Checks every setting and builds the configuration.
    pub fn build(self) -> Result<Config, ConfigError> {
        // No message below quotes a value: the most common mistake is a
        // secret pasted into the wrong setting.
        let merchant_no = self.merchant_no.ok_or(ConfigError::Missing { field: "merchant_no" })?;
        if merchant_no.len() != 10 || !merchant_no.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ConfigError::Invalid { field: "merchant_no", reason: "must be the 10-digit merchant number" });
        }
        let app_secret = self.app_secret.ok_or(ConfigError::Missing { field: "app_secret" })?;
        if app_secret.expose().is_empty() {
            return Err(ConfigError::Invalid { field: "app_secret", reason: "must not be empty" });
        }
        let base_url = self.base_url.ok_or(ConfigError::Missing { field: "base_url" })?;
        let base_url = base_url.trim_end_matches('/').to_owned();
        if !crate::validation::format_holds(Format::HttpUrl, &base_url) {
            return Err(ConfigError::Invalid {
                field: "base_url",
                reason: "must be an absolute http:// or https:// URL",
            });
        }
        if has_credentials(&base_url) {
            return Err(ConfigError::Invalid {
                field: "base_url",
                reason: "must not carry credentials (user:password@): the gateway authenticates by signature",
            });
        }
        if base_url.contains(['?', '#']) {
            return Err(ConfigError::Invalid {
                field: "base_url",
                reason: "must not carry a query or a fragment: the endpoint's path is appended to it",
            });
        }
        let region = match (self.own_region, self.region) {
            (Some(_), Some(_)) => {
                return Err(ConfigError::Invalid {
                    field: "own_region",
                    reason: "names the region a second time: give `region` or `own_region`, not both",
                });
            }
            (Some(own), None) => {
                if own.is_empty() || !own.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
                    return Err(ConfigError::Invalid {
                        field: "own_region",
                        reason: "is spelt as a region module is named: lowercase ASCII letters and digits",
                    });
                }
                own
            }
            (None, region) => Self::sdk_region(region, &base_url)?,
        };
        let timeout = checked_timeout("timeout", self.timeout.unwrap_or(Config::DEFAULT_TIMEOUT))?;
        let retry = self.retry.unwrap_or_default();
        if retry.max_attempts == 0 {
            return Err(ConfigError::Invalid { field: "retry", reason: "max_attempts must be at least 1" });
        }
        let order_not_found_codes = self.order_not_found_codes;
        let duplicate_trade_no_codes = self.duplicate_trade_no_codes;
        let max_idle_connections = self.max_idle_connections.unwrap_or(crate::transport::DEFAULT_MAX_IDLE_CONNECTIONS);
        if let Some(reason) = self.field_rules.iter().find_map(FieldRule::problem) {
            return Err(ConfigError::Invalid { field: "field_rule", reason });
        }
        let field_rules = self.field_rules;
        Ok(Config {
            merchant_no,
            app_secret,
            base_url,
            region,
            timeout,
            retry,
            order_not_found_codes,
            duplicate_trade_no_codes,
            max_idle_connections,
            field_rules,
        })
    }
}

/// A deadline the client can keep: refused under [`Config::MIN_TIMEOUT`],
/// capped at [`Config::MAX_TIMEOUT`].
pub(crate) fn checked_timeout(field: &'static str, timeout: Duration) -> Result<Duration, ConfigError> {
    if timeout < Config::MIN_TIMEOUT {
        return Err(ConfigError::Invalid { field, reason: "must be at least 10 ms (Config::MIN_TIMEOUT)" });
    }
    Ok(timeout.min(Config::MAX_TIMEOUT))
}

/// The last segment of an http(s) URL's path, if it has a path.
fn last_segment(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (_, path) = rest.split_once('/')?;
    path.rsplit('/').next().filter(|segment| !segment.is_empty())
}

/// Whether an http(s) URL has a `user:password@` part before its host.
fn has_credentials(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.contains('@')
}

/// A configuration that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// An environment variable is not set.
    #[error("environment variable {variable} is not set")]
    MissingVariable {
        /// Its name.
        variable: &'static str,
    },
    /// A builder setting was not given.
    #[error("{field} is not set")]
    Missing {
        /// The setting.
        field: &'static str,
    },
    /// A setting has an unusable value.
    ///
    /// Names the setting and the rule, never the value: a secret pasted
    /// into the wrong setting must not reach the logs through this error.
    #[error("{field}: {reason}")]
    Invalid {
        /// The setting or variable.
        field: &'static str,
        /// The rule it breaks.
        reason: &'static str,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned())
    }

    const GOOD: [(&str, &str); 3] = [
        ("VEXORA_MERCHANT_NO", "0000000001"),
        ("VEXORA_APP_SECRET", "s3cr3t"),
        ("VEXORA_BASE_URL", "http://127.0.0.1:8080/taiwan/"),
    ];

    #[test]
    fn reads_every_variable() {
        let mut vars = GOOD.to_vec();
        vars.push(("VEXORA_TIMEOUT_MS", "1500"));
        let config = Config::from_lookup(lookup(&vars)).unwrap();
        assert_eq!(config.merchant_no(), "0000000001");
        assert_eq!(config.app_secret().expose(), b"s3cr3t");
        assert_eq!(config.base_url(), "http://127.0.0.1:8080/taiwan", "trailing slash trimmed");
        assert_eq!(config.timeout(), Duration::from_millis(1500));
    }

    #[test]
    fn a_missing_variable_is_named() {
        for missing in ["VEXORA_MERCHANT_NO", "VEXORA_APP_SECRET", "VEXORA_BASE_URL"] {
            let vars: Vec<_> = GOOD.iter().copied().filter(|(name, _)| *name != missing).collect();
            let error = Config::from_lookup(lookup(&vars)).unwrap_err();
            assert_eq!(error, ConfigError::MissingVariable { variable: missing });
            assert!(error.to_string().contains(missing));
        }
    }

    #[test]
    fn unusable_values_are_refused_with_the_setting_named() {
        let cases = [
            ("VEXORA_MERCHANT_NO", "12345", "merchant_no"),
            ("VEXORA_APP_SECRET", "", "app_secret"),
            ("VEXORA_BASE_URL", "gateway.example/taiwan", "base_url"),
            ("VEXORA_TIMEOUT_MS", "soon", "VEXORA_TIMEOUT_MS"),
            ("VEXORA_TIMEOUT_MS", "0", "timeout"),
            ("VEXORA_TIMEOUT_MS", "9", "timeout"),
            ("VEXORA_BASE_URL", "https://user:pw@gateway.example/taiwan", "base_url"),
            ("VEXORA_MAX_IDLE_CONNECTIONS", "many", "VEXORA_MAX_IDLE_CONNECTIONS"),
        ];
        for (variable, value, field) in cases {
            let mut vars: Vec<_> = GOOD.iter().copied().filter(|(name, _)| *name != variable).collect();
            vars.push((variable, value));
            match Config::from_lookup(lookup(&vars)) {
                Err(ConfigError::Invalid { field: got, .. }) => assert_eq!(got, field, "{variable}={value}"),
                other => panic!("{variable}={value}: expected an invalid setting, got {other:?}"),
            }
        }
    }

    #[test]
    fn deadlines_are_refused_below_the_minimum_and_capped_above_the_maximum() {
        let build = |timeout| {
            Config::builder()
                .merchant_no("0000000001")
                .app_secret("s")
                .base_url("https://gateway.example/taiwan")
                .timeout(timeout)
                .build()
                .map(|config| config.timeout())
        };
        for short in [Duration::ZERO, Duration::from_nanos(1), Duration::from_micros(999), Duration::from_millis(9)] {
            assert!(matches!(build(short), Err(ConfigError::Invalid { field: "timeout", .. })), "{short:?}");
        }
        assert_eq!(build(Config::MIN_TIMEOUT), Ok(Config::MIN_TIMEOUT));
        assert_eq!(build(Config::MAX_TIMEOUT), Ok(Config::MAX_TIMEOUT));
        assert_eq!(build(Duration::MAX), Ok(Config::MAX_TIMEOUT));
    }

    fn base(base_url: &str) -> ConfigBuilder {
        Config::builder().merchant_no("0000000001").app_secret("s").base_url(base_url)
    }

    #[test]
    fn a_configuration_serves_the_region_its_base_url_names() {
        let config = |base_url| base(base_url).build().expect("valid");
        assert!(config("https://gateway.example/taiwan").serves_region("taiwan"));
        assert!(config("https://gateway.example/taiwan/").serves_region("taiwan"));
        assert!(config("https://gateway.example/v2/southkorea").serves_region("southkorea"));
        assert!(!config("https://gateway.example/taiwan").serves_region("japan"));
        assert!(!config("https://gateway.example/taiwan").serves_region("Taiwan"));
        assert_eq!(config("https://gateway.example/taiwan").region(), "taiwan");
    }

    #[test]
    fn a_region_of_your_own_specs_is_named_with_own_region() {
        let builder =
            || Config::builder().merchant_no("0000000001").app_secret("k").base_url("https://gw.example/testland");
        assert!(builder().build().is_err(), "not a region of the SDK's spec files");
        let config = builder().own_region("testland").build().expect("a region of one's own");
        assert!(config.serves_region("testland") && !config.serves_region("taiwan"));
        for bad in ["", "Testland", "test-land", "test land"] {
            let error = builder().own_region(bad).build().expect_err(bad);
            assert!(matches!(error, ConfigError::Invalid { field: "own_region", .. }), "{bad:?}: {error}");
        }
        let both = builder().own_region("testland").region("taiwan").build().expect_err("both");
        assert!(matches!(both, ConfigError::Invalid { field: "own_region", .. }), "{both}");
    }

    /// The region is one whole path segment, compared to the byte: a query,
    /// a fragment, another spelling or a suffix never names it.
    #[test]
    fn a_base_url_that_does_not_name_a_region_exactly_is_refused() {
        for base_url in [
            "https://gateway.example",
            "https://gateway.example/",
            "https://gateway.example/TAIWAN",
            "https://gateway.example/Taiwan",
            "https://gateway.example/taiwan-usd",
            "https://gateway.example/cambodia-usd",
            "https://gateway.example/taiw%61n",
            "https://gateway.example/taiwan/v1",
        ] {
            let error = base(base_url).build().err();
            assert!(matches!(error, Some(ConfigError::Invalid { field: "base_url", .. })), "{base_url}: {error:?}");
        }
        for base_url in [
            "http://h/japan/v1/vexora/queryPayInResult?r=/taiwan",
            "http://h/japan?/taiwan",
            "http://h/japan#/taiwan",
            "https://gateway.example/taiwan?",
            "https://gateway.example/taiwan#top",
        ] {
            match base(base_url).build() {
                Err(ConfigError::Invalid { field: "base_url", reason }) => {
                    assert!(reason.contains("query"), "{reason}")
                }
                other => panic!("{base_url}: expected a refused base URL, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_named_region_serves_a_segment_vexora_spells_otherwise() {
        let config = base("https://gateway.example/SouthKorea").region("southkorea").build().expect("valid");
        assert!(config.serves_region("southkorea"));
        assert!(!config.serves_region("taiwan"));
        assert_eq!(config.base_url(), "https://gateway.example/SouthKorea");
        for unknown in ["SouthKorea", "atlantis", ""] {
            let error = base("https://gateway.example/SouthKorea").region(unknown).build().err();
            assert!(matches!(error, Some(ConfigError::Invalid { field: "region", .. })), "{unknown}: {error:?}");
        }
        let from_env = Config::from_lookup(lookup(&[
            ("VEXORA_MERCHANT_NO", "0000000001"),
            ("VEXORA_APP_SECRET", "s"),
            ("VEXORA_BASE_URL", "https://gateway.example/Australia"),
            ("VEXORA_REGION", "australia"),
        ]));
        assert!(from_env.is_ok_and(|config| config.serves_region("australia")));
    }

    #[test]
    fn credentials_are_found_only_before_the_host() {
        assert!(has_credentials("https://u:p@gateway.example/taiwan"));
        assert!(has_credentials("http://u@gateway.example"));
        assert!(!has_credentials("https://gateway.example/taiwan?to=a@b"));
        assert!(!has_credentials("https://gateway.example/a@b"));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let config = Config::from_lookup(lookup(&GOOD)).unwrap();
        assert!(!format!("{config:?}").contains("s3cr3t"));
        let builder = Config::builder().app_secret("s3cr3t");
        assert!(!format!("{builder:?}").contains("s3cr3t"));
    }
}
