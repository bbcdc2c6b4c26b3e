//! The model of one spec file, and the checks of a spec on its own and of
//! a set of specs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{CallKind, EndpointKind, Kind, MoneyFlow};

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
    /// What kind of operation it is: a kind the SDK knows, which implies
    /// what it does, or a new one, whose spec says it.
    pub kind: Kind,
    /// Whether the client may resend it after an ambiguous failure.
    pub call: CallKind,
    /// Which way it moves money: implied by a known kind, stated for a new
    /// one.
    #[serde(default)]
    pub money: Option<MoneyFlow>,
    /// For a `create`: the request fields that identify what it makes.
    /// Implied by a known kind, stated for a new one.
    #[serde(default)]
    pub keys: Option<Vec<String>>,
    /// The name of the request struct in the region's module.
    pub request: String,
    /// For a `create`: the `name` of the read endpoint of the same region
    /// that finds what it created by its keys, after an unknown outcome.
    #[serde(default)]
    pub reconcile_with: Option<String>,
    /// For a `create` that no read can find afterwards: why. Such a create
    /// is never sent again after an unknown outcome.
    #[serde(default)]
    pub unfindable: Option<String>,
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
    /// Values the field's rules must accept and refuse: required for every
    /// `pattern` and `custom` rule, and checked against both validators.
    #[serde(default)]
    pub samples: Option<Samples>,
}

/// `samples = { valid = [...], invalid = [...] }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Samples {
    /// Values every rule of the field accepts.
    pub valid: Vec<String>,
    /// Values some rule of the field refuses.
    pub invalid: Vec<String>,
}

impl FieldSpec {
    /// Whether the merchant provides this field (not `sign`/`timestamp`).
    pub fn is_merchant_supplied(&self) -> bool {
        self.supplied_by.is_none()
    }
}

/// `required_if = { field, equals = "A" }` or
/// `required_if = { field, one_of = ["A", "B"] }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Wire name of the field the condition reads.
    pub field: String,
    /// The value that makes the field required.
    #[serde(default)]
    pub equals: Option<String>,
    /// Values any of which makes the field required.
    #[serde(default)]
    pub one_of: Vec<String>,
}

impl Condition {
    /// The values that make the field required: `equals`, or `one_of`.
    pub fn values(&self) -> Vec<&str> {
        self.equals.iter().chain(&self.one_of).map(String::as_str).collect()
    }

    /// Whether `value` (the other field's wire text) makes the field required.
    pub fn holds_for(&self, value: &str) -> bool {
        self.values().contains(&value)
    }

