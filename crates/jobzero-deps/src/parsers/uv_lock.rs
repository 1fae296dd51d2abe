//! `uv.lock`: `[[package]]` tables with `name`, `version`, `source`, `dependencies`,
//! `optional-dependencies`, `dev-dependencies`, `sdist` and `wheels`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::Deserialize;

use super::{alg_hash, toml_entry_lines, toml_error};
use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, normalize_pypi, purl};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    name: String,
    version: Option<String>,
    source: Option<BTreeMap<String, toml::Value>>,
    #[serde(default)]
    dependencies: Vec<Dep>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Vec<Dep>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Vec<Dep>>,
    sdist: Option<Artifact>,
    #[serde(default)]
    wheels: Vec<Artifact>,
}

#[derive(Deserialize)]
struct Dep {
    name: String,
    version: Option<String>,
}

#[derive(Deserialize)]
struct Artifact {
    hash: Option<String>,
}

impl Entry {
    /// The project itself (or a workspace member): not a package of the inventory.
    fn is_root(&self) -> bool {
        self.source
            .as_ref()
            .is_some_and(|s| s.contains_key("virtual") || s.contains_key("editable"))
    }

    fn runtime_deps(&self) -> impl Iterator<Item = &Dep> {
        self.dependencies
            .iter()
            .chain(self.optional_dependencies.values().flatten())
    }
}

/// Parses a `uv.lock`. The project and workspace members (`virtual`/`editable` sources) are
/// not packages; what they depend on is direct, and packages reached only through their
/// `dev-dependencies` groups are dev.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    let lock: Lock = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let lines = toml_entry_lines(text, "package", lock.package.len());
    if let Some((_, line)) = lock
        .package
        .iter()
        .zip(&lines)
        .find(|(e, _)| e.name.is_empty())
    {
        return Err(ParseError::new((*line).max(1), "a package needs a `name`"));
    }
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in lock.package.iter().enumerate() {
        by_name.entry(normalize_pypi(&e.name)).or_default().push(i);
    }
    let resolve = |d: &Dep| -> Vec<usize> {
        by_name
            .get(&normalize_pypi(&d.name))
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| {
                d.version.is_none()
                    || lock.package.get(i).and_then(|e| e.version.as_ref()) == d.version.as_ref()
            })
            .collect()
    };
    let reach = |starts: Vec<usize>| -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut queue: VecDeque<usize> = starts.into();
        while let Some(i) = queue.pop_front() {
            if !seen.insert(i) {
                continue;
            }
            if let Some(e) = lock.package.get(i) {
                queue.extend(e.runtime_deps().flat_map(&resolve));
            }
        }
        seen
    };
    let roots: Vec<&Entry> = lock.package.iter().filter(|e| e.is_root()).collect();
    let runtime = reach(
        roots
            .iter()
            .flat_map(|r| r.runtime_deps().flat_map(&resolve))
            .collect(),
    );
    let dev = reach(
        roots
            .iter()
            .flat_map(|r| r.dev_dependencies.values().flatten().flat_map(&resolve))
            .collect(),
    );
    let direct: BTreeSet<usize> = roots
        .iter()
        .flat_map(|r| {
            r.runtime_deps()
                .chain(r.dev_dependencies.values().flatten())
                .flat_map(&resolve)
        })
        .collect();
    let purl_of = |i: usize| {
        let e = lock.package.get(i)?;
        Some(purl(Ecosystem::PyPi, &e.name, e.version.as_deref()?))
    };
    let mut out = Vec::new();
    for (i, (e, line)) in lock.package.iter().zip(lines).enumerate() {
        if e.is_root() {
            continue;
        }
        let Some(version) = &e.version else { continue };
        let scope = if roots.is_empty() {
            None
        } else if runtime.contains(&i) {
            Some(Scope::Runtime)
        } else if dev.contains(&i) {
            Some(Scope::Dev)
        } else {
            None
        };
        let hashes: BTreeSet<String> = e
            .sdist
            .iter()
            .chain(&e.wheels)
            .filter_map(|a| a.hash.as_deref().and_then(alg_hash))
            .collect();
        let dependencies: BTreeSet<String> = e
            .runtime_deps()
            .flat_map(&resolve)
            .filter_map(purl_of)
            .collect();
        out.push(Package {
            ecosystem: Ecosystem::PyPi,
            name: e.name.clone(),
            version: version.clone(),
            purl: purl(Ecosystem::PyPi, &e.name, version),
            direct: (!roots.is_empty()).then(|| direct.contains(&i)),
            scope,
            line,
            hashes: hashes.into_iter().collect(),
            dependencies: dependencies.into_iter().collect(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    const LOCK: &str = r#"version = 1
requires-python = ">=3.10"

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "click" },
]

[package.dev-dependencies]
dev = [
    { name = "ruff" },
]

[[package]]
name = "click"
version = "8.1.7"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "colorama", marker = "platform_system == 'Windows'" },
]
sdist = { url = "https://x/click-8.1.7.tar.gz", hash = "sha256:AA11", size = 1 }
wheels = [
    { url = "https://x/click-8.1.7-py3-none-any.whl", hash = "sha256:bb22", size = 1 },
]

[[package]]
name = "colorama"
version = "0.4.6"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "ruff"
version = "0.8.1"
source = { registry = "https://pypi.org/simple" }
"#;

    #[test]
    fn roots_direct_and_dev() {
        let p = parse(LOCK).unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].name, "click");
        assert_eq!(p[0].line, 17);
        assert_eq!(p[0].direct, Some(true));
        assert_eq!(p[0].scope, Some(Scope::Runtime));
        assert_eq!(p[0].hashes, ["SHA-256:aa11", "SHA-256:bb22"]);
        assert_eq!(p[0].dependencies, ["pkg:pypi/colorama@0.4.6"]);
        assert_eq!(p[1].name, "colorama");
        assert_eq!(p[1].direct, Some(false));
        assert_eq!(p[1].scope, Some(Scope::Runtime));
        assert_eq!(p[2].name, "ruff");
        assert_eq!(p[2].direct, Some(true));
        assert_eq!(p[2].scope, Some(Scope::Dev));
        assert_eq!(p[2].line, 34);
    }

    #[test]
    fn malformed() {
        let e =
            parse("version = 1\n\n[[package]]\nname = \"x\"\nversion = \"1\nx = 2\n").unwrap_err();
        assert_eq!(e.line, 5);
        let e = parse("version = 1\n\n[[package]]\nversion = \"1\"\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(parse("version = 1\n").unwrap().is_empty());
    }
}
