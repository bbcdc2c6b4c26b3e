//! The model of one spec file, and the checks of a spec on its own and of
//! a set of specs.

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
    /// What kind of operation it is: what the sandbox does with it, and
    /// whether it moves money.
    pub kind: EndpointKind,
    /// Whether the client may resend it after an ambiguous failure.
    pub call: CallKind,
    /// The name of the request struct in the region's module.
    pub request: String,
    /// For a `create`: the `name` of the read endpoint of the same region
    /// that finds what it created by `tradeNo`, after an unknown outcome.
    #[serde(default)]
    pub reconcile_with: Option<String>,
}

/// What an endpoint does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndpointKind {
    /// Creates a pay-in order and returns a hosted cashier link.
    Checkout,
    /// Creates a direct pay-in and returns payment instructions.
    Deposit,
    /// Sends money out of the merchant's balance.
    Payout,
    /// Submits the payer's proof of a payment already made.
    Submit,
    /// Reads a pay-in by `tradeNo`.
    PayInQuery,
    /// Reads a payout by `tradeNo`.
    PayoutQuery,
    /// Reads the merchant's balances.
    Balance,
    /// Applies for a payer's identity check (KYC), which some payment
    /// methods need before they can be used.
    KycApplication,
    /// Reads how a payer's identity check stands.
    KycStatus,
}

impl EndpointKind {
    /// Whether the call can move money (or an order that will), so that
    /// sending it twice could charge or pay twice.
    pub fn moves_money(self) -> bool {
        matches!(self, Self::Checkout | Self::Deposit | Self::Payout | Self::Submit)
    }

    /// Whether the call only reads, so that sending it again is harmless.
    /// A KYC application neither reads nor moves money: it is a `create`,
    /// never resent, since a second application could start a second review.
    pub fn only_reads(self) -> bool {
        matches!(self, Self::PayInQuery | Self::PayoutQuery | Self::Balance | Self::KycStatus)
    }

    /// Why no read can find what this kind creates after an unknown
    /// outcome, for a create that has no read (`None` for the others).
    pub fn unfindable_because(self) -> Option<&'static str> {
        match self {
            Self::Submit => Some(
                "no read shows whether a submission arrived (the pay-in query shows the order, not the submission)",
            ),
            Self::KycApplication => {
                Some("the identity check's read needs the kycNumber that only the lost answer carries")
            }
            Self::Checkout
            | Self::Deposit
            | Self::Payout
            | Self::PayInQuery
            | Self::PayoutQuery
            | Self::Balance
            | Self::KycStatus => None,
        }
    }

    /// The read kind that finds what this kind creates, if any.
    pub fn reconciled_by(self) -> Option<Self> {
        match self {
            Self::Checkout | Self::Deposit => Some(Self::PayInQuery),
            Self::Payout => Some(Self::PayoutQuery),
            Self::Submit
            | Self::PayInQuery
            | Self::PayoutQuery
            | Self::Balance
            | Self::KycApplication
            | Self::KycStatus => None,
        }
    }
}

