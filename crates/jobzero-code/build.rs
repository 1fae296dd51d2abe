//! Lists the rule files in `rules/*.toml` and the source files in `sources/*.toml`, so that
//! adding a rule is adding a file: the lists are generated, sorted by file name.

use std::fmt::Write as _;
use std::path::Path;

fn list(manifest: &Path, dir: &str, name: &str, out: &mut String) {
    let path = manifest.join(dir);
    println!("cargo:rerun-if-changed={}", path.display());
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let _ = writeln!(out, "/// (file name, contents) of every `{dir}/*.toml`.");
    let _ = writeln!(out, "pub static {name}: &[(&str, &str)] = &[");
    for n in &names {
        let _ = writeln!(
            out,
            "    ({n:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{dir}/{n}\"))),"
        );
    }
    out.push_str("];\n");
}

fn main() {
    // Read at run time, not with `env!`: a build script compiled for one checkout may be
    // reused for another one at a different path.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let manifest = Path::new(&manifest);
    let mut out = String::new();
    list(manifest, "rules", "RULES", &mut out);
    list(manifest, "sources", "SOURCES", &mut out);
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("specs.rs");
    if let Err(e) = std::fs::write(&target, out) {
        println!("cargo:warning=cannot write {}: {e}", target.display());
    }
}
