//! `pnpm-lock.yaml`, lockfile versions 5.x, 6.x and 9.x.
//!
//! The three versions key packages differently: `/name/1.0.0_peer` (5), `/name@1.0.0(peer)` (6)
//! and `name@1.0.0` with peer variants under `snapshots` (9). Git and tarball packages carry
//! their `name` and `version` as fields. Direct dependencies come from the importers (the root
//! sections before 6.0 workspaces); dev scope from each package's `dev` flag when the
//! lockfile writes one, otherwise from what the importers' dev and runtime dependencies reach.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jobzero_core::yaml::{Node, Yaml};

use super::yaml_error;
use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, purl};
use crate::parsers::npm_lock::integrity;

const RUNTIME_SECTIONS: [&str; 2] = ["dependencies", "optionalDependencies"];
const DEV_SECTIONS: [&str; 1] = ["devDependencies"];

/// The key style of a lockfile version.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `/name/version_peers`
    Slash,
    /// `/name@version(peers)` (6) and `name@version(peers)` (9)
    At,
}

/// A package entry under `packages` (or `snapshots`), resolved to a name and version.
struct Entry<'y> {
    name: String,
    version: String,
    line: u32,
    node: Node<'y>,
}

/// Parses a `pnpm-lock.yaml`.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    let yaml = Yaml::parse(text).map_err(|e| yaml_error(&e))?;
    let Some(root) = yaml.first().filter(|r| !r.is_null()) else {
        return Ok(Vec::new());
    };
    if root.get("lockfileVersion").is_none() {
        return Err(ParseError::new(
            root.line(),
            "not a pnpm lockfile: no `lockfileVersion`",
        ));
    }
    let version = root.get("lockfileVersion").and_then(|v| v.as_str());
    let major = version
        .and_then(|v| v.split('.').next())
        .and_then(|m| m.trim_start_matches('v').parse::<u32>().ok())
        .ok_or_else(|| {
            ParseError::new(
                root.get("lockfileVersion").map_or(1, |n| n.line()),
                &format!("unknown lockfileVersion {version:?}"),
            )
        })?;
    let style = if major >= 6 { Style::At } else { Style::Slash };

    // v9 splits metadata (`packages`) from the dependency graph (`snapshots`).
    let packages = root.get("packages");
    let graph_section = root.get("snapshots").or(packages);
    let metadata: HashMap<&str, (u32, Node<'_>)> = packages
        .map(|p| {
            p.entries()
                .filter_map(|(k, v)| Some((k.as_str()?, (k.line(), v))))
                .collect()
        })
        .unwrap_or_default();
    let mut graph: HashMap<&str, Entry<'_>> = HashMap::new();
    if let Some(section) = graph_section {
        for (key, node) in section.entries() {
            let Some(k) = key.as_str() else { continue };
            let meta = metadata.get(strip_peers(k)).map_or(node, |m| m.1);
            if let Some((name, version)) = name_version(k, &[node, meta], style) {
                graph.insert(
                    k,
                    Entry {
                        name,
                        version,
                        line: key.line(),
                        node,
                    },
                );
            }
        }
    }
    let resolve = |name: &str, reference: &str| -> Option<&str> {
        let candidates = match style {
            Style::Slash => [
                format!("/{name}/{reference}"),
                reference.to_owned(),
                format!("/{reference}"),
            ],
            Style::At => [
                format!("{name}@{reference}"),
                format!("/{name}@{reference}"),
                reference.to_owned(),
            ],
        };
        candidates
            .iter()
            .chain(std::iter::once(&format!("/{reference}")))
            .find_map(|c| graph.get_key_value(c.as_str()).map(|(k, _)| *k))
    };

    // Roots: the importers, or the top level of a single-project lockfile before 9.
    let mut importers: Vec<Node<'_>> = root
        .get("importers")
        .map(|i| i.entries().map(|(_, v)| v).collect())
        .unwrap_or_default();
    if importers.is_empty() {
        importers.push(root);
    }
    let mut direct: BTreeSet<(String, String)> = BTreeSet::new();
    let mut runtime_roots = Vec::new();
    let mut dev_roots = Vec::new();
    for importer in &importers {
        for (sections, roots) in [
            (&RUNTIME_SECTIONS[..], &mut runtime_roots),
            (&DEV_SECTIONS[..], &mut dev_roots),
        ] {
            for section in sections.iter().filter_map(|s| importer.get(s)) {
                for (name, value) in section.entries() {
                    let Some(name) = name.as_str() else { continue };
                    // 6.0+ writes `{specifier, version}`; 5.x the version alone.
                    let reference = value
                        .get("version")
                        .and_then(|v| v.as_str())
                        .or_else(|| value.as_str());
                    if let Some(key) = reference.and_then(|r| resolve(name, r)) {
                        if let Some(e) = graph.get(key) {
                            direct.insert((e.name.clone(), e.version.clone()));
                        }
                        roots.push(key);
                    }
                }
            }
        }
    }
    let edges = |key: &str| -> Vec<&str> {
        let Some(entry) = graph.get(key) else {
            return Vec::new();
        };
        RUNTIME_SECTIONS
            .iter()
            .filter_map(|s| entry.node.get(s))
            .flat_map(|section| section.entries())
            .filter_map(|(n, v)| resolve(n.as_str()?, v.as_str()?))
            .collect()
    };
    let reach = |roots: &[&str]| -> BTreeSet<String> {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut stack: Vec<&str> = roots.to_vec();
        while let Some(k) = stack.pop() {
            if seen.insert(k) {
                stack.extend(edges(k));
            }
        }
        seen.into_iter().map(str::to_owned).collect()
    };
    let runtime = reach(&runtime_roots);
    let dev = reach(&dev_roots);

    // One package per name and version, however many peer variants the graph has.
    let mut out: BTreeMap<(String, String), Package> = BTreeMap::new();
    let mut keys: Vec<&&str> = graph.keys().collect();
    keys.sort();
    for key in keys {
        let Some(entry) = graph.get(*key) else {
            continue;
        };
        let id = (entry.name.clone(), entry.version.clone());
        // The metadata entry (v9) has the integrity and the line users look for.
        let meta = metadata
            .get(strip_peers(key))
            .copied()
            .unwrap_or((entry.line, entry.node));
        let scope = match entry.node.get("dev").and_then(|d| d.as_bool()) {
            Some(true) => Some(Scope::Dev),
            Some(false) => Some(Scope::Runtime),
            None if runtime.contains(*key) => Some(Scope::Runtime),
            None if dev.contains(*key) => Some(Scope::Dev),
            None => None,
        };
        let dependencies: Vec<String> = edges(key)
            .into_iter()
            .filter_map(|d| graph.get(d))
            .map(|d| purl(Ecosystem::Npm, &d.name, &d.version))
            .collect();
        let package = out.entry(id.clone()).or_insert_with(|| Package {
            ecosystem: Ecosystem::Npm,
            purl: purl(Ecosystem::Npm, &id.0, &id.1),
            direct: Some(direct.contains(&id)),
            scope,
            line: meta.0,
            hashes: meta
                .1
                .get("resolution")
                .and_then(|r| r.get("integrity"))
                .and_then(|i| i.as_str())
                .and_then(integrity)
                .into_iter()
                .collect(),
            dependencies: Vec::new(),
            name: id.0.clone(),
            version: id.1.clone(),
        });
        super::merge_variant(package, scope, dependencies);
    }
    Ok(out.into_values().collect())
}

