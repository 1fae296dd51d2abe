//! `jobzero sbom`.

use std::path::Path;

use jobzero_core::walk::WalkOptions;

use crate::Outcome;

pub fn run(path: &Path, output: Option<&Path>, name: Option<String>) -> anyhow::Result<Outcome> {
    let (lockfiles, errors) = jobzero_deps::inventory(path, &WalkOptions::default());
    for e in &errors {
        crate::write::error(&e.to_string());
    }
    for l in &lockfiles {
        for n in &l.notes {
            crate::write::warning(&format!("{}: {n}", l.path));
        }
    }
    let name = name.unwrap_or_else(|| {
        std::fs::canonicalize(path)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "project".to_owned())
    });
    crate::write::emit(&jobzero_deps::sbom::render(&name, &lockfiles), output)?;
    let packages: usize = lockfiles.iter().map(|l| l.packages.len()).sum();
    if output.is_some() {
        crate::write::note(&format!(
            "{packages} packages from {} lockfiles",
            lockfiles.len()
        ));
    }
    // A lockfile that could not be read makes the inventory incomplete.
    Ok(if errors.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Error
    })
}
