//! The built `vexora-sandbox` binary: help, version, usage errors, serving.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

const SANDBOX: &str = env!("CARGO_BIN_EXE_vexora-sandbox");

fn run(args: &[&str]) -> Output {
    Command::new(SANDBOX).args(args).output().expect("the binary runs")
}

#[test]
fn help_and_version_exit_0() {
    for flag in ["--help", "-h"] {
        let help = run(&[flag]);
        assert_eq!(help.status.code(), Some(0));
        let text = String::from_utf8_lossy(&help.stdout);
        for option in ["--addr <ADDR>", "--merchant <NO:SECRET>", "--opening-balance <NO:AMOUNT>", "--time-scale <X>"] {
            assert!(text.contains(option), "{flag} lacks {option}:\n{text}");
        }
    }
    let version = run(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("vexora-sandbox {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2_and_name_the_option() {
    let error = run(&["--time-scale", "fast"]);
    assert_eq!(error.status.code(), Some(2));
    let text = String::from_utf8_lossy(&error.stderr);
    assert!(text.contains("--time-scale") && text.contains(">= 0"), "{text}");
}

#[test]
fn serves_until_stopped() {
    let mut child = Command::new(SANDBOX)
        .args(["--addr", "127.0.0.1:0", "--merchant", "0000000009:another-secret"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("a banner");
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.starts_with("vexora sandbox listening on http://127.0.0.1:"), "{first}");
}

#[test]
fn a_closed_stdout_does_not_stop_it() {
    let mut child = Command::new(SANDBOX)
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    // The reader goes away before the banner is written (`| head -0`).
    drop(child.stdout.take());
    std::thread::sleep(std::time::Duration::from_millis(500));
    let still_running = child.try_wait().expect("its state").is_none();
    let _ = child.kill();
    let output = child.wait_with_output().expect("stopped");
    assert!(still_running, "it stopped: {}", String::from_utf8_lossy(&output.stderr));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}
