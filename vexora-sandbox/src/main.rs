//! `vexora-sandbox`: runs the local gateway until interrupted.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use vexora_sandbox::{Sandbox, SandboxConfig};

const USAGE: &str = "\
Usage: vexora-sandbox [OPTIONS]

A local stand-in for the Vexora payment gateway.

Options:
  --addr ADDR               listen address (default 127.0.0.1:0: a free port)
  --merchant NO:SECRET      a merchant number and its app secret; repeatable
                            (default: the sandbox-only test merchant
                            0000000001:test-app-secret-123)
  --spec-dir DIR            endpoint descriptions (default: the workspace's
                            spec/, else the copy built into the binary)
  --time-scale X            multiply notification retry waits by X
                            (e.g. 0.001: 2 s becomes 2 ms; default 1)
  --notify-timeout-ms MS    timeout of one notification attempt (default 10000)
  -h, --help                show this help
  -V, --version             show the version
";

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(Some(config)) => config,
        Ok(None) => return ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("vexora-sandbox: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("vexora-sandbox: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(config))
}

async fn run(config: SandboxConfig) -> ExitCode {
    let sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("vexora-sandbox: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", sandbox.banner());
    println!("Press Ctrl-C to stop.");
    // Runs until the process is interrupted; nothing needs flushing on exit.
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}

/// The configuration the arguments ask for; `None` after `--help`/`--version`.
fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<SandboxConfig>, String> {
    let mut config = SandboxConfig::default();
    let mut merchants = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name.to_owned(), Some(value.to_owned())),
            _ => (arg, None),
        };
        let mut value = || inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"));
        match name.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(None);
            }
            "-V" | "--version" => {
                println!("vexora-sandbox {}", env!("CARGO_PKG_VERSION"));
                return Ok(None);
            }
            "--addr" => {
                let text = value()?;
                config.addr = text.parse::<SocketAddr>().map_err(|_| format!("--addr: not an address: {text}"))?;
            }
            "--merchant" => {
                let text = value()?;
                let (no, secret) = text
                    .split_once(':')
                    .filter(|(no, secret)| !no.is_empty() && !secret.is_empty())
                    .ok_or("--merchant: expected NO:SECRET")?;
                merchants.push((no.to_owned(), secret.to_owned()));
            }
            "--spec-dir" => config.spec_dir = Some(PathBuf::from(value()?)),
            "--time-scale" => {
                let text = value()?;
                config.time_scale = text
                    .parse::<f64>()
                    .ok()
                    .filter(|scale| scale.is_finite() && *scale >= 0.0)
                    .ok_or_else(|| format!("--time-scale: not a number >= 0: {text}"))?;
            }
            "--notify-timeout-ms" => {
                let text = value()?;
                let millis = text.parse::<u64>().map_err(|_| format!("--notify-timeout-ms: not a number: {text}"))?;
                config.notify_timeout = Duration::from_millis(millis);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if !merchants.is_empty() {
        config = config.merchants(merchants);
    }
    Ok(Some(config))
}

#[cfg(test)]
mod tests {
    use super::*;
    use vexora_sandbox::{TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};

    fn parse(args: &[&str]) -> Result<Option<SandboxConfig>, String> {
        parse_args(args.iter().map(|arg| (*arg).to_owned()))
    }

    #[test]
    fn parses_every_option() {
        let config = parse(&[
            "--addr",
            "127.0.0.1:8080",
            "--merchant",
            "0000000002:s2",
            "--merchant=0000000003:s:3",
            "--spec-dir",
            "spec",
            "--time-scale=0.001",
            "--notify-timeout-ms",
            "500",
        ])
        .expect("valid")
        .expect("not help");
        assert_eq!(config.addr, "127.0.0.1:8080".parse().expect("an address"));
        assert_eq!(
            config.merchants,
            [("0000000002".to_owned(), "s2".to_owned()), ("0000000003".to_owned(), "s:3".to_owned())]
        );
        assert_eq!(config.spec_dir, Some(PathBuf::from("spec")));
        assert_eq!(config.time_scale, 0.001);
        assert_eq!(config.notify_timeout, Duration::from_millis(500));
    }

    #[test]
    fn defaults_to_the_test_merchant() {
        let config = parse(&[]).expect("valid").expect("not help");
        assert_eq!(config.merchants, [(TEST_MERCHANT_NO.to_owned(), TEST_MERCHANT_SECRET.to_owned())]);
    }

    #[test]
    fn names_bad_arguments() {
        for (args, message) in [
            (&["--addr", "nope"][..], "--addr"),
            (&["--merchant", "nosecret"], "NO:SECRET"),
            (&["--merchant", ":s"], "NO:SECRET"),
            (&["--time-scale", "-1"], "--time-scale"),
            (&["--time-scale"], "needs a value"),
            (&["--frobnicate"], "unknown argument"),
        ] {
            let error = parse(args).expect_err("refused");
            assert!(error.contains(message), "{error} should contain {message}");
        }
    }
}
