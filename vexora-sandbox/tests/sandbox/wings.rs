//! The sandbox's layout, held to its rules (the README's "How it is
//! built"): five wings whose imports run one way, no file reached again by
//! following its own imports, and no chain of imports inside a wing longer
//! than five files.
//!
//! Imports are read with syn from every `use` and every `crate::`,
//! `super::` or `self::` path outside the `#[cfg(test)]` modules; a path
//! written inside a macro's input is not seen.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::{self, Visit};

/// The wings from the bottom up: a file may import its own wing and the
/// wings below it; `web` and `gateway` stand side by side.
const WINGS: [(&str, u8); 5] = [("book", 0), ("notify", 1), ("gateway", 2), ("web", 2), ("server", 3)];
/// The longest chain of imports allowed inside one wing, in files.
const LONGEST_CHAIN_IN_A_WING: usize = 5;

/// Every file of `src/` but `lib.rs` and `main.rs` (which face outward and
/// name everything), by module path, with the files it imports.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&src);
    let modules: BTreeSet<String> = files.iter().map(|file| module_of(&src, file)).collect();
    files
        .iter()
        .map(|file| {
            let module = module_of(&src, file);
            let text = std::fs::read_to_string(file).expect("a source file");
            let parsed = syn::parse_file(&text).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
            let mut paths = Paths::default();
            paths.visit_file(&parsed);
            let imported = paths
                .found
                .iter()
                .filter_map(|path| resolve(&module, path, &modules))
                .filter(|target| *target != module)
                .collect();
            (module, imported)
        })
        .filter(|(module, _)| !module.is_empty() && module != "main")
        .collect()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a readable folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files
}

/// `server::start` for `src/server/start.rs`, `gateway` for
/// `src/gateway/mod.rs`, `` for `src/lib.rs`, `main` for `src/main.rs`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under src").with_extension("");
    let parts: Vec<String> = relative.iter().map(|part| part.to_string_lossy().into_owned()).collect();
    let parts = match parts.last().map(String::as_str) {
        Some("mod" | "lib") => &parts[..parts.len() - 1],
        _ => &parts[..],
    };
    parts.join("::")
}

/// The file a path names: its longest prefix that is a module.
fn resolve(module: &str, path: &[String], modules: &BTreeSet<String>) -> Option<String> {
    let mut segments: Vec<&str> = if module.is_empty() { Vec::new() } else { module.split("::").collect() };
    let rest = match path.first().map(String::as_str) {
        Some("crate") => {
            segments.clear();
            &path[1..]
        }
        Some("self") => &path[1..],
        Some("super") => {
            let ups = path.iter().take_while(|segment| *segment == "super").count();
            segments.truncate(segments.len().checked_sub(ups)?);
            &path[ups..]
        }
        _ => return None,
    };
    segments.extend(rest.iter().map(String::as_str));
    (0..=segments.len()).rev().map(|length| segments[..length].join("::")).find(|candidate| modules.contains(candidate))
}

/// Every path that starts at `crate`, `self` or `super`, as segments.
#[derive(Default)]
struct Paths {
    found: Vec<Vec<String>>,
}

impl Paths {
    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(name) => self.found.push([prefix.clone(), vec![name.ident.to_string()]].concat()),
            syn::UseTree::Rename(rename) => self.found.push([prefix.clone(), vec![rename.ident.to_string()]].concat()),
            syn::UseTree::Glob(_) => self.found.push(prefix.clone()),
            syn::UseTree::Group(group) => group.items.iter().for_each(|item| self.use_tree(prefix, item)),
        }
    }
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|segment| segment.ident.to_string()).collect();
        if segments.first().is_some_and(|first| ["crate", "self", "super"].contains(&first.as_str())) {
            self.found.push(segments);
        }
        visit::visit_path(self, path);
    }

    /// `pub(crate)` and `pub(super)` name a scope, not an import.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        let test_only = item.attrs.iter().any(|attr| {
            attr.path().is_ident("cfg") && attr.meta.require_list().is_ok_and(|list| list.tokens.to_string() == "test")
        });
        if !test_only {
            visit::visit_item_mod(self, item);
        }
    }
}

