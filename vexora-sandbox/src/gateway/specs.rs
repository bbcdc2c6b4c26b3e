//! Finding the endpoint descriptions: a `spec/` folder on disk, or the copy
//! embedded at compile time when no folder is given and the workspace's is
//! not there (a binary run outside the workspace).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use vexora_spec::EndpointSpec;

use crate::error::SandboxError;

/// `(relative path, text)` of every spec file, as the spec model's crate
/// embeds them.
const EMBEDDED: &[(&str, &str)] = vexora_spec::FILES;

/// Where the sandbox's endpoint descriptions came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecSource {
    /// A `spec/` folder read at start-up.
    Dir(PathBuf),
    /// The copy of `spec/` compiled into the `vexora-spec` crate.
    Embedded,
}

impl fmt::Display for SpecSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dir(dir) => write!(f, "{}", dir.display()),
            Self::Embedded => f.write_str("the copy of spec/ built into the sandbox"),
        }
    }
}

/// Puts each `(spec, field, pattern)` in place of the field's documented
/// pattern; one that names no endpoint, no field of it, or a field without
/// a pattern is a configuration error.
pub(crate) fn replace_patterns(
    specs: &mut [EndpointSpec],
    replacements: &[(String, String, String)],
) -> Result<(), SandboxError> {
    for (id, name, pattern) in replacements {
        let spec = specs
            .iter_mut()
            .find(|spec| spec.id() == *id)
            .ok_or_else(|| SandboxError::Config(format!("field pattern for {id}: no such endpoint")))?;
        let field = spec
            .request
            .iter_mut()
            .find(|field| field.name == *name)
            .ok_or_else(|| SandboxError::Config(format!("field pattern for {id}: no request field {name}")))?;
        let documented = field.rules.pattern.as_mut().ok_or_else(|| {
            SandboxError::Config(format!("field pattern for {id}: {name} has no documented pattern to replace"))
        })?;
        *documented = pattern.clone();
        // The documented samples were for the documented pattern.
        field.samples = None;
    }
    Ok(())
}

/// Loads `dir` if given (an unreadable folder is an error, never a silent
/// fallback); otherwise the workspace's `spec/` if it exists, else the
/// embedded copy.
pub(crate) fn load(dir: Option<&Path>) -> Result<(Vec<EndpointSpec>, SpecSource), SandboxError> {
    let (specs, source) = match dir {
        Some(dir) => (load_dir(dir)?, SpecSource::Dir(dir.to_owned())),
        None => {
            let workspace = vexora_spec::workspace_spec_dir();
            if workspace.is_dir() {
                (load_dir(&workspace)?, SpecSource::Dir(workspace))
            } else {
                (load_embedded()?, SpecSource::Embedded)
            }
        }
    };
    if specs.is_empty() {
        return Err(SandboxError::NoSpecs(source.to_string()));
    }
    Ok((specs, source))
}

/// Spec folders parsed in this process, the newest last, by the files they
/// were parsed from. Every start reads its folder again, so an edited file
/// is seen; only parsing, the slow part, is skipped for files parsed before.
static PARSED: Mutex<Vec<Parsed>> = Mutex::new(Vec::new());

/// The files of a folder, as read, and the specs parsed from them.
type Parsed = (Vec<(PathBuf, String)>, Vec<EndpointSpec>);

/// How many folders [`PARSED`] keeps.
const PARSED_KEPT: usize = 4;

fn load_dir(dir: &Path) -> Result<Vec<EndpointSpec>, SandboxError> {
    let files = vexora_spec::read_all(dir)?;
    let mut parsed = PARSED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, specs)) = parsed.iter().find(|(read, _)| *read == files) {
        return Ok(specs.clone());
    }
    let specs: Vec<EndpointSpec> = vexora_spec::parse_all(&files)?.into_values().collect();
    if parsed.len() == PARSED_KEPT {
        parsed.remove(0);
    }
    parsed.push((files, specs.clone()));
    Ok(specs)
}

fn load_embedded() -> Result<Vec<EndpointSpec>, SandboxError> {
    // The embedded files never change: parsed once a process.
    static PARSED: OnceLock<Vec<EndpointSpec>> = OnceLock::new();
    if let Some(specs) = PARSED.get() {
        return Ok(specs.clone());
    }
    // They are the workspace's, which the SDK's build refuses to load with
    // two files for one route.
    let mut specs = Vec::with_capacity(EMBEDDED.len());
    for (name, text) in EMBEDDED {
        specs.push(EndpointSpec::parse(text, Path::new(&format!("embedded:{name}")))?);
    }
    Ok(PARSED.get_or_init(|| specs).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_copy_matches_the_workspace_folder() {
        let mut embedded = load_embedded().expect("the embedded specs parse");
        let mut on_disk = load_dir(&vexora_spec::workspace_spec_dir()).expect("the workspace specs parse");
        let key = |spec: &EndpointSpec| (spec.endpoint.region.clone(), spec.endpoint.path.clone());
        embedded.sort_by_key(key);
        on_disk.sort_by_key(key);
        assert!(!embedded.is_empty());
        assert_eq!(embedded, on_disk);
    }

    #[test]
    fn a_folder_edited_between_loads_is_parsed_again() {
        let root = tempfile::tempdir().expect("a folder");
        std::fs::create_dir(root.path().join("taiwan")).expect("a region folder");
        let workspace = vexora_spec::workspace_spec_dir().join("taiwan");
        let copy = |name: &str| {
            let text = std::fs::read_to_string(workspace.join(name)).expect("a workspace spec");
            std::fs::write(root.path().join("taiwan").join(name), &text).expect("copied");
            text
        };
        let checkout = copy("checkout.toml");
        let first = load_dir(root.path()).expect("loads");
        assert_eq!(first.len(), 1);
        assert_eq!(load_dir(root.path()).expect("loads"), first, "the same files give the same specs");

        copy("balance.toml");
        assert_eq!(load_dir(root.path()).expect("loads").len(), 2, "a file added is seen");

        let path = &first[0].endpoint.path;
        let edited = checkout.replace(&format!("path = \"{path}\""), &format!("path = \"{path}-edited\""));
        assert_ne!(edited, checkout);
        std::fs::write(root.path().join("taiwan/checkout.toml"), edited).expect("edited");
        let paths: Vec<String> =
            load_dir(root.path()).expect("loads").into_iter().map(|spec| spec.endpoint.path).collect();
        assert!(paths.contains(&format!("{path}-edited")), "an edited file is seen: {paths:?}");
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let error = load(Some(Path::new("/nonexistent/spec"))).expect_err("refused");
        assert!(error.to_string().contains("/nonexistent/spec"), "{error}");
    }
}
