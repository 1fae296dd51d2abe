//! `jobzero where`.

use std::fmt::Write as _;
use std::path::Path;

use jobzero_deps::query::{Query, find};

use crate::Outcome;

pub fn run(package: &str, sbom: &Path) -> anyhow::Result<Outcome> {
    // A missing directory is a mistake, not an answer: "not found" would be a false all-clear.
    if !sbom.exists() {
        anyhow::bail!("--sbom {}: no such file or directory", sbom.display());
    }
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

/// `jobzero where` across the organisation: the hub's inventory.
pub fn run_hub(package: &str, hub: &crate::cli::HubArgs) -> anyhow::Result<Outcome> {
    let lookup = jobzero_hub::inventory::Lookup::parse(package);
    let hub = crate::hub_client::Hub::from_args(hub)
        .map_err(|e| e.context("`jobzero where` asks the hub unless --sbom DIR is given"))?;
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let params: Vec<String> = [
        ("purl", &lookup.purl),
        ("name", &lookup.name),
        ("version", &lookup.version),
    ]
    .iter()
    .filter_map(|(k, v)| v.as_deref().map(|v| format!("{k}={}", enc(v))))
    .collect();
    let path = format!("/api/v1/inventory?{}", params.join("&"));
    let jobzero_hub::api::Holders { holders } = hub.get(&path, "where")?;
    let mut out = String::new();
    if holders.is_empty() {
        let _ = writeln!(
            out,
            "`{package}` is in no service's inventory at {}",
            hub.url()
        );
    }
    for h in &holders {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{} ({})",
            h.service,
            h.team,
            h.version,
            h.purl,
            h.lockfile,
            h.last_commit.as_deref().unwrap_or("-"),
            crate::hub_client::date(h.last_seen),
        );
    }
    crate::write::emit(&out, None)?;
    Ok(if holders.is_empty() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
