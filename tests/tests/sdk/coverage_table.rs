//! The README's coverage table is rendered from the spec files: a region
//! or endpoint added there shows up here, or this test fails.

use std::collections::BTreeMap;

use vexora_spec::{EndpointKind, EndpointSpec};

const START: &str = "<!-- coverage:start -->\n";
const END: &str = "<!-- coverage:end -->";

/// The columns, in the order a payment happens.
const KINDS: [(EndpointKind, &str); 9] = [
    (EndpointKind::Checkout, "checkout"),
    (EndpointKind::Deposit, "deposit"),
    (EndpointKind::Submit, "submit"),
    (EndpointKind::PayInQuery, "pay-in query"),
    (EndpointKind::Payout, "payout"),
    (EndpointKind::PayoutQuery, "payout query"),
    (EndpointKind::Balance, "balance"),
    (EndpointKind::KycApplication, "KYC application"),
    (EndpointKind::KycStatus, "KYC status"),
];

/// How much of an endpoint the provider's page for its region gave.
fn provenance(spec: &EndpointSpec) -> &'static str {
    let notes = || spec.request.iter().chain(&spec.data).filter_map(|field| field.notes.as_deref());
    if spec.endpoint.source.contains("page found") {
        "inferred"
    } else if notes().any(|note| note.starts_with("Inferred")) {
        "partly inferred"
    } else {
        "documented"
    }
}

/// A column per known kind, and, when some spec has a kind the SDK does
/// not name, a last column listing those by name.
fn table(specs: &[EndpointSpec]) -> String {
    let mut regions: BTreeMap<&str, Vec<&EndpointSpec>> = BTreeMap::new();
    for spec in specs {
        regions.entry(&spec.endpoint.region).or_default().push(spec);
    }
    let others = specs.iter().any(|spec| spec.endpoint.kind.known().is_none());
    let mut table = String::from("| region |");
    for (_, name) in KINDS {
        table.push_str(&format!(" {name} |"));
    }
    if others {
        table.push_str(" other kinds |");
    }
    table.push_str("\n| --- |");
    table.push_str(&" --- |".repeat(KINDS.len() + usize::from(others)));
    table.push('\n');
    for (region, specs) in regions {
        table.push_str(&format!("| {region} |"));
        for (kind, _) in KINDS {
            let cell =
                specs.iter().find(|spec| spec.endpoint.kind == kind).map_or("not modelled", |spec| provenance(spec));
            table.push_str(&format!(" {cell} |"));
        }
        if others {
            let new: Vec<String> = specs
                .iter()
                .filter(|spec| spec.endpoint.kind.known().is_none())
                .map(|spec| format!("{} ({})", spec.endpoint.kind, provenance(spec)))
                .collect();
            table.push_str(&format!(" {} |", if new.is_empty() { "none".to_owned() } else { new.join(", ") }));
        }
        table.push('\n');
    }
    table
}

#[test]
fn the_readme_coverage_table_is_the_specs() {
    let specs: Vec<EndpointSpec> =
        vexora_spec::load_all(&vexora_spec::workspace_spec_dir()).expect("the specs load").into_values().collect();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(&path).expect("the README");
    let start = readme.find(START).expect("the README has the coverage markers") + START.len();
    let end = readme.find(END).expect("the README has the coverage markers");
    for spec in specs.iter().filter(|spec| spec.endpoint.kind.known().is_some()) {
        assert!(KINDS.iter().any(|(kind, _)| spec.endpoint.kind == *kind), "{}: a kind with no column", spec.id());
    }
    let wanted = table(&specs);
    if readme[start..end] != wanted {
        if std::env::var_os("VEXORA_UPDATE_COVERAGE").is_some() {
            std::fs::write(&path, format!("{}{wanted}{}", &readme[..start], &readme[end..])).expect("written");
        } else {
            panic!(
                "README's coverage table is out of date; run VEXORA_UPDATE_COVERAGE=1 cargo test -p vexora-tests --test sdk -- coverage_table\nwanted:\n{wanted}"
            );
        }
    }
}
