//! Embeds the workspace's `spec/` files, so the sandbox binary still knows
//! every endpoint when run outside the workspace (see `src/specs.rs`).

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() -> Result<(), Box<dyn Error>> {
    let spec_root = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?).join("..").join("vexora").join("spec");
    // Cargo scans a directory given here recursively, so new spec files count.
    println!("cargo:rerun-if-changed={}", spec_root.display());
    let mut entries = String::from("&[\n");
    for (relative, path) in spec_files(&spec_root)? {
        let absolute = path.canonicalize()?;
        let absolute = absolute.to_str().ok_or("spec paths must be UTF-8")?;
        writeln!(entries, "    ({relative:?}, include_str!({absolute:?})),")?;
    }
    entries.push(']');
    let out = PathBuf::from(env::var("OUT_DIR")?).join("embedded_specs.rs");
    fs::write(out, entries)?;
    Ok(())
}

/// `<region>/<endpoint>.toml` files, sorted, as (relative name, path).
fn spec_files(root: &Path) -> Result<Vec<(String, PathBuf)>, Box<dyn Error>> {
    let mut files = Vec::new();
    if !root.is_dir() {
        return Ok(files);
    }
    for region in fs::read_dir(root)? {
        let region = region?.path();
        if !region.is_dir() {
            continue;
        }
        for file in fs::read_dir(&region)? {
            let file = file?.path();
            if file.extension().is_some_and(|ext| ext == "toml") {
                let relative = file.strip_prefix(root)?.to_str().ok_or("spec paths must be UTF-8")?.replace('\\', "/");
                files.push((relative, file));
            }
        }
    }
    files.sort();
    Ok(files)
}
