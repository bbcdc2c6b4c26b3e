//! The sandbox's command-line options, shared by the `vexora-sandbox` binary
//! and `vexora sandbox` so the two cannot drift apart.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::server::config::{self, SandboxConfig};

/// How to start a sandbox from a command line; flatten it into a
/// `clap::Parser` and turn it into a [`SandboxConfig`] with
/// [`config`](Self::config), or start it with [`serve`](Self::serve).
///
/// ```
/// use clap::Parser;
/// use vexora_sandbox::SandboxOptions;
///
/// #[derive(Parser)]
/// struct Cli {
///     #[command(flatten)]
///     sandbox: SandboxOptions,
/// }
///
/// let cli = Cli::try_parse_from(["app", "--merchant", "0000000002:s2", "--time-scale", "0.001"])?;
/// let config = cli.sandbox.config();
/// assert_eq!(config.merchants, [("0000000002".to_owned(), "s2".to_owned())]);
/// assert_eq!(config.time_scale, 0.001);
/// # Ok::<(), clap::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, clap::Args)]
pub struct SandboxOptions {
    /// Listen address; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub addr: SocketAddr,
    /// A merchant number and its app secret; repeatable. Default: the
    /// sandbox-only test merchant 0000000001:test-app-secret-123.
    #[arg(long = "merchant", value_name = "NO:SECRET", value_parser = merchant)]
    pub merchants: Vec<(String, String)>,
    /// Whole units a merchant starts with for payouts; repeatable.
    #[arg(long = "opening-balance", value_name = "NO:AMOUNT", value_parser = opening_balance)]
    pub opening_balances: Vec<(String, u64)>,
    /// A request field judged by PATTERN instead of its documented pattern
    /// (as a merchant's field_rule in the SDK); repeatable, e.g.
    /// taiwan/payout:bankCode:^\d{3,4}$
    #[arg(long = "field-pattern", value_name = "SPEC:FIELD:PATTERN", value_parser = field_pattern)]
    pub field_patterns: Vec<(String, String, String)>,
    /// A host name (or IP address) requests may name in their Host header,
    /// besides `127.0.0.1`, `localhost` and `[::1]`; repeatable. Any other Host is
    /// refused, so a web page cannot reach the sandbox by DNS rebinding.
    #[arg(long = "allowed-host", value_name = "NAME", value_parser = allowed_host)]
    pub allowed_hosts: Vec<String>,
    /// Also serve REGION's endpoints under /SEGMENT, for a base URL that
    /// names the region otherwise (e.g. Australia=australia); repeatable.
    #[arg(long = "region-path", value_name = "SEGMENT=REGION", value_parser = region_path)]
    pub region_paths: Vec<(String, String)>,
    /// Folder of endpoint descriptions. Default: the workspace's spec/, else
    /// the copy built into the binary.
    #[arg(long, value_name = "DIR")]
    pub spec_dir: Option<PathBuf>,
    /// Multiplies notification retry waits (0.001 turns 2 s into 2 ms).
    #[arg(long, value_name = "X", default_value = "1", value_parser = time_scale)]
    pub time_scale: f64,
    /// Timeout of one notification attempt, in milliseconds.
    #[arg(long, value_name = "MS", default_value = "10000")]
    pub notify_timeout_ms: u64,
    /// Never send this percentage of the notifications (0-100), as a
    /// gateway that loses them; which ones is drawn from --fault-seed.
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub lose_notifications: Option<u8>,
    /// The seed the lost notifications are drawn from, so a run can be replayed.
    #[arg(long, value_name = "SEED", default_value = "0")]
    pub fault_seed: u64,
}

impl SandboxOptions {
    /// The configuration these options ask for, defaults elsewhere.
    pub fn config(&self) -> SandboxConfig {
        let mut config = SandboxConfig::default()
            .addr(self.addr)
            .time_scale(self.time_scale)
            .notify_timeout(Duration::from_millis(self.notify_timeout_ms));
        if !self.merchants.is_empty() {
            config = config.merchants(self.merchants.iter().cloned());
        }
        if let Some(dir) = &self.spec_dir {
            config = config.spec_dir(dir);
        }
        for (merchant_no, amount) in &self.opening_balances {
            config = config.opening_balance(merchant_no, *amount);
        }
        for (spec, field, pattern) in &self.field_patterns {
            config = config.field_pattern(spec, field, pattern);
        }
        for name in &self.allowed_hosts {
            config = config.allowed_host(name);
        }
        for (segment, region) in &self.region_paths {
            config = config.region_path(segment, region);
        }
        if let Some(percent) = self.lose_notifications {
            config = config.lose_notifications(percent, self.fault_seed);
        }
        config
    }
}

/// `NO:SECRET`, both parts non-empty (the secret may contain `:`).
fn merchant(text: &str) -> Result<(String, String), String> {
    text.split_once(':')
        .filter(|(no, secret)| !no.is_empty() && !secret.is_empty())
        .map(|(no, secret)| (no.to_owned(), secret.to_owned()))
        .ok_or_else(|| "expected NO:SECRET, both non-empty".to_owned())
}

/// `NO:AMOUNT`, the amount in whole units.
fn opening_balance(text: &str) -> Result<(String, u64), String> {
    text.split_once(':')
        .filter(|(no, _)| !no.is_empty())
        .and_then(|(no, amount)| Some((no.to_owned(), amount.parse().ok()?)))
        .ok_or_else(|| "expected NO:AMOUNT, the amount in whole units".to_owned())
}

