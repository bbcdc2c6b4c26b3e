//! Why the sandbox could not start: errors of its configuration, of its
//! spec files and of the machine it runs on.

/// A sandbox that cannot start, and why.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// A spec file could not be read or parsed.
    #[error(transparent)]
    Spec(#[from] vexora_spec::SpecError),
    /// No spec file was found.
    #[error("no endpoint descriptions found in {0}")]
    NoSpecs(String),
    /// A spec's rules cannot be applied (unknown type or format, bad pattern).
    #[error("unusable spec rule: {0}")]
    Rule(#[from] RuleError),
    /// A spec's region or path cannot be served as a route.
    #[error("cannot route {region}/{path}: {reason}")]
    Route {
        /// The spec's region slug.
        region: String,
        /// The spec's path.
        path: String,
        /// Why.
        reason: String,
    },
    /// The configuration is unusable.
    #[error("invalid sandbox configuration: {0}")]
    Config(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// No tokio runtime to run on: [`Sandbox::start`](crate::Sandbox::start)
    /// was called outside one, or the background runtime of
    /// [`Sandbox::spawn`](crate::Sandbox::spawn) could not be started.
    #[error("cannot start the sandbox's runtime: {0}")]
    Runtime(std::io::Error),
}

/// A spec that the validator cannot apply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{endpoint}: field {field}: {message}")]
pub struct RuleError {
    /// `region/name` of the endpoint.
    pub endpoint: String,
    /// The field whose rules are unusable.
    pub field: String,
    /// What is wrong.
    pub message: String,
}
