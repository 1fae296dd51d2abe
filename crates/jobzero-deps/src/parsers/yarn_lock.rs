//! `yarn.lock`, classic (v1: `name@range, "name@range":` headers, `  version "1.2.3"`) and
//! berry (v2+: a `__metadata` block, `"name@npm:range":` headers, `  version: 1.2.3`,
//! `  resolution: "name@npm:1.2.3"`), read line by line: both are the same two-level layout of
//! entries, their fields two spaces in, and field blocks (`dependencies:`) four spaces in.

use std::collections::{BTreeSet, HashMap};

use super::line_no;
use super::npm_lock::integrity;
use crate::ParseError;
use crate::model::{Ecosystem, Package, purl};

#[derive(Default)]
struct Entry {
    line: u32,
    specs: Vec<String>,
    version: Option<String>,
    resolution: Option<String>,
    integrity: Option<String>,
    /// `(name, range)` of `dependencies` and `optionalDependencies`.
    deps: Vec<(String, String)>,
}

/// `name@range` → (`name`, `range`); the name may be scoped (`@types/node@^20`).
fn split_spec(spec: &str) -> (&str, &str) {
    let from = usize::from(spec.starts_with('@'));
    match spec.get(from..).and_then(|r| r.find('@')) {
        Some(at) => {
            let at = at + from;
            (
                spec.get(..at).unwrap_or(spec),
                spec.get(at + 1..).unwrap_or(""),
            )
        }
        None => (spec, ""),
    }
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(s)
}