/// `SPEC:FIELD:PATTERN`, each part non-empty (the pattern may contain `:`).
fn field_pattern(text: &str) -> Result<(String, String, String), String> {
    let mut parts = text.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(spec), Some(field), Some(pattern)) if !spec.is_empty() && !field.is_empty() && !pattern.is_empty() => {
            Ok((spec.to_owned(), field.to_owned(), pattern.to_owned()))
        }
        _ => Err("expected SPEC:FIELD:PATTERN, e.g. taiwan/payout:bankCode:^\\d{3,4}$".to_owned()),
    }
}

/// `SEGMENT=REGION`, both non-empty (the rest is checked at start, against
/// the specs).
fn region_path(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .filter(|(segment, region)| !segment.is_empty() && !region.is_empty())
        .map(|(segment, region)| (segment.to_owned(), region.to_owned()))
        .ok_or_else(|| "expected SEGMENT=REGION, e.g. Australia=australia".to_owned())
}

/// A host name or IP address without a port.
fn allowed_host(text: &str) -> Result<String, String> {
    config::check_host_name(text).map(|()| text.to_owned())
}

/// A finite, non-negative factor.
fn time_scale(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|scale| scale.is_finite() && *scale >= 0.0)
        .ok_or_else(|| "expected a number >= 0, e.g. 0.001".to_owned())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::{TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        options: SandboxOptions,
    }

    fn parse(args: &[&str]) -> Result<SandboxConfig, String> {
        Cli::try_parse_from(std::iter::once("sandbox").chain(args.iter().copied()))
            .map(|cli| cli.options.config())
            .map_err(|error| error.to_string())
    }

    #[test]
    fn parses_every_option() {
        let config = parse(&[
            "--addr",
            "127.0.0.1:8080",
            "--merchant",
            "0000000002:s2",
            "--merchant=0000000003:s:3",
            "--opening-balance",
            "0000000002:5000",
            "--spec-dir",
            "spec",
            "--time-scale=0.001",
            "--notify-timeout-ms",
            "500",
            "--field-pattern",
            "taiwan/payout:bankCode:^(?:\\d{3}|\\d{4})$",
            "--allowed-host",
            "sandbox.test",
            "--allowed-host=10.0.0.5",
            "--region-path",
            "Australia=australia",
            "--region-path=TW=taiwan",
        ])
        .expect("valid");
        assert_eq!(config.addr, "127.0.0.1:8080".parse().expect("an address"));
        assert_eq!(
            config.merchants,
            [("0000000002".to_owned(), "s2".to_owned()), ("0000000003".to_owned(), "s:3".to_owned())]
        );
        assert_eq!(config.opening_balances, [("0000000002".to_owned(), 5000)]);
        assert_eq!(config.spec_dir, Some(PathBuf::from("spec")));
        assert_eq!(config.time_scale, 0.001);
        assert_eq!(config.notify_timeout, Duration::from_millis(500));
        assert_eq!(config.allowed_hosts, ["sandbox.test", "10.0.0.5"]);
        assert_eq!(
            config.region_paths,
            [("Australia".to_owned(), "australia".to_owned()), ("TW".to_owned(), "taiwan".to_owned())]
        );
        assert_eq!(
            config.field_patterns,
            [("taiwan/payout".to_owned(), "bankCode".to_owned(), "^(?:\\d{3}|\\d{4})$".to_owned())]
        );
    }

    #[test]
    fn defaults_match_the_library_defaults() {
        let config = parse(&[]).expect("valid");
        let library = SandboxConfig::default();
        assert_eq!(config.merchants, [(TEST_MERCHANT_NO.to_owned(), TEST_MERCHANT_SECRET.to_owned())]);
        assert_eq!(config.addr, library.addr);
        assert_eq!(config.time_scale, library.time_scale);
        assert_eq!(config.notify_timeout, library.notify_timeout);
        assert_eq!(config.spec_dir, None);
    }

    #[test]
    fn names_the_option_and_the_rule() {
        for (args, option, rule) in [
            (&["--addr", "nope"][..], "--addr", "invalid socket address"),
            (&["--merchant", "nosecret"], "--merchant", "NO:SECRET"),
            (&["--merchant", ":s"], "--merchant", "NO:SECRET"),
            (&["--opening-balance", "0000000002:lots"], "--opening-balance", "NO:AMOUNT"),
            (&["--time-scale", "NaN"], "--time-scale", ">= 0"),
            (&["--field-pattern", "taiwan/payout:bankCode"], "--field-pattern", "SPEC:FIELD:PATTERN"),
            (&["--time-scale=-1"], "--time-scale", ">= 0"),
            (&["--allowed-host", "sandbox.test:80"], "--allowed-host", "without a port"),
            (&["--region-path", "Australia"], "--region-path", "SEGMENT=REGION"),
            (&["--region-path", "=australia"], "--region-path", "SEGMENT=REGION"),
            (&["--notify-timeout-ms", "soon"], "--notify-timeout-ms", "invalid digit"),
            (&["--frobnicate"], "--frobnicate", "unexpected argument"),
        ] {
            let error = parse(args).expect_err("refused");
            assert!(error.contains(option) && error.contains(rule), "{error:?} should name {option} and {rule}");
        }
    }
}