    /// What is wrong with the condition itself, if anything.
    pub(crate) fn problem(&self) -> Option<&'static str> {
        match (&self.equals, self.one_of.as_slice()) {
            (Some(_), [_, ..]) => Some("gives both `equals` and `one_of`: give one"),
            (None, []) => Some("gives no value: add `equals = \"...\"` or `one_of = [...]`"),
            _ if self.values().contains(&"") => {
                Some("compares with \"\", which an empty (absent) field never has: compare with non-empty values")
            }
            _ => None,
        }
    }
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
    /// The smallest amount, as decimal text (`"100"`).
    #[serde(default)]
    pub min_amount: Option<String>,
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
    /// Two files describe one route: wherever routes are keyed by region
    /// and path, one would silently replace the other.
    #[error("{first} and {second} both describe {path} in {region}: keep one file")]
    SameRoute {
        /// The region.
        region: String,
        /// The path below the base URL.
        path: String,
        /// The file read first.
        first: PathBuf,
        /// The file that describes the same route again.
        second: PathBuf,
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

    /// `region/name`, how a struct names its spec.
    pub fn id(&self) -> String {
        format!("{}/{}", self.endpoint.region, self.endpoint.name)
    }

    /// Which way it moves money: what the spec states, or its known kind's
    /// (a new kind that states nothing is a problem of the spec).
    pub fn money(&self) -> MoneyFlow {
        let implied = self.endpoint.kind.known().map(EndpointKind::money);
        self.endpoint.money.or(implied).unwrap_or(MoneyFlow::None)
    }

    /// Whether sending it twice could charge or pay twice: it moves money,
    /// or its path is one that moves money whatever the spec says.
    pub fn moves_money(&self) -> bool {
        self.money() != MoneyFlow::None || crate::kind::MONEY_MOVING_PATHS.contains(&self.endpoint.path.as_str())
    }

    /// The wire names of the request fields that identify what a create
    /// makes, or what a read reads: stated, or its known kind's; a read of
    /// a new kind is identified by all the fields the merchant gives.
    pub fn keys(&self) -> Vec<&str> {
        if let Some(keys) = &self.endpoint.keys {
            return keys.iter().map(String::as_str).collect();
        }
        match (self.endpoint.kind.known(), self.endpoint.call) {
            (Some(kind), _) => kind.keys().to_vec(),
            (None, CallKind::Read) => self.merchant_fields().collect(),
            (None, CallKind::Create) => Vec::new(),
        }
    }

    /// Why no read can find what this create makes, if none can: stated,
    /// or its known kind's.
    pub fn unfindable_because(&self) -> Option<&str> {
        let implied = self.endpoint.kind.known().and_then(EndpointKind::unfindable_because);
        self.endpoint.unfindable.as_deref().or(implied)
    }

    /// The wire names of the request fields the merchant gives (all but
    /// `sign` and `timestamp`).
    pub fn merchant_fields(&self) -> impl Iterator<Item = &str> {
        self.request.iter().filter(|field| field.is_merchant_supplied()).map(|field| field.name.as_str())
    }
}

/// The Rust module of a region: its slug in snake case (`taiwan`,
/// `SouthKorea` → `south_korea`).
pub fn module_name(region: &str) -> String {
    let mut name = String::with_capacity(region.len() + 2);
    for (i, c) in region.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                name.push('_');
            }
            name.push(c.to_ascii_lowercase());
        } else {
            name.push(c);
        }
    }
    name
}

/// Every spec under `root` (`<root>/<region>/<endpoint>.toml`), keyed by
/// `(region, path)`. Two files with one region and path are
/// [`SpecError::SameRoute`], naming both.
pub fn load_all(root: &Path) -> Result<BTreeMap<(String, String), EndpointSpec>, SpecError> {
    parse_all(&read_all(root)?)
}