/// A field line (`key value`, `key: value`, `"key" "value"`) → (key, value).
fn key_value(s: &str) -> (&str, &str) {
    let s = s.trim();
    let (key, rest) = match s.strip_prefix('"') {
        Some(r) => r.split_once('"').unwrap_or((r, "")),
        None => s.split_once([' ', ':']).map_or((s, ""), |(k, r)| (k, r)),
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    (key, unquote(rest))
}

/// Protocols whose entries are not registry packages: the project's own workspaces, links to
/// directories, patched copies of another entry, local files.
const LOCAL: [&str; 6] = ["workspace:", "link:", "portal:", "patch:", "file:", "exec:"];

fn is_local(range: &str) -> bool {
    LOCAL.iter().any(|p| range.starts_with(p)) || range.contains("@patch:")
}

/// Parses a `yarn.lock`. Classic lockfiles do not say which packages the project declares;
/// berry lockfiles do, through their workspace entries, so `direct` is known there.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut current: Option<Entry> = None;
    let mut in_metadata = false;
    let mut block: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = line_no(i);
        let line = raw.trim_end();
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let depth = line.len() - body.len();
        if depth == 0 {
            entries.extend(current.take());
            block = None;
            let Some(header) = body.strip_suffix(':') else {
                return Err(ParseError::new(n, "expected an entry header ending in `:`"));
            };
            in_metadata = header == "__metadata";
            if !in_metadata {
                let specs = header
                    .replace('"', "")
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect();
                current = Some(Entry {
                    line: n,
                    specs,
                    ..Entry::default()
                });
            }
            continue;
        }
        if in_metadata {
            continue;
        }
        let Some(entry) = current.as_mut() else {
            return Err(ParseError::new(n, "indented line outside an entry"));
        };
        let (key, value) = key_value(body);
        if depth <= 2 {
            block = None;
            match key {
                "version" => entry.version = Some(value.to_owned()),
                "resolution" => entry.resolution = Some(value.to_owned()),
                "integrity" => entry.integrity = Some(value.to_owned()),
                _ if value.is_empty() && body.ends_with(':') => block = Some(key.to_owned()),
                _ => {}
            }
        } else if depth == 4
            && matches!(
                block.as_deref(),
                Some("dependencies" | "optionalDependencies")
            )
        {
            entry.deps.push((key.to_owned(), value.to_owned()));
        }
    }
    entries.extend(current);

    // Every spec → its entry.
    let mut by_spec: HashMap<&str, usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        for s in &e.specs {
            by_spec.entry(s.as_str()).or_insert(i);
        }
    }
    let lookup = |name: &str, range: &str| -> Option<usize> {
        by_spec
            .get(format!("{name}@{range}").as_str())
            .or_else(|| by_spec.get(format!("{name}@npm:{range}").as_str()))
            .copied()
    };
    // The package of each entry: (name, version), or `None` for workspaces and local code.
    let mut resolved: Vec<Option<(String, String)>> = Vec::with_capacity(entries.len());
    let mut workspaces = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(version) = e.version.as_deref() else {
            return Err(ParseError::new(e.line, "entry without a `version`"));
        };
        let first = e.specs.first().map_or("", String::as_str);
        let (spec_name, range) = split_spec(first);
        let name = match e.resolution.as_deref() {
            // berry: the resolution names the package actually installed.
            Some(resolution) => {
                let (name, protocol) = split_spec(resolution);
                if protocol.starts_with("workspace:") {
                    workspaces.push(i);
                }
                if is_local(protocol) { None } else { Some(name) }
            }
            // classic: `alias@npm:real@range` installs `real`.
            None => match range.strip_prefix("npm:") {
                Some(aliased) => Some(split_spec(aliased).0),
                None if is_local(range) => None,
                None => Some(spec_name),
            },
        };
        resolved.push(
            name.filter(|n| !n.is_empty() && version != "0.0.0-use.local")
                .map(|n| (n.to_owned(), version.to_owned())),
        );
    }
    let purl_of = |i: usize| {
        resolved
            .get(i)
            .and_then(Option::as_ref)
            .map(|(n, v)| purl(Ecosystem::Npm, n, v))
    };
    let direct: Option<BTreeSet<usize>> = (!workspaces.is_empty()).then(|| {
        workspaces
            .iter()
            .filter_map(|&w| entries.get(w))
            .flat_map(|e| e.deps.iter().filter_map(|(n, r)| lookup(n, r)))
            .collect()
    });
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, (e, r)) in entries.iter().zip(&resolved).enumerate() {
        let Some((name, version)) = r else { continue };
        if !seen.insert((name, version)) {
            continue;
        }
        let dependencies: BTreeSet<String> = e
            .deps
            .iter()
            .filter_map(|(n, r)| lookup(n, r))
            .filter_map(purl_of)
            .collect();
        out.push(Package {
            ecosystem: Ecosystem::Npm,
            name: name.clone(),
            version: version.clone(),
            purl: purl(Ecosystem::Npm, name, version),
            direct: direct.as_ref().map(|d| d.contains(&i)),
            scope: None,
            line: e.line,
            hashes: e
                .integrity
                .as_deref()
                .and_then(integrity)
                .into_iter()
                .collect(),
            dependencies: dependencies.into_iter().collect(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn classic() {
        let text = "# yarn lockfile v1\n\n\n\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.12.13\":\n  version \"7.12.13\"\n  resolved \"https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#abc\"\n  integrity sha1-2Klr13/Wjfd5OnMDajug1UBdR3s=\n  dependencies:\n    \"@babel/highlight\" \"^7.12.13\"\n\n\"@babel/highlight@^7.12.13\":\n  version \"7.14.0\"\n\ncjs@npm:ansi-regex@^5.0.0:\n  version \"5.0.1\"\n\nmine@file:../mine:\n  version \"1.0.0\"\n";
        let p = parse(text).unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].purl, "pkg:npm/%40babel/code-frame@7.12.13");
        assert_eq!(p[0].line, 4);
        assert_eq!(p[0].direct, None);
        assert_eq!(
            p[0].hashes,
            ["SHA-1:d8a96bd77fd68df7793a73036a3ba0d5405d477b"]
        );
        assert_eq!(p[0].dependencies, ["pkg:npm/%40babel/highlight@7.14.0"]);
        assert_eq!(p[1].line, 11);
        assert_eq!(p[2].name, "ansi-regex");
        assert_eq!(p[2].line, 14);
    }

    #[test]
    fn berry() {
        let text = "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\"ansi-regex@npm:^6.0.0, ansi-regex@npm:^6.0.1\":\n  version: 6.0.1\n  resolution: \"ansi-regex@npm:6.0.1\"\n  checksum: 10c0/abc\n  languageName: node\n  linkType: hard\n\n\"cjs@npm:ansi-regex@^5.0.0\":\n  version: 5.0.1\n  resolution: \"ansi-regex@npm:5.0.1\"\n  dependencies:\n    ansi-regex: \"npm:^6.0.0\"\n\n\"fsevents@patch:fsevents@npm%3A^2.3.3#optional!builtin<compat/fsevents>\":\n  version: 2.3.3\n  resolution: \"fsevents@patch:fsevents@npm%3A2.3.3#optional!builtin<compat/fsevents>::version=2.3.3\"\n\n\"mine@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"mine@workspace:.\"\n  dependencies:\n    cjs: \"npm:ansi-regex@^5.0.0\"\n  languageName: unknown\n  linkType: soft\n";
        let p = parse(text).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].purl, "pkg:npm/ansi-regex@6.0.1");
        assert_eq!(p[0].line, 5);
        assert_eq!(p[0].direct, Some(false));
        assert!(p[0].hashes.is_empty());
        assert_eq!(p[1].purl, "pkg:npm/ansi-regex@5.0.1");
        assert_eq!(p[1].line, 12);
        assert_eq!(p[1].direct, Some(true));
        assert_eq!(p[1].dependencies, ["pkg:npm/ansi-regex@6.0.1"]);
    }

    #[test]
    fn malformed() {
        assert_eq!(parse("a@1:\n  version \"1\"\nb@1\n").unwrap_err().line, 3);
        assert_eq!(parse("  version \"1\"\n").unwrap_err().line, 1);
        assert_eq!(parse("a@1:\n  resolved \"x\"\n").unwrap_err().line, 1);
        assert!(parse("# yarn lockfile v1\n\n").unwrap().is_empty());
    }
}
