//! `pdm.lock`: `[[package]]` tables with `name`, `version`, `groups`, `dependencies` (PEP 508
//! strings) and `files`.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::{alg_hash, is_dev_group, toml_entry_lines, toml_error};
use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, purl};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: Option<String>,
    version: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    dependencies: Vec<String>,
    #[serde(default)]
    files: Vec<File>,
}

#[derive(Deserialize)]
struct File {
    hash: Option<String>,
}

/// The distribution name of a PEP 508 requirement (`requests[socks]>=2; ...` → `requests`).
pub(crate) fn pep508_name(req: &str) -> &str {
    let req = req.trim_start();
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    req.get(..end).unwrap_or(req)
}

/// Parses a `pdm.lock`. Packages of the `default` group are runtime; packages only in groups
/// named like development groups (`dev`, `test`, `lint`, `doc`…) are dev; other groups are
/// optional extras, which ship: runtime.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    let lock: Lock = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let lines = toml_entry_lines(text, "package", lock.package.len());
    let mut entries = Vec::new();
    for (e, line) in lock.package.iter().zip(lines) {
        let Some(name) = &e.name else {
            return Err(ParseError::new(line.max(1), "a package needs a `name`"));
        };
        // Local and VCS packages may have no version: nothing to match.
        if let Some(version) = &e.version {
            entries.push((name, version, e, line));
        }
    }
    let versions = super::PypiVersions::new(
        entries
            .iter()
            .map(|(name, version, ..)| (name.as_str(), version.as_str())),
    );
    let mut out = Vec::new();
    for (name, version, e, line) in entries {
        let scope = if e.groups.is_empty() {
            None
        } else if e.groups.iter().any(|g| g == "default") {
            Some(Scope::Runtime)
        } else if e.groups.iter().all(|g| is_dev_group(g)) {
            Some(Scope::Dev)
        } else {
            Some(Scope::Runtime)
        };
        let hashes: BTreeSet<String> = e
            .files
            .iter()
            .filter_map(|f| f.hash.as_deref().and_then(alg_hash))
            .collect();
        let dependencies = versions.purls(e.dependencies.iter().map(|d| pep508_name(d)));
        out.push(Package {
            ecosystem: Ecosystem::PyPi,
            name: name.clone(),
            version: version.clone(),
            purl: purl(Ecosystem::PyPi, name, version),
            direct: None,
            scope,
            line,
            hashes: hashes.into_iter().collect(),
            dependencies,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn groups_files_dependencies() {
        let text = "[metadata]\ngroups = [\"default\", \"dev\", \"socks\"]\n\n[[package]]\nname = \"pyroute2\"\nversion = \"0.7.11\"\ngroups = [\"dev\"]\ndependencies = [\n    \"win-inet-pton; platform_system == \\\"Windows\\\"\",\n]\nfiles = [\n    {file = \"pyroute2-0.7.11-py3-none-any.whl\", hash = \"sha256:9585\"},\n]\n\n[[package]]\nname = \"toml\"\nversion = \"0.10.2\"\ngroups = [\"default\", \"dev\"]\n\n[[package]]\nname = \"win_inet_pton\"\nversion = \"1.1.0\"\ngroups = [\"socks\"]\n";
        let p = parse(text).unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].scope, Some(Scope::Dev));
        assert_eq!(p[0].line, 4);
        assert_eq!(p[0].hashes, ["SHA-256:9585"]);
        assert_eq!(p[0].dependencies, ["pkg:pypi/win-inet-pton@1.1.0"]);
        assert_eq!(p[1].scope, Some(Scope::Runtime));
        assert_eq!(p[1].line, 15);
        assert_eq!(p[2].scope, Some(Scope::Runtime));
        assert_eq!(p[2].purl, "pkg:pypi/win-inet-pton@1.1.0");
    }

    #[test]
    fn malformed() {
        let e = parse("[[package]]\nname = \"x\"\nversion = \"1\"\ngroups = \"default\"\n")
            .unwrap_err();
        assert_eq!(e.line, 4);
        let e =
            parse("[[package]]\nname = \"x\"\nversion = \"1\"\n\n[[package]]\nversion = \"1\"\n")
                .unwrap_err();
        assert_eq!(e.line, 5);
        assert_eq!(pep508_name("requests[socks]>=2"), "requests");
    }
}
