//! The checks the fuzz targets run, one module a target.
//!
//! Each `check` takes arbitrary bytes and panics only on a bug: a panic in
//! the SDK or the sandbox, or a broken property asserted here. The corpus
//! replay test (`tests/tests/sdk/fuzz_corpus_replay.rs`) compiles this file with
//! `#[path]` and runs the same functions on every committed corpus file, so
//! CI checks exactly what the fuzzers checked.
//!
//! Paths to shared items go through `super::`, so the modules compile both
//! as this crate and as a module of the test.

pub mod derive_validation;
pub mod notification_verify;
pub mod response_decode;
pub mod sandbox_request;

/// The sandbox's request handling, called without a socket or a runtime.
type Judge = Box<dyn Fn(&[(&str, &str, &[u8])]) -> Vec<vexora::transport::HttpResponse> + Send + Sync>;

/// The judge, built once and shared by the checks: loading the specs and
/// compiling their rules costs far more than judging a request.
fn judge() -> &'static Judge {
    static JUDGE: std::sync::OnceLock<Judge> = std::sync::OnceLock::new();
    JUDGE.get_or_init(|| match vexora_sandbox::offline_judge(&vexora_sandbox::SandboxConfig::default()) {
        Ok(judge) => Box::new(judge),
        Err(error) => panic!("the sandbox does not start: {error}"),
    })
}

/// The app secret every check signs with: the sandbox's test merchant's.
const SECRET: &str = "test-app-secret-123";

/// Lowercase hex MD5 of `canonical + secret`, with the md-5 crate directly,
/// not through the SDK's staged hasher, so the two check each other.
fn md5_hex(canonical: &str, secret: &str) -> String {
    use md5::{Digest, Md5};
    let digest = Md5::new().chain_update(canonical).chain_update(secret).finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `body` with `"key":"value"` added as its first member, if `body` starts
/// with `{` (after JSON whitespace); `None` otherwise. Whatever follows is
/// left as it is, number texts and all.
fn with_first_member(body: &[u8], key: &str, value: &str) -> Option<Vec<u8>> {
    let open = body.iter().position(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))?;
    if body[open] != b'{' {
        return None;
    }
    let rest = &body[open + 1..];
    let empty = rest.iter().find(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r')) == Some(&b'}');
    let mut out = format!("{{\"{key}\":\"{value}\"").into_bytes();
    if !empty {
        out.push(b',');
    }
    out.extend_from_slice(rest);
    Some(out)
}