/// Whether a call may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallKind {
    /// Only reads: retried on transient failures.
    Read,
    /// Creates something: never resent after an ambiguous failure.
    Create,
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
    fn problem(&self) -> Option<&'static str> {
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

    /// What makes this spec unsafe or incomplete on its own, one sentence
    /// each: a money-moving kind that is not a `create`, a create without
    /// a way to reconcile it, a rule without samples.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let endpoint = &self.endpoint;
        let moves_money = endpoint.kind.moves_money() || MONEY_MOVING_PATHS.contains(&endpoint.path.as_str());
        match (moves_money, endpoint.kind.only_reads(), endpoint.call) {
            (true, _, CallKind::Read) => problems.push(format!(
                "{} moves money, so `call` must be \"create\": a read is resent after a 5xx or a timeout, \
                 which could pay or charge twice",
                endpoint.path
            )),
            (false, true, CallKind::Create) => problems.push(format!(
                "kind {:?} only reads: `call` must be \"read\", so transient failures are retried",
                endpoint.kind
            )),
            (false, false, CallKind::Read) => problems.push(format!(
                "kind {:?} makes something: `call` must be \"create\", so it is never resent",
                endpoint.kind
            )),
            _ => {}
        }
        match (endpoint.call, endpoint.kind.reconciled_by(), &endpoint.reconcile_with) {
            (CallKind::Create, Some(_), None) => problems.push(
                "a create names the read that finds it after an unknown outcome: add `reconcile_with = \"<name>\"`"
                    .to_owned(),
            ),
            (_, None, Some(_)) | (CallKind::Read, _, Some(_)) => {
                problems.push("only a create that makes an order has `reconcile_with`".to_owned())
            }
            _ => {}
        }
        for field in self.request.iter().filter(|field| field.is_merchant_supplied()) {
            let needs_samples = field.rules.pattern.is_some() || field.rules.custom.is_some();
            let has_both = field.samples.as_ref().is_some_and(|s| !s.valid.is_empty() && !s.invalid.is_empty());
            if needs_samples && !has_both {
                problems.push(format!(
                    "`{}` has a pattern or custom rule: give `samples = {{ valid = [...], invalid = [...] }}`",
                    field.name
                ));
            }
            if let Some(problem) = field.required_if.as_ref().and_then(Condition::problem) {
                problems.push(format!("`{}`: its `required_if` {problem}", field.name));
            }
            if let Some(Err(error)) = field.rules.pattern.as_deref().map(crate::pattern::parse) {
                problems.push(format!("`{}`: {error}", field.name));
            }
            let min_amount = field.rules.min_amount.as_deref();
            if min_amount.is_some_and(|min| crate::decimal::Decimal::parse(min).is_none_or(|min| min.is_signed())) {
                problems.push(format!("`{}`: `min_amount` is an amount like \"100\" or \"0.01\"", field.name));
            }
        }
        problems
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

/// Paths that move money whatever `kind` a spec gives them.
const MONEY_MOVING_PATHS: [&str; 5] = [
    "/v1/vexora/checkout",
    "/v1/vexora/deposits",
    "/v1/vexora/disbursements",
    "/v1/vexora/payinSubmit",
    "/v1/vexora/payInSubmit",
];

/// What is wrong across a set of specs: each create's `reconcile_with`
/// must name a read of the right kind in the same region.
pub fn problems_across<'a>(specs: impl IntoIterator<Item = &'a EndpointSpec> + Clone) -> Vec<String> {
    let mut problems = Vec::new();
    for spec in specs.clone() {
        let (Some(wanted), Some(name)) = (spec.endpoint.kind.reconciled_by(), &spec.endpoint.reconcile_with) else {
            continue;
        };
        let counterpart = specs
            .clone()
            .into_iter()
            .find(|other| other.endpoint.region == spec.endpoint.region && &other.endpoint.name == name);
        match counterpart {
            None => problems.push(format!("{}: reconcile_with names {name:?}, which is not in its region", spec.id())),
            Some(other) if other.endpoint.kind != wanted => problems.push(format!(
                "{}: reconcile_with names {name:?}, a {:?}; a {:?} is reconciled by a {wanted:?}",
                spec.id(),
                other.endpoint.kind,
                spec.endpoint.kind
            )),
            Some(_) => {}
        }
    }
    // One route, one endpoint: a second file for the same region and path
    // would replace the first wherever routes are keyed by path. One
    // struct, one endpoint: a region's structs share one module.
    let mut routes = BTreeMap::new();
    let mut structs = BTreeMap::new();
    for spec in specs {
        let endpoint = &spec.endpoint;
        if let Some(first) = routes.insert((endpoint.region.as_str(), endpoint.path.as_str()), spec.id()) {
            problems.push(format!(
                "spec/{first}.toml and spec/{}.toml both describe {} in {}: keep one file",
                spec.id(),
                endpoint.path,
                endpoint.region
            ));
        }
        if let Some(first) = structs.insert((endpoint.region.as_str(), endpoint.request.as_str()), spec.id()) {
            problems.push(format!(
                "spec/{first}.toml and spec/{}.toml both name the request struct {} of {}: give each endpoint its own",
                spec.id(),
                endpoint.request,
                endpoint.region
            ));
        }
    }
    problems
}

