//! `poetry.lock` (lock versions 1.x and 2.x): `[[package]]` tables; `category` (1.x) or
//! `groups` (2.x) for runtime/dev; hashes from `[metadata.files]` (1.x) or `files` (2.x).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::{alg_hash, toml_entry_lines, toml_error};
use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, normalize_pypi, purl};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Entry>,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    files: BTreeMap<String, Vec<File>>,
}

#[derive(Deserialize)]
struct File {
    hash: Option<String>,
}

#[derive(Deserialize)]
struct Entry {
    name: Option<String>,
    version: Option<String>,
    category: Option<String>,
    groups: Option<Vec<String>>,
    #[serde(default)]
    files: Vec<File>,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
}

/// Parses a `poetry.lock`. The lockfile does not say which packages the project declares, so
/// `direct` is unknown.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    let lock: Lock = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let lines = toml_entry_lines(text, "package", lock.package.len());
    let old_files: BTreeMap<String, &Vec<File>> = lock
        .metadata
        .as_ref()
        .map(|m| {
            m.files
                .iter()
                .map(|(name, files)| (normalize_pypi(name), files))
                .collect()
        })
        .unwrap_or_default();
    let mut entries = Vec::new();
    for (e, line) in lock.package.iter().zip(lines) {
        let (Some(name), Some(version)) = (&e.name, &e.version) else {
            return Err(ParseError::new(
                line.max(1),
                "a package needs a `name` and a `version`",
            ));
        };
        entries.push((name, version, e, line));
    }
    let versions = super::PypiVersions::new(
        entries
            .iter()
            .map(|(name, version, ..)| (name.as_str(), version.as_str())),
    );
    let mut out = Vec::new();
    for (name, version, e, line) in entries {
        let key = normalize_pypi(name);
        let scope = match (&e.groups, e.category.as_deref()) {
            (Some(groups), _) => Some(if groups.iter().any(|g| g == "main") {
                Scope::Runtime
            } else {
                Scope::Dev
            }),
            (None, Some("dev")) => Some(Scope::Dev),
            (None, Some(_)) => Some(Scope::Runtime),
            (None, None) => None,
        };
        let hashes: BTreeSet<String> = e
            .files
            .iter()
            .chain(old_files.get(&key).map_or(&[][..], |f| f.as_slice()))
            .filter_map(|f| f.hash.as_deref().and_then(alg_hash))
            .collect();
        let dependencies = versions.purls(e.dependencies.keys().map(String::as_str));
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
    fn v1_category_and_metadata_files() {
        let text = "[[package]]\nname = \"Django\"\nversion = \"4.2.1\"\ncategory = \"main\"\n\n[package.dependencies]\nsqlparse = \">=0.3.1\"\n\n[[package]]\nname = \"sqlparse\"\nversion = \"0.4.4\"\ncategory = \"main\"\n\n[[package]]\nname = \"pytest\"\nversion = \"7.4.0\"\ncategory = \"dev\"\n\n[metadata]\nlock-version = \"1.1\"\n\n[metadata.files]\ndjango = [\n    {file = \"Django-4.2.1.tar.gz\", hash = \"sha256:ABCD\"},\n]\n";
        let p = parse(text).unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].purl, "pkg:pypi/django@4.2.1");
        assert_eq!(p[0].line, 1);
        assert_eq!(p[0].scope, Some(Scope::Runtime));
        assert_eq!(p[0].hashes, ["SHA-256:abcd"]);
        assert_eq!(p[0].dependencies, ["pkg:pypi/sqlparse@0.4.4"]);
        assert_eq!(p[1].line, 9);
        assert_eq!(p[2].line, 14);
        assert_eq!(p[2].scope, Some(Scope::Dev));
        assert_eq!(p[2].direct, None);
    }

    #[test]
    fn v2_groups_and_files() {
        let text = "[[package]]\nname = \"faker\"\nversion = \"33.3.0\"\ngroups = [\"dev\", \"test\"]\nfiles = [\n    {file = \"faker-33.3.0.tar.gz\", hash = \"sha256:2abb\"},\n]\n\n[[package]]\nname = \"proto-plus\"\nversion = \"1.22.0\"\ngroups = [\"main\"]\n";
        let p = parse(text).unwrap();
        assert_eq!(p[0].scope, Some(Scope::Dev));
        assert_eq!(p[0].hashes, ["SHA-256:2abb"]);
        assert_eq!(p[1].scope, Some(Scope::Runtime));
        assert_eq!(p[1].line, 9);
    }

    #[test]
    fn malformed() {
        let e = parse("[[package]]\nname = \"x\"\nversion = \n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse("[[package]]\nname = \"x\"\n\n[[package]]\nversion = \"1\"\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
        let e = parse("[[package]]\nname = \"x\"\nversion = \"1\"\n\n[[package]]\nname = \"y\"\n")
            .unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        assert!(parse("").unwrap().is_empty());
    }
}