/// `name@1.0.0(peer@2)(x@3)` → `name@1.0.0`.
fn strip_peers(key: &str) -> &str {
    // A `(` at the very start cannot open a peer suffix.
    match key.get(1..).and_then(|rest| rest.find('(')) {
        Some(i) => key.get(..=i).unwrap_or(key),
        None => key,
    }
}

/// The name and version of a package key, preferring the entry's own `name` and `version`
/// fields (git and tarball packages); `None` for keys that name no version.
fn name_version(key: &str, nodes: &[Node<'_>], style: Style) -> Option<(String, String)> {
    let field = |f: &str| {
        nodes
            .iter()
            .find_map(|n| n.get(f).and_then(|n| n.as_text()))
            .map(str::to_owned)
    };
    let (key_name, key_version) = match style {
        Style::At => at_key(key),
        Style::Slash => slash_key(key),
    }
    .map_or((None, None), |(n, v)| (Some(n), Some(v)));
    let name = field("name").or(key_name)?;
    // v9 keys of URL packages hold the URL where the version goes.
    let version = field("version")
        .filter(|v| is_version(v))
        .or(key_version.filter(|v| is_version(v)))?;
    Some((name, version))
}

fn is_version(v: &str) -> bool {
    v.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// `/@scope/name@1.0.0(peer)` or `name@1.0.0` → (`@scope/name`, `1.0.0`).
fn at_key(key: &str) -> Option<(String, String)> {
    let key = strip_peers(key.trim_start_matches('/'));
    let at = key.get(1..)?.find('@')? + 1;
    let (name, version) = (key.get(..at)?, key.get(at + 1..)?);
    if name.is_empty() || version.is_empty() {
        return None;
    }
    Some((name.to_owned(), version.to_owned()))
}

/// `/@scope/name/1.0.0_peer` or `registry.example/name/1.0.0` → (`@scope/name`, `1.0.0`).
fn slash_key(key: &str) -> Option<(String, String)> {
    let mut segments: Vec<&str> = key.split('/').collect();
    if !key.starts_with('/') && segments.first().is_some_and(|s| s.contains('.')) {
        // A registry host.
        segments.remove(0);
    }
    segments.retain(|s| !s.is_empty());
    let last = segments.pop()?;
    let version = last.split('_').next().unwrap_or(last);
    let name = match segments.as_slice() {
        [.., scope, name] if scope.starts_with('@') => format!("{scope}/{name}"),
        [.., name] => (*name).to_owned(),
        [] => return None,
    };
    Some((name, version.to_owned()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn keys_of_each_version() {
        assert_eq!(
            slash_key("/@types/node/1.0.0_x@1").unwrap(),
            ("@types/node".into(), "1.0.0".into())
        );
        assert_eq!(
            slash_key("registry.npmjs.org/@foo/bar/1.1.0").unwrap(),
            ("@foo/bar".into(), "1.1.0".into())
        );
        assert_eq!(
            slash_key("/foo/1.4.0_@types+babel__core@7.1.14").unwrap(),
            ("foo".into(), "1.4.0".into())
        );
        assert_eq!(
            at_key("/@a/b@1.0.0(c@2.0.0)").unwrap(),
            ("@a/b".into(), "1.0.0".into())
        );
        assert_eq!(
            at_key("is-number@7.0.0").unwrap(),
            ("is-number".into(), "7.0.0".into())
        );
        assert_eq!(at_key("invalid"), None);
        assert_eq!(strip_peers("a@1(b@2)(c@3)"), "a@1");
    }

    #[test]
    fn v9_scopes_from_reachability() {
        let text = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0(c@1.0.0)\n    devDependencies:\n      b:\n        specifier: ^1\n        version: 1.0.0\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha1-AAAA}\n  b@1.0.0:\n    resolution: {}\n  c@1.0.0: {}\n  d@1.0.0: {}\nsnapshots:\n  a@1.0.0(c@1.0.0):\n    dependencies:\n      c: 1.0.0\n  b@1.0.0:\n    dependencies:\n      d: 1.0.0\n  c@1.0.0: {}\n  d@1.0.0: {}\n";
        let p = parse(text).unwrap();
        let get = |n: &str| p.iter().find(|x| x.name == n).unwrap();
        assert_eq!(
            (get("a").direct, get("a").scope),
            (Some(true), Some(Scope::Runtime))
        );
        assert_eq!(get("a").line, 13);
        assert_eq!(get("a").hashes, ["SHA-1:000000"]);
        assert_eq!(get("a").dependencies, ["pkg:npm/c@1.0.0"]);
        assert_eq!(get("c").scope, Some(Scope::Runtime));
        assert_eq!(
            (get("b").direct, get("b").scope),
            (Some(true), Some(Scope::Dev))
        );
        assert_eq!(
            (get("d").direct, get("d").scope),
            (Some(false), Some(Scope::Dev))
        );
    }
}