fn wing_of(module: &str) -> Option<(&'static str, u8)> {
    let first = module.split("::").next()?;
    WINGS.iter().copied().find(|(wing, _)| *wing == first)
}

/// The longest chain of imports from `module` that stays inside `scope`.
fn longest_chain(
    module: &str,
    imports: &BTreeMap<String, BTreeSet<String>>,
    scope: &dyn Fn(&str) -> bool,
    known: &mut BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    if let Some(chain) = known.get(module) {
        return chain.clone();
    }
    let mut longest = Vec::new();
    for next in imports.get(module).into_iter().flatten().filter(|next| scope(next)) {
        let chain = longest_chain(next, imports, scope, known);
        if chain.len() > longest.len() {
            longest = chain;
        }
    }
    longest.insert(0, module.to_owned());
    known.insert(module.to_owned(), longest.clone());
    longest
}

#[test]
fn every_file_of_src_is_read_and_in_a_wing_or_a_leaf() {
    let imports = imports();
    for wing in WINGS.map(|(wing, _)| wing) {
        assert!(imports.keys().any(|module| module.starts_with(&format!("{wing}::"))), "no file in {wing}/");
    }
    for (module, imported) in &imports {
        if wing_of(module).is_none() {
            assert!(imported.is_empty(), "{module}, outside the wings, imports {imported:?}");
        }
    }
}

#[test]
fn imports_run_down_the_wings_never_up_or_across() {
    let mut wrong = Vec::new();
    for (module, imported) in imports() {
        let Some((wing, level)) = wing_of(&module) else { continue };
        for target in imported {
            if let Some((target_wing, target_level)) = wing_of(&target) {
                if target_wing != wing && target_level >= level {
                    wrong.push(format!("{module} -> {target}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the wings' order: {wrong:#?}");
}

#[test]
fn no_file_reaches_itself_through_its_imports() {
    let imports = imports();
    // Kahn's algorithm: what is left once every file without imports left
    // is taken away, again and again, is the files on or above a loop.
    let mut waiting: BTreeMap<&str, BTreeSet<&str>> = imports
        .iter()
        .map(|(module, imported)| (module.as_str(), imported.iter().map(String::as_str).collect()))
        .collect();
    loop {
        let done: Vec<&str> =
            waiting.iter().filter(|(_, imported)| imported.is_empty()).map(|(module, _)| *module).collect();
        if done.is_empty() {
            break;
        }
        for module in done {
            waiting.remove(module);
            waiting.values_mut().for_each(|imported| {
                imported.remove(module);
            });
        }
    }
    assert!(waiting.is_empty(), "files on or above a loop of imports: {:?}", waiting.keys());
}

#[test]
fn no_chain_of_imports_inside_a_wing_is_longer_than_five_files() {
    let imports = imports();
    for (wing, _) in WINGS {
        let prefix = format!("{wing}::");
        let inside = |module: &str| module == wing || module.starts_with(&prefix);
        let mut known = BTreeMap::new();
        for module in imports.keys().filter(|module| inside(module)) {
            let chain = longest_chain(module, &imports, &inside, &mut known);
            assert!(chain.len() <= LONGEST_CHAIN_IN_A_WING, "{} files: {}", chain.len(), chain.join(" -> "));
        }
    }
}

#[test]
fn paths_resolve_to_the_file_that_holds_them() {
    let modules: BTreeSet<String> =
        ["book", "book::state", "gateway", "gateway::routing"].map(str::to_owned).into_iter().collect();
    let path = |text: &str| text.split("::").map(str::to_owned).collect::<Vec<_>>();
    let cases = [
        ("gateway::judge", "crate::book::state::State", Some("book::state")),
        ("gateway::judge", "crate::book::Book", Some("book")),
        ("gateway::judge", "super::routing::Gateway", Some("gateway::routing")),
        ("gateway::routing", "self::Endpoint", Some("gateway::routing")),
        ("gateway::judge", "std::sync::Arc", None),
    ];
    for (module, text, expected) in cases {
        assert_eq!(resolve(module, &path(text), &modules).as_deref(), expected, "{text} from {module}");
    }
}
