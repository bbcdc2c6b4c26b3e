//! Turns `spec/` into the crate's endpoint modules and registry, so that an
//! endpoint is its spec file and its structs and nothing else:
//!
//! - `regions.rs`: `pub mod <region>` for every region of `spec/`, from
//!   `src/<region>/mod.rs`;
//! - `region_<region>.rs`, included by that `mod.rs`: a module for every
//!   other file of `src/<region>/`, its items re-exported at the region;
//! - `endpoints.rs`: `for_each_endpoint!`, every spec's request struct for
//!   generic code (the CLI, the conformance tests), each checked at compile
//!   time to claim exactly that spec file;
//! - `spec_index.rs`: every endpoint's id and request fields as data, for
//!   the checks that name them by text (a merchant's field rules, a region);
//!
//! Every spec is checked on its own and against the others first; a
//! problem fails the build with the file and the reason.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

use vexora_spec::EndpointSpec;

fn main() -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    // `spec` is a link to the workspace's folder (a copy in a package).
    let spec_dir = manifest_dir.join("spec").canonicalize()?;
    let src_dir = manifest_dir.join("src");
    // A directory is scanned recursively, so new files count too.
    println!("cargo:rerun-if-changed={}", spec_dir.display());
    println!("cargo:rerun-if-changed={}", src_dir.display());

    let specs: Vec<EndpointSpec> = vexora_spec::load_all(&spec_dir)?.into_values().collect();
    let mut problems: Vec<String> =
        specs.iter().flat_map(|spec| spec.problems().into_iter().map(move |p| format!("{}: {p}", spec.id()))).collect();
    problems.extend(vexora_spec::problems_across(&specs));
    if !problems.is_empty() {
        return Err(format!("spec/ has problems:\n  {}", problems.join("\n  ")).into());
    }

    let mut regions: BTreeMap<String, Vec<&EndpointSpec>> = BTreeMap::new();
    for spec in &specs {
        regions.entry(vexora_spec::module_name(&spec.endpoint.region)).or_default().push(spec);
    }
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    let mut region_modules = String::new();
    let mut entries = String::new();
    for (module, specs) in &regions {
        let dir = src_dir.join(module);
        let mod_rs = dir.join("mod.rs");
        if !mod_rs.is_file() {
            return Err(format!(
                "spec/ has region {:?}: its structs belong in src/{module}/, with a mod.rs",
                specs[0].endpoint.region
            )
            .into());
        }
        writeln!(region_modules, "#[path = {:?}]\npub mod {module};", text(&mod_rs)?)?;
        fs::write(out_dir.join(format!("region_{module}.rs")), endpoint_modules(&dir)?)?;
        for spec in specs {
            writeln!(entries, "            ($crate::{module}::{}, {:?}),", spec.endpoint.request, spec.id())?;
        }
    }
    fs::write(out_dir.join("spec_index.rs"), spec_index(&specs)?)?;
    fs::write(out_dir.join("regions.rs"), region_modules)?;
    fs::write(out_dir.join("endpoints.rs"), registry(&entries))?;
    Ok(())
}

/// `ENDPOINTS`: `("<region>/<name>", &[("<field>", <has a pattern>), ..])`
/// for every spec, in id order, with the fields the merchant supplies.
fn spec_index(specs: &[EndpointSpec]) -> Result<String, Box<dyn Error>> {
    let mut sorted: Vec<&EndpointSpec> = specs.iter().collect();
    sorted.sort_by_key(|spec| spec.id());
    let mut index = String::from(
        "/// Every endpoint of `spec/` by id, with the request fields the merchant\n\
         /// supplies: wire name, and whether its rules include a pattern.\n\
         pub(crate) const ENDPOINTS: &[(&str, &[(&str, bool)])] = &[\n",
    );
    for spec in sorted {
        write!(index, "    ({:?}, &[", spec.id())?;
        for field in spec.request.iter().filter(|field| field.is_merchant_supplied()) {
            write!(index, "({:?}, {}), ", field.name, field.rules.pattern.is_some())?;
        }
        index.push_str("]),\n");
    }
    index.push_str("];\n");
    Ok(index)
}

/// `mod <file>; pub use <file>::*;` for every `.rs` file of a region but
/// its `mod.rs`, in name order.
fn endpoint_modules(dir: &Path) -> Result<String, Box<dyn Error>> {
    let mut files: Vec<PathBuf> =
        fs::read_dir(dir)?.map(|entry| entry.map(|entry| entry.path())).collect::<Result<_, _>>()?;
    files.retain(|file| file.extension().is_some_and(|ext| ext == "rs") && !file.ends_with("mod.rs"));
    files.sort();
    let mut modules = String::new();
    for file in files {
        let name = file.file_stem().and_then(|stem| stem.to_str()).ok_or("file names must be UTF-8")?;
        // A file may hold only impls, with nothing to re-export: the glob
        // is then unused, which is fine.
        writeln!(
            modules,
            "#[path = {:?}]\nmod {name};\n#[allow(unused_imports)]\npub use self::{name}::*;",
            text(&file)?
        )?;
    }
    Ok(modules)
}

/// The registry macro over `entries` (`($crate::region::Request, "region/name"),` lines).
fn registry(entries: &str) -> String {
    format!(
        "/// Calls `$callback!` with every endpoint of `spec/`, as
/// `($crate::<region>::<Request>, \"<region>/<name>\")` pairs, for code that
/// handles every endpoint without naming any (the CLI's generic call, the
/// conformance tests).
#[doc(hidden)]
#[macro_export]
macro_rules! for_each_endpoint {{
    ($callback:ident) => {{
        $callback! {{
{entries}        }}
    }};
}}

/// Each listed struct claims exactly its spec file.
macro_rules! __check_claims {{
    ($(($request:ty, $spec:literal)),* $(,)?) => {{
        $(const _: () = ::core::assert!(
            $crate::const_text::same_text(<$request as $crate::Endpoint>::SPEC, $spec),
            ::core::concat!(\"spec/\", $spec, \".toml names a request struct whose #[vexora(spec)] names another file\"),
        );)*
    }};
}}
for_each_endpoint!(__check_claims);
"
    )
}

fn text(path: &Path) -> Result<String, Box<dyn Error>> {
    let path = path.canonicalize()?;
    Ok(path.to_str().ok_or("paths must be UTF-8")?.to_owned())
}
