//! `conan.lock`: Conan 1 graph locks (`graph_lock.nodes`, lock versions 0.1 to 0.4, with
//! `ref` or `pref`) and Conan 2 locks (version 0.5: `requires`, `build_requires` and
//! `python_requires` lists). References are `name/version[@user/channel][#revision]`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::{Map, Value};

use super::{JsonLines, json_object};
use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, purl};

/// `zlib/1.2.13@user/channel#rev%1667396813.733` (or a package reference, `…:package_id#prev`)
/// → (`zlib`, `1.2.13`); `None` when the reference has no name.
fn reference(r: &str) -> Option<(&str, &str)> {
    let r = r.split(['#', '%', ':']).next()?;
    let r = r.split('@').next()?;
    let (name, version) = r.trim().split_once('/')?;
    (!name.is_empty() && !version.is_empty()).then_some((name, version))
}

fn package(name: &str, version: &str, line: u32, scope: Option<Scope>) -> Package {
    Package {
        ecosystem: Ecosystem::ConanCenter,
        name: name.to_owned(),
        version: version.to_owned(),
        purl: purl(Ecosystem::ConanCenter, name, version),
        direct: None,
        scope,
        line,
        hashes: Vec::new(),
        dependencies: Vec::new(),
    }
}

/// Parses a `conan.lock`. In Conan 2 locks, `build_requires` and `python_requires` are dev
/// (build-time); in Conan 1 graph locks, what the root requires is direct and what is
/// reached only through build requirements is dev.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let root = json_object(text, "conan.lock")?;
    let lines = JsonLines::new(text, 4);
    if let Some(graph) = root.get("graph_lock") {
        let nodes = graph.get("nodes").and_then(Value::as_object);
        let Some(nodes) = nodes else {
            return Err(ParseError::new(
                lines.line(&["graph_lock"]).max(1),
                "`graph_lock` has no `nodes` object",
            ));
        };
        return graph_lock(nodes, &lines);
    }
    if !["requires", "build_requires", "python_requires"]
        .iter()
        .any(|k| root.contains_key(*k))
    {
        return Err(ParseError::new(
            1,
            "not a conan.lock: neither `graph_lock` nor `requires`",
        ));
    }
    let mut out = Vec::new();
    for (key, scope) in [
        ("requires", Scope::Runtime),
        ("build_requires", Scope::Dev),
        ("python_requires", Scope::Dev),
    ] {
        let Some(value) = root.get(key).filter(|v| !v.is_null()) else {
            continue;
        };
        let Some(list) = value.as_array() else {
            return Err(ParseError::new(
                lines.line(&[key]).max(1),
                &format!("`{key}` is not an array"),
            ));
        };
        for (i, r) in list.iter().enumerate() {
            let line = lines.line(&[key, &i.to_string()]);
            let Some(r) = r.as_str() else {
                return Err(ParseError::new(line.max(1), "a reference is not a string"));
            };
            if let Some((name, version)) = reference(r) {
                out.push(package(name, version, line, Some(scope)));
            }
        }
    }
    Ok(out)
}

