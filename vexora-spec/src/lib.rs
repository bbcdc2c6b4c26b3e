//! The model of `spec/<region>/<endpoint>.toml` (format: `spec/README.md`).
//!
//! Read by the conformance tests and by the sandbox; it knows nothing about
//! the SDK's structs, so both can judge them independently.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One endpoint of one region.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointSpec {
    /// What and where.
    pub endpoint: EndpointInfo,
    /// HTTP headers.
    #[serde(default)]
    pub headers: Vec<FieldSpec>,
    /// Request body fields, in the document's order.
    #[serde(default)]
    pub request: Vec<FieldSpec>,
    /// Response envelope fields.
    #[serde(default)]
    pub response: Vec<FieldSpec>,
    /// Fields of the response's `data` object.
    #[serde(default)]
    pub data: Vec<FieldSpec>,
}

/// The endpoint's identity.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointInfo {
    /// Region slug, e.g. `taiwan`.
    pub region: String,
    /// Endpoint name, e.g. `checkout`.
    pub name: String,
    /// HTTP method.
    pub method: String,
    /// Path below the base URL.
    pub path: String,
    /// The document transcribed.
    pub source: String,
    /// What the endpoint does.
    pub description: String,
}

/// One field, header or envelope member.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Wire name.
    pub name: String,
    /// Always required.
    pub required: bool,
    /// Required when another field has a value.
    #[serde(default)]
    pub required_if: Option<Condition>,
    /// Wire type (`string`, `decimal`, `status`, ...).
    #[serde(rename = "type")]
    pub ty: String,
    /// `client` for fields the SDK fills in (`sign`, `timestamp`).
    #[serde(default)]
    pub supplied_by: Option<String>,
    /// Rules for a present value.
    #[serde(default)]
    pub rules: Rules,
    /// Other names the gateway is seen to use.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A value from the document's example.
    #[serde(default)]
    pub example: Option<String>,
    /// The provider's description.
    pub description: String,
    /// Where the SDK decided something the document leaves open.
    #[serde(default)]
    pub notes: Option<String>,
}

impl FieldSpec {
    /// Whether the merchant provides this field (not `sign`/`timestamp`).
    pub fn is_merchant_supplied(&self) -> bool {
        self.supplied_by.is_none()
    }
}

/// `required_if = { field, equals }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Wire name of the field the condition reads.
    pub field: String,
    /// The value that makes the field required.
    pub equals: String,
}

/// The rules for a present value (see the table in `spec/README.md`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Fewest characters.
    #[serde(default)]
    pub min_length: Option<usize>,
    /// Most characters.
    #[serde(default)]
    pub max_length: Option<usize>,
    /// ASCII digits only.
    #[serde(default)]
    pub digits: bool,
    /// Whole-value pattern.
    #[serde(default)]
    pub pattern: Option<String>,
    /// `email`, `ip` or `http_url`.
    #[serde(default)]
    pub format: Option<String>,
    /// Allowed values.
    #[serde(default)]
    pub one_of: Option<Vec<String>>,
    /// A check written in Rust.
    #[serde(default)]
    pub custom: Option<CustomRule>,
}

/// `custom = { name, pattern }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomRule {
    /// The function's path in the request's module.
    pub name: String,
    /// What it accepts, for generic validators.
    pub pattern: String,
}

/// A spec file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid spec TOML.
    #[error("{path} is not a valid spec file: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
}

impl EndpointSpec {
    /// Parses spec TOML; `origin` names the text in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, SpecError> {
        toml::from_str(text).map_err(|e| SpecError::Parse { path: origin.to_owned(), message: e.to_string() })
    }

    /// Reads one spec file.
    pub fn load(path: &Path) -> Result<Self, SpecError> {
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read { path: path.to_owned(), source })?;
        Self::parse(&text, path)
    }

    /// A request field by wire name.
    pub fn request_field(&self, name: &str) -> Option<&FieldSpec> {
        self.request.iter().find(|field| field.name == name)
    }
}

/// Every spec under `root` (`<root>/<region>/<endpoint>.toml`), keyed by
/// `(region, path)`.
pub fn load_all(root: &Path) -> Result<BTreeMap<(String, String), EndpointSpec>, SpecError> {
    let mut specs = BTreeMap::new();
    let read_dir =
        |dir: &Path| std::fs::read_dir(dir).map_err(|source| SpecError::Read { path: dir.to_owned(), source });
    for region in read_dir(root)? {
        let region = region.map_err(|source| SpecError::Read { path: root.to_owned(), source })?.path();
        if !region.is_dir() {
            continue;
        }
        for file in read_dir(&region)? {
            let file = file.map_err(|source| SpecError::Read { path: region.clone(), source })?.path();
            if file.extension().is_some_and(|ext| ext == "toml") {
                let spec = EndpointSpec::load(&file)?;
                specs.insert((spec.endpoint.region.clone(), spec.endpoint.path.clone()), spec);
            }
        }
    }
    Ok(specs)
}

/// The workspace's `spec/` folder (for tests and tools run from the workspace).
pub fn workspace_spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("spec")
}
