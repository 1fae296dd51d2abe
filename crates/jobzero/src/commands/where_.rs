//! `jobzero where`.

use std::fmt::Write as _;
use std::path::Path;

use jobzero_deps::query::{Query, find};

use crate::Outcome;

pub fn run(package: &str, sbom: &Path) -> anyhow::Result<Outcome> {
    let query = Query::parse(package);
    let (hits, errors) = find(sbom, &query);
    for e in &errors {
        crate::write::error(&e.to_string());
    }
    let mut out = String::new();
    if hits.is_empty() {
        let _ = writeln!(
            out,
            "`{package}` is in none of the SBOMs under {}",
            sbom.display()
        );
    } else {
        for h in &hits {
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}",
                if h.application.is_empty() {
                    "-"
                } else {
                    &h.application
                },
                h.version,
                h.purl,
                h.sbom.display()
            );
        }
    }
    crate::write::emit(&out, None)?;
    // Like grep: 0 found, 1 not found, 2 error.
    Ok(if !errors.is_empty() {
        Outcome::Error
    } else if hits.is_empty() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