/// A node's requirement ids: a list (0.2+) or an object of reference → id (0.0, 0.1).
fn node_ids(node: &Value, key: &str) -> Vec<String> {
    match node.get(key) {
        Some(Value::Array(ids)) => ids
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(Value::Object(map)) => map
            .values()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn graph_lock(nodes: &Map<String, Value>, lines: &JsonLines) -> Result<Vec<Package>, ParseError> {
    // The root: the node with a `path` (the conanfile), else the node "0", else one nobody
    // requires.
    let required: BTreeSet<String> = nodes
        .values()
        .flat_map(|n| {
            let mut ids = node_ids(n, "requires");
            ids.extend(node_ids(n, "build_requires"));
            ids
        })
        .collect();
    let root = nodes
        .iter()
        .find(|(_, n)| n.get("path").is_some())
        .or_else(|| nodes.get_key_value("0"))
        .or_else(|| nodes.iter().find(|(id, _)| !required.contains(*id)))
        .map(|(id, _)| id.clone());
    let reach = |starts: Vec<String>| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut queue: VecDeque<String> = starts.into();
        while let Some(id) = queue.pop_front() {
            if let Some(node) = nodes.get(&id) {
                if seen.insert(id) {
                    queue.extend(node_ids(node, "requires"));
                    queue.extend(node_ids(node, "build_requires"));
                }
            }
        }
        seen
    };
    let root_node = root.as_ref().and_then(|r| nodes.get(r));
    let direct: BTreeSet<String> = root_node
        .map(|n| {
            let mut ids = node_ids(n, "requires");
            ids.extend(node_ids(n, "build_requires"));
            ids.into_iter().collect()
        })
        .unwrap_or_default();
    // Runtime: reached from the root's requires through requires only.
    let mut runtime = BTreeSet::new();
    let mut queue: VecDeque<String> = root_node
        .map(|n| node_ids(n, "requires"))
        .unwrap_or_default()
        .into();
    while let Some(id) = queue.pop_front() {
        if let Some(node) = nodes.get(&id) {
            if runtime.insert(id) {
                queue.extend(node_ids(node, "requires"));
            }
        }
    }
    let all = reach(root.iter().cloned().collect());
    let mut purls: BTreeMap<&str, String> = BTreeMap::new();
    let mut out = Vec::new();
    for (id, node) in nodes {
        if Some(id) == root.as_ref() {
            continue;
        }
        let line = lines.line(&["graph_lock", "nodes", id]);
        let r = node
            .get("ref")
            .or_else(|| node.get("pref"))
            .and_then(Value::as_str);
        let Some((name, version)) = r.and_then(reference) else {
            continue;
        };
        let scope = if root.is_none() {
            None
        } else if runtime.contains(id) {
            Some(Scope::Runtime)
        } else if all.contains(id) {
            Some(Scope::Dev)
        } else {
            None
        };
        let mut p = package(name, version, line, scope);
        p.direct = root.as_ref().map(|_| direct.contains(id));
        purls.insert(id, p.purl.clone());
        out.push((id, node, p));
    }
    Ok(out
        .into_iter()
        .map(|(_, node, mut p)| {
            let mut deps: BTreeSet<String> = BTreeSet::new();
            for dep in node_ids(node, "requires") {
                if let Some(purl) = purls.get(dep.as_str()) {
                    deps.insert(purl.clone());
                }
            }
            p.dependencies = deps.into_iter().collect();
            p
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn v2_lists() {
        let text = "{\n    \"version\": \"0.5\",\n    \"requires\": [\n        \"zlib/1.2.13#13c9%1667396813.733\",\n        \"1.2.3#ffa7%1667396813.184\"\n    ],\n    \"build_requires\": [\n        \"ninja/1.11.1@user/stable#a2f0%1667050636.338\"\n    ]\n}\n";
        let p = parse(text).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].purl, "pkg:conan/zlib@1.2.13");
        assert_eq!(p[0].line, 4);
        assert_eq!(p[0].scope, Some(Scope::Runtime));
        assert_eq!(p[1].name, "ninja");
        assert_eq!(p[1].version, "1.11.1");
        assert_eq!(p[1].scope, Some(Scope::Dev));
        assert_eq!(p[1].line, 8);
    }

    #[test]
    fn v1_graph() {
        let text = r#"{
 "graph_lock": {
  "nodes": {
   "0": {"ref": "app/1.0", "requires": ["1"], "build_requires": ["3"], "path": "conanfile.py"},
   "1": {"ref": "libpng/1.6.39", "requires": ["2"]},
   "2": {"pref": "zlib/1.2.13#13c9:1972#5884"},
   "3": {"ref": "ninja/1.11.1"}
  }
 },
 "version": "0.4"
}
"#;
        let p = parse(text).unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].name, "libpng");
        assert_eq!(p[0].line, 5);
        assert_eq!(p[0].direct, Some(true));
        assert_eq!(p[0].scope, Some(Scope::Runtime));
        assert_eq!(p[0].dependencies, ["pkg:conan/zlib@1.2.13"]);
        assert_eq!(p[1].name, "zlib");
        assert_eq!(p[1].direct, Some(false));
        assert_eq!(p[2].name, "ninja");
        assert_eq!(p[2].direct, Some(true));
        assert_eq!(p[2].scope, Some(Scope::Dev));
    }

    #[test]
    fn malformed() {
        assert_eq!(parse("not json\n").unwrap_err().line, 1);
        assert_eq!(parse("{\n  \"version\": \"0.5\"\n}\n").unwrap_err().line, 1);
        let e = parse("{\n  \"requires\": [\n    1\n  ]\n}\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(parse("").unwrap().is_empty());
    }
}
