//! `Cargo.lock` (versions 1 to 4).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, purl};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

/// Parses a `Cargo.lock`. Workspace members (no `source`) are the project itself: they are
/// not packages, and what they depend on is direct.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    let lock: Lock = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        });
        ParseError::new(u32::try_from(line).unwrap_or(u32::MAX), e.message())
    })?;
    // `name version` → version, to resolve dependency references.
    let mut versions: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &lock.package {
        versions.entry(&e.name).or_default().push(&e.version);
    }
    let resolve = |dep: &str| -> Option<String> {
        let mut parts = dep.split_whitespace();
        let name = parts.next()?;
        let version = match parts.next() {
            Some(v) => v.to_owned(),
            None => (*versions.get(name)?.first()?).to_owned(),
        };
        Some(purl(Ecosystem::CratesIo, name, &version))
    };
    let direct: BTreeSet<String> = lock
        .package
        .iter()
        .filter(|e| e.source.is_none())
        .flat_map(|e| e.dependencies.iter().filter_map(|d| resolve(d)))
        .collect();
    // `name`/`version` line pairs, indexed in one pass.
    let mut lines: BTreeMap<(String, String), u32> = BTreeMap::new();
    let all: Vec<&str> = text.lines().collect();
    for (i, pair) in all.windows(2).enumerate() {
        let value = |l: &str, key: &str| {
            l.strip_prefix(key)
                .and_then(|r| r.trim().strip_prefix('"'))
                .and_then(|r| r.strip_suffix('"'))
                .map(str::to_owned)
        };
        if let (Some(n), Some(v)) = (value(pair[0], "name ="), value(pair[1], "version =")) {
            lines
                .entry((n, v))
                .or_insert_with(|| u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
    }
    let mut packages = Vec::new();
    for e in lock.package.iter().filter(|e| e.source.is_some()) {
        let p = purl(Ecosystem::CratesIo, &e.name, &e.version);
        let line = lines
            .get(&(e.name.clone(), e.version.clone()))
            .copied()
            .unwrap_or(0);
        packages.push(Package {
            ecosystem: Ecosystem::CratesIo,
            name: e.name.clone(),
            version: e.version.clone(),
            direct: Some(direct.contains(&p)),
            scope: None::<Scope>,
            line,
            hashes: e.checksum.iter().map(|c| format!("SHA-256:{c}")).collect(),
            dependencies: e.dependencies.iter().filter_map(|d| resolve(d)).collect(),
            purl: p,
        });
    }
    Ok(packages)
}
