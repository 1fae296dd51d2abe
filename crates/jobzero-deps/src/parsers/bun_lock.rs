//! `bun.lock`, Bun's text lockfile: JSON with trailing commas.
//!
//! `packages` is keyed by the package's place in the `node_modules` tree (`chalk`,
//! `chalk/supports-color`); each value is a tuple whose first element is `name@version` and
//! whose third, for registry packages, holds the package's own dependencies. A dependency
//! resolves the way Node does: the nearest enclosing `…/name`, then the top level. Git, file
//! and workspace entries carry no registry version and are not packages here.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{JsonLines, line_of_offset};
use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, purl};
use crate::parsers::npm_lock::integrity;

const RUNTIME: [&str; 3] = ["dependencies", "optionalDependencies", "peerDependencies"];
const DEV: [&str; 1] = ["devDependencies"];

/// Deeper nesting than any lockfile has: refused before the recursive parser sees it.
const MAX_DEPTH: usize = 128;

/// Parses a `bun.lock`.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    if let Some(offset) = too_deep(text) {
        return Err(ParseError::new(
            line_of_offset(text, offset),
            &format!("nesting deeper than {MAX_DEPTH} levels"),
        ));
    }
    let value = jsonc_parser::parse_to_serde_value(text, &jsonc_parser::ParseOptions::default())
        .map_err(|e| {
            ParseError::new(
                u32::try_from(e.line_display()).unwrap_or(u32::MAX).max(1),
                &e.kind().to_string(),
            )
        })?;
    let Some(Value::Object(root)) = value else {
        if value.is_none() {
            return Ok(Vec::new());
        }
        return Err(ParseError::new(
            1,
            "not a bun.lock: the top level is not an object",
        ));
    };
    if !root.is_empty() && !root.contains_key("lockfileVersion") {
        return Err(ParseError::new(1, "not a bun.lock: no `lockfileVersion`"));
    }
    let empty = serde_json::Map::new();
    let packages = root
        .get("packages")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let lines = JsonLines::new(text, 2);

    // Each tree path with its name, version and the dependency names it declares.
    let mut tree: BTreeMap<&str, (String, String, Vec<&str>)> = BTreeMap::new();
    for (path, tuple) in packages {
        let Some(Value::Array(items)) = Some(tuple) else {
            continue;
        };
        let Some((name, version)) = items.first().and_then(Value::as_str).and_then(split_id) else {
            continue;
        };
        let deps: Vec<&str> = items
            .iter()
            .find_map(Value::as_object)
            .map(|meta| {
                RUNTIME
                    .iter()
                    .filter_map(|s| meta.get(*s).and_then(Value::as_object))
                    .flat_map(|m| m.keys().map(String::as_str))
                    .collect()
            })
            .unwrap_or_default();
        tree.insert(path, (name.to_owned(), version.to_owned(), deps));
    }

    let resolve = |from: &str, dep: &str| -> Option<String> {
        let mut base = from;
        loop {
            let candidate = if base.is_empty() {
                dep.to_owned()
            } else {
                format!("{base}/{dep}")
            };
            if tree.contains_key(candidate.as_str()) {
                return Some(candidate);
            }
            if base.is_empty() {
                return None;
            }
            base = parent(base);
        }
    };
    let workspaces: Vec<&serde_json::Map<String, Value>> = root
        .get("workspaces")
        .and_then(Value::as_object)
        .map(|w| w.values().filter_map(Value::as_object).collect())
        .unwrap_or_default();
    let roots = |sections: &[&str]| -> Vec<String> {
        workspaces
            .iter()
            .flat_map(|w| sections.iter().filter_map(|s| w.get(*s)?.as_object()))
            .flat_map(|m| m.keys())
            .filter(|name| tree.contains_key(name.as_str()))
            .cloned()
            .collect()
    };
    let reach = |start: Vec<String>| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = start;
        while let Some(path) = stack.pop() {
            if let Some((_, _, deps)) = tree.get(path.as_str()) {
                stack.extend(deps.iter().filter_map(|d| resolve(&path, d)));
            }
            seen.insert(path);
        }
        seen
    };
    let direct_roots: BTreeSet<String> = roots(&[RUNTIME.as_slice(), DEV.as_slice()].concat())
        .into_iter()
        .collect();
    let runtime = reach(roots(&RUNTIME));
    let dev = reach(roots(&DEV));

    let mut out: BTreeMap<(String, String), Package> = BTreeMap::new();
    for (path, (name, version, deps)) in &tree {
        let scope = if runtime.contains(*path) {
            Some(Scope::Runtime)
        } else if dev.contains(*path) {
            Some(Scope::Dev)
        } else {
            None
        };
        let dependencies = deps
            .iter()
            .filter_map(|d| resolve(path, d))
            .filter_map(|p| tree.get(p.as_str()))
            .map(|(n, v, _)| purl(Ecosystem::Npm, n, v));
        let hashes = packages
            .get(*path)
            .and_then(Value::as_array)
            .and_then(|items| {
                items
                    .iter()
                    .skip(1)
                    .filter_map(Value::as_str)
                    .find_map(integrity)
            });
        let package = out
            .entry((name.clone(), version.clone()))
            .or_insert_with(|| Package {
                ecosystem: Ecosystem::Npm,
                name: name.clone(),
                version: version.clone(),
                purl: purl(Ecosystem::Npm, name, version),
                direct: Some(false),
                scope,
                line: lines.line(&["packages", path]),
                hashes: hashes.into_iter().collect(),
                dependencies: Vec::new(),
            });
        if direct_roots.contains(*path) {
            package.direct = Some(true);
        }
        super::merge_variant(package, scope, dependencies);
    }
    Ok(out.into_values().collect())
}

/// The enclosing tree path: `a/@s/b/c` → `a/@s/b`, `@s/b` → `` (a scoped name is one
/// segment).
fn parent(path: &str) -> &str {
    let mut cut = 0;
    let mut segment_start = 0;
    let mut in_scope = path.starts_with('@');
    for (i, c) in path.char_indices() {
        if c != '/' {
            continue;
        }
        if in_scope {
            // The `/` inside `@scope/name`.
            in_scope = false;
            continue;
        }
        cut = segment_start.max(i);
        segment_start = i;
        in_scope = path.get(i + 1..).is_some_and(|r| r.starts_with('@'));
    }
    path.get(..cut).unwrap_or("")
}

/// `@scope/name@1.0.0` → (`@scope/name`, `1.0.0`); `None` unless the version is a registry
/// version (git, file, workspace and link entries are not).
fn split_id(id: &str) -> Option<(&str, &str)> {
    let at = id.get(1..)?.find('@')? + 1;
    let (name, version) = (id.get(..at)?, id.get(at + 1..)?);
    (!name.is_empty() && version.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .then_some((name, version))
}

/// The offset where nesting first exceeds [`MAX_DEPTH`], strings skipped.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn tree_paths_and_ids() {
        assert_eq!(
            parent("chalk/supports-color/has-flag"),
            "chalk/supports-color"
        );
        assert_eq!(parent("@s/a/@t/b"), "@s/a");
        assert_eq!(parent("@s/a"), "");
        assert_eq!(parent("a"), "");
        assert_eq!(split_id("@s/a@1.2.3"), Some(("@s/a", "1.2.3")));
        assert_eq!(split_id("a@github:o/r#1"), None);
        assert_eq!(split_id("etag@file:deps/etag"), None);
        assert!(too_deep(&"[".repeat(200)).is_some());
        assert!(too_deep("{\"a\": \"[[[[[\"}").is_none());
    }
}