/// The path and text of every `<region>/<name>.toml` under `root`, in path
/// order: what [`load_all`] parses. A caller that keeps what it parsed
/// compares these to know whether a folder changed.
pub fn read_all(root: &Path) -> Result<Vec<(PathBuf, String)>, SpecError> {
    let read_dir =
        |dir: &Path| std::fs::read_dir(dir).map_err(|source| SpecError::Read { path: dir.to_owned(), source });
    let mut files = Vec::new();
    for region in read_dir(root)? {
        let region = region.map_err(|source| SpecError::Read { path: root.to_owned(), source })?.path();
        if !region.is_dir() {
            continue;
        }
        for file in read_dir(&region)? {
            let file = file.map_err(|source| SpecError::Read { path: region.clone(), source })?.path();
            if file.extension().is_some_and(|ext| ext == "toml") {
                let text =
                    std::fs::read_to_string(&file).map_err(|source| SpecError::Read { path: file.clone(), source })?;
                files.push((file, text));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Parses the files [`read_all`] read, with the checks of [`load_all`]: each
/// file is named for its region and endpoint, and no two share a route.
pub fn parse_all(files: &[(PathBuf, String)]) -> Result<BTreeMap<(String, String), EndpointSpec>, SpecError> {
    let mut specs = BTreeMap::new();
    let mut routes: BTreeMap<(String, String), &Path> = BTreeMap::new();
    for (file, text) in files {
        let spec = EndpointSpec::parse(text, file)?;
        let region = file.parent().and_then(Path::file_name);
        if (region, file.file_stem()) != (Some(spec.endpoint.region.as_ref()), Some(spec.endpoint.name.as_ref())) {
            let message = format!(
                "a spec file is spec/<region>/<name>.toml: this one says region {:?}, name {:?}",
                spec.endpoint.region, spec.endpoint.name
            );
            return Err(SpecError::Parse { path: file.clone(), message });
        }
        let route = (spec.endpoint.region.clone(), spec.endpoint.path.clone());
        if let Some(first) = routes.insert(route.clone(), file) {
            // Files are in path order, so the two are named in a stable order.
            let (region, path) = route;
            return Err(SpecError::SameRoute { region, path, first: first.to_owned(), second: file.clone() });
        }
        specs.insert(route, spec);
    }
    Ok(specs)
}

/// The workspace's spec folder, `spec/` at its top (for tests and tools
/// run from the workspace).
pub fn workspace_spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("spec")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_files_are_the_workspace_spec_files() {
        let on_disk = load_all(&workspace_spec_dir()).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(crate::FILES.len(), on_disk.len());
        for (path, text) in crate::FILES {
            let embedded = EndpointSpec::parse(text, Path::new(path)).unwrap_or_else(|error| panic!("{error}"));
            assert_eq!(format!("{}.toml", embedded.id()), *path);
            let key = (embedded.endpoint.region.clone(), embedded.endpoint.path.clone());
            assert_eq!(on_disk.get(&key), Some(&embedded), "{path}");
        }
    }

    #[test]
    fn region_modules_are_snake_case() {
        assert_eq!(module_name("taiwan"), "taiwan");
        assert_eq!(module_name("SouthKorea"), "south_korea");
        assert_eq!(module_name("Cambodia"), "cambodia");
    }

    #[test]
    fn read_all_reads_region_folders_in_path_order() {
        let root = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let write = |path: &str, text: &str| {
            let path = root.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap_or(root.path())).unwrap_or_else(|error| panic!("{error}"));
            std::fs::write(path, text).unwrap_or_else(|error| panic!("{error}"));
        };
        write("taiwan/payout.toml", "b");
        write("taiwan/checkout.toml", "a");
        write("argentina/payout.toml", "c");
        write("taiwan/README.md", "not a spec");
        write("loose.toml", "not in a region folder");
        let files = read_all(root.path()).unwrap_or_else(|error| panic!("{error}"));
        let read: Vec<(PathBuf, &str)> = files.iter().map(|(path, text)| (path.clone(), text.as_str())).collect();
        assert_eq!(
            read,
            [
                (root.path().join("argentina/payout.toml"), "c"),
                (root.path().join("taiwan/checkout.toml"), "a"),
                (root.path().join("taiwan/payout.toml"), "b"),
            ]
        );
    }

    #[test]
    fn two_files_for_one_route_do_not_load() {
        let root = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let region = root.path().join("philippines");
        std::fs::create_dir(&region).unwrap_or_else(|error| panic!("{error}"));
        let file = |name: &str, request: &str| {
            format!(
                "[endpoint]\nregion = \"philippines\"\nname = \"{name}\"\nmethod = \"POST\"\n\
                 path = \"/v1/vexora/balance\"\nsource = \"s\"\ndescription = \"d\"\nkind = \"balance\"\n\
                 call = \"read\"\nrequest = \"{request}\"\n"
            )
        };
        for (name, request) in [("balance", "BalanceRequest"), ("balance-again", "OtherRequest")] {
            std::fs::write(region.join(format!("{name}.toml")), file(name, request))
                .unwrap_or_else(|error| panic!("{error}"));
        }
        let error = load_all(root.path()).expect_err("two files for one route");
        let (first, second) = (region.join("balance-again.toml"), region.join("balance.toml"));
        assert_eq!(
            error.to_string(),
            format!(
                "{} and {} both describe /v1/vexora/balance in philippines: keep one file",
                first.display(),
                second.display()
            )
        );
    }
}
