//! `vexora sandbox`: runs the local gateway until interrupted.

use std::net::SocketAddr;

use vexora_sandbox::{Sandbox, SandboxConfig};

use crate::args::Invocation;
use crate::failure::Failure;

/// Starts the sandbox from the command's options and serves until Ctrl-C.
pub fn run(invocation: &Invocation) -> Result<String, Failure> {
    let config = config(invocation)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::failed(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let sandbox = Sandbox::start(config).await.map_err(|e| Failure::failed(e.to_string()))?;
        println!("{}", sandbox.banner());
        // Serves until the process is interrupted.
        std::future::pending::<Result<String, Failure>>().await
    })
}

/// The sandbox configuration from `--addr`, `--merchant`, `--spec-dir`, `--time-scale`.
fn config(invocation: &Invocation) -> Result<SandboxConfig, Failure> {
    let mut config = SandboxConfig::default();
    if let Some(addr) = invocation.value("addr") {
        let addr: SocketAddr = addr
            .parse()
            .map_err(|_| Failure::invalid(format!("--addr {addr:?} is not an address like 127.0.0.1:8080")))?;
        config = config.addr(addr);
    }
    let merchants = invocation
        .values("merchant")
        .iter()
        .map(|merchant| {
            merchant
                .split_once(':')
                .filter(|(no, secret)| !no.is_empty() && !secret.is_empty())
                .map(|(no, secret)| (no.to_owned(), secret.to_owned()))
                .ok_or_else(|| Failure::invalid(format!("--merchant {merchant:?} must be NO:SECRET")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if !merchants.is_empty() {
        config = config.merchants(merchants);
    }
    if let Some(dir) = invocation.value("spec-dir") {
        config = config.spec_dir(dir);
    }
    if let Some(scale) = invocation.value("time-scale") {
        let scale: f64 = scale
            .parse()
            .ok()
            .filter(|scale: &f64| scale.is_finite() && *scale >= 0.0)
            .ok_or_else(|| Failure::invalid(format!("--time-scale {scale:?} must be a number >= 0, e.g. 0.001")))?;
        config = config.time_scale(scale);
    }
    Ok(config)
}