/// Every spec under `root` (`<root>/<region>/<endpoint>.toml`), keyed by
/// `(region, path)`. Two files with one region and path are
/// [`SpecError::SameRoute`], naming both.
pub fn load_all(root: &Path) -> Result<BTreeMap<(String, String), EndpointSpec>, SpecError> {
    let mut specs = BTreeMap::new();
    let mut files: BTreeMap<(String, String), PathBuf> = BTreeMap::new();
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
                let named = (region.file_name(), file.file_stem());
                if named != (Some(spec.endpoint.region.as_ref()), Some(spec.endpoint.name.as_ref())) {
                    let message = format!(
                        "a spec file is spec/<region>/<name>.toml: this one says region {:?}, name {:?}",
                        spec.endpoint.region, spec.endpoint.name
                    );
                    return Err(SpecError::Parse { path: file, message });
                }
                let route = (spec.endpoint.region.clone(), spec.endpoint.path.clone());
                if let Some(first) = files.insert(route.clone(), file.clone()) {
                    // Directory order is the file system's: name the two files in a stable order.
                    let (first, second) = if first < file { (first, file) } else { (file, first) };
                    let (region, path) = route;
                    return Err(SpecError::SameRoute { region, path, first, second });
                }
                specs.insert(route, spec);
            }
        }
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

    fn spec(endpoint: &str, fields: &str) -> EndpointSpec {
        let text = format!(
            "[endpoint]\nregion = \"philippines\"\nmethod = \"POST\"\nsource = \"s\"\ndescription = \"d\"\n{endpoint}\n{fields}"
        );
        EndpointSpec::parse(&text, Path::new("test.toml")).unwrap_or_else(|error| panic!("{error}"))
    }

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
    fn a_payout_marked_read_is_a_problem() {
        let payout = spec(
            "name = \"payout\"\npath = \"/v1/vexora/disbursements\"\nkind = \"payout\"\ncall = \"read\"\n\
             request = \"PayoutRequest\"\nreconcile_with = \"payout-query\"",
            "",
        );
        let problems = payout.problems();
        assert!(problems[0].contains("moves money, so `call` must be \"create\""), "{}", problems[0]);

        // Whatever kind it claims, the path decides too.
        let disguised = spec(
            "name = \"payout\"\npath = \"/v1/vexora/disbursements\"\nkind = \"payout-query\"\ncall = \"read\"\n\
             request = \"PayoutRequest\"",
            "",
        );
        assert!(disguised.problems().iter().any(|problem| problem.contains("moves money")));
    }

    #[test]
    fn a_kyc_application_is_never_resent_and_a_kyc_status_is_a_read() {
        let kyc = |kind: &str, call: &str| {
            spec(
                &format!(
                    "name = \"kyc\"\npath = \"/v1/vexora/kyc\"\nkind = \"{kind}\"\ncall = \"{call}\"\nrequest = \"R\""
                ),
                "",
            )
            .problems()
        };
        assert!(kyc("kyc-application", "create").is_empty());
        assert!(kyc("kyc-status", "read").is_empty());
        assert!(kyc("kyc-application", "read")[0].contains("makes something: `call` must be \"create\""));
        assert!(kyc("kyc-status", "create")[0].contains("only reads: `call` must be \"read\""));
    }

    #[test]
    fn a_create_names_its_reconciling_read_and_rules_carry_samples() {
        let checkout = spec(
            "name = \"checkout\"\npath = \"/v1/vexora/checkout\"\nkind = \"checkout\"\ncall = \"create\"\n\
             request = \"CheckoutRequest\"",
            "[[request]]\nname = \"mobile\"\nrequired = true\ntype = \"string\"\n\
             rules = { pattern = \"^09\\\\d{8}$\" }\ndescription = \"m\"",
        );
        let problems = checkout.problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("reconcile_with"));
        assert!(problems[1].contains("`mobile` has a pattern or custom rule"));
    }

    #[test]
    fn a_condition_gives_one_value_or_several_and_never_an_empty_one() {
        let with = |condition: &str| {
            let field = format!(
                "[[request]]\nname = \"id\"\nrequired = false\nrequired_if = {condition}\ntype = \"string\"\ndescription = \"i\""
            );
            spec("name = \"balance\"\npath = \"/v1/vexora/balance\"\nkind = \"balance\"\ncall = \"read\"\nrequest = \"B\"", &field)
        };
        let several = with(r#"{ field = "way", one_of = ["CASH", "BANK"] }"#);
        let condition = several.request[0].required_if.as_ref().expect("a condition");
        assert_eq!(condition.values(), ["CASH", "BANK"]);
        assert!(condition.holds_for("BANK") && !condition.holds_for("WALLET") && !condition.holds_for(""));
        assert!(several.problems().is_empty(), "{:?}", several.problems());
        assert!(with(r#"{ field = "way", equals = "CASH" }"#).problems().is_empty());
        for (bad, said) in [
            (r#"{ field = "way" }"#, "gives no value"),
            (r#"{ field = "way", one_of = [] }"#, "gives no value"),
            (r#"{ field = "way", equals = "A", one_of = ["B"] }"#, "both"),
            (r#"{ field = "way", one_of = ["A", ""] }"#, "compares with"),
        ] {
            let problems = with(bad).problems();
            assert!(problems.iter().any(|problem| problem.contains(said)), "{bad}: {problems:?}");
        }
    }

    #[test]
    fn a_pattern_compiles_and_a_minimum_amount_is_decimal_text() {
        let with = |rules: &str| {
            let field = format!(
                "[[request]]\nname = \"n\"\nrequired = true\ntype = \"string\"\nrules = {rules}\n\
                 samples = {{ valid = [\"1\"], invalid = [\"a\"] }}\ndescription = \"d\""
            );
            spec("name = \"balance\"\npath = \"/v1/vexora/balance\"\nkind = \"balance\"\ncall = \"read\"\nrequest = \"B\"", &field)
                .problems()
        };
        assert!(with(r#"{ pattern = "^\\d+$" }"#).is_empty());
        let problems = with(r#"{ pattern = "^(1|2)$" }"#);
        assert!(problems.len() == 1 && problems[0].contains("`n`: invalid pattern: groups"), "{problems:?}");
        assert!(with(r#"{ min_amount = "0.01" }"#).is_empty());
        for bad in ["-1", "1.", "ten", ""] {
            let problems = with(&format!(r#"{{ min_amount = "{bad}" }}"#));
            assert!(problems.len() == 1 && problems[0].contains("`min_amount` is an amount"), "{bad}: {problems:?}");
        }
    }

    #[test]
    fn two_files_for_one_route_are_a_problem() {
        let endpoint = |name: &str| {
            format!("name = \"{name}\"\npath = \"/v1/vexora/balance\"\nkind = \"balance\"\ncall = \"read\"\nrequest = \"B\"")
        };
        let (one, other) = (spec(&endpoint("balance"), ""), spec(&endpoint("balance-again"), ""));
        assert!(problems_across([&one]).is_empty());
        let problems = problems_across([&one, &other]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(
            problems[0],
            "spec/philippines/balance.toml and spec/philippines/balance-again.toml both describe \
             /v1/vexora/balance in philippines: keep one file"
        );
        assert_eq!(
            problems[1],
            "spec/philippines/balance.toml and spec/philippines/balance-again.toml both name the request struct B \
             of philippines: give each endpoint its own"
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

    #[test]
    fn reconcile_with_must_name_a_read_of_the_right_kind_in_the_region() {
        let checkout = spec(
            "name = \"checkout\"\npath = \"/v1/vexora/checkout\"\nkind = \"checkout\"\ncall = \"create\"\n\
             request = \"CheckoutRequest\"\nreconcile_with = \"query\"",
            "",
        );
        let wrong = spec(
            "name = \"query\"\npath = \"/v1/vexora/queryPayOutResult\"\nkind = \"payout-query\"\ncall = \"read\"\n\
             request = \"PayoutQueryRequest\"",
            "",
        );
        assert_eq!(problems_across([&checkout]).len(), 1);
        let problems = problems_across([&checkout, &wrong]);
        assert!(problems.len() == 1 && problems[0].contains("PayoutQuery"), "{problems:?}");
    }
}
