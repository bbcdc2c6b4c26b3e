//! With the `files` feature, embeds the text of every spec file as
//! `FILES`: `spec/<region>/<name>.toml`, where `spec` is the package's
//! link to the workspace's `spec/` folder (`cargo package` copies the files
//! it points to, so a published crate embeds the same ones).

use std::error::Error;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=build.rs");
    if env::var_os("CARGO_FEATURE_FILES").is_none() {
        return Ok(());
    }
    let spec_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?).join("spec").canonicalize()?;
    // A directory is scanned recursively, so new files count too.
    println!("cargo:rerun-if-changed={}", spec_dir.display());

    let mut files = Vec::new();
    for region in fs::read_dir(&spec_dir)? {
        let region = region?.path();
        if !region.is_dir() {
            continue;
        }
        for file in fs::read_dir(&region)? {
            let file = file?.path();
            if file.extension().is_some_and(|ext| ext == "toml") {
                let relative = file.strip_prefix(&spec_dir)?.to_str().ok_or("spec file names must be UTF-8")?;
                files.push((relative.replace('\\', "/"), file.to_str().ok_or("paths must be UTF-8")?.to_owned()));
            }
        }
    }
    files.sort();
    let mut text = String::from("&[\n");
    for (relative, path) in files {
        writeln!(text, "    ({relative:?}, include_str!({path:?})),")?;
    }
    text.push(']');
    fs::write(PathBuf::from(env::var("OUT_DIR")?).join("files.rs"), text)?;
    Ok(())
}
