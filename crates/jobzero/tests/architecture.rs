//! The shape of the code: no module of any crate depends, through any chain, on a module that
//! depends on it. A cycle makes two modules one in all but name; say which way the
//! dependency goes by moving the shared type down (the way `state.rs` holds the hub's
//! `AppState` for both the API and the dashboard).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`rules::network`) → its source, test modules cut off.
fn modules(src: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap().with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
            out.insert(parts.join("::"), code);
        }
    }
    out
}

fn ident_start(c: char) -> bool {
    c.is_ascii_lowercase() || c == '_'
}

/// The paths a module names after `crate::` (each item of a `crate::{a, b::c}` group too).
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let body = group.split('}').next().unwrap_or("");
            for item in body.split(',') {
                let segs = path_of(item.trim());
                if !segs.is_empty() {
                    out.push(segs);
                }
            }
        } else {
            out.push(path_of(rest));
        }
    }
    out
}

fn path_of(text: &str) -> Vec<String> {
    let mut segs = Vec::new();
    let mut rest = text;
    loop {
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let seg = &rest[..len];
        if seg.is_empty() || !seg.starts_with(ident_start) {
            break;
        }
        segs.push(seg.to_owned());
        match rest[len..].strip_prefix("::") {
            Some(r) => rest = r,
            None => break,
        }
    }
    segs
}

/// Edges between sibling modules: `a::x` using `crate::a::y::...` is `a::x → a::y`.
fn edges(mods: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let exists = |p: &str| {
        mods.keys()
            .any(|k| k == p || k.starts_with(&format!("{p}::")))
    };
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, code) in mods {
        let own: Vec<&str> = if m.is_empty() {
            Vec::new()
        } else {
            m.split("::").collect()
        };
        // `super::x` from `a::b` names the sibling `a::x`.
        let mut paths = crate_paths(code);
        if let Some((_, parent)) = own.split_last() {
            for (i, _) in code.match_indices("super::") {
                let segs = path_of(&code[i + "super::".len()..]);
                if let Some(first) = segs.first() {
                    let mut full: Vec<String> = parent.iter().map(|s| (*s).to_owned()).collect();
                    full.push(first.clone());
                    paths.push(full);
                }
            }
        }
        for segs in paths {
            let same = own
                .iter()
                .zip(&segs)
                .take_while(|(a, b)| **a == b.as_str())
                .count();
            if same >= own.len() || same >= segs.len() {
                continue;
            }
            let from = own[..=same].join("::");
            let to = segs[..=same].join("::");
            if exists(&to) {
                out.entry(from).or_default().insert(to);
            }
        }
    }
    out
}

/// Strongly connected components with more than one module.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = edges.keys().chain(edges.values().flatten()).collect();
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for next in edges.get(&n).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    for n in &nodes {
        let mut comp: Vec<String> = nodes
            .iter()
            .filter(|m| reachable[*n].contains(**m) && reachable[**m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        comp.sort();
        if comp.len() > 1 {
            found.insert(comp);
        }
    }
    found.into_iter().collect()
}

#[test]
fn no_module_cycles_in_any_crate() {
    let crates = common::workspace().join("crates");
    let mut problems = Vec::new();
    let mut checked = 0;
    for krate in std::fs::read_dir(&crates).unwrap() {
        let krate = krate.unwrap().path();
        let src = krate.join("src");
        if !src.is_dir() {
            continue;
        }
        let mods = modules(&src);
        checked += mods.len();
        for comp in cycles(&edges(&mods)) {
            problems.push(format!(
                "{}: {}",
                krate.file_name().unwrap().to_string_lossy(),
                comp.join(" <-> ")
            ));
        }
    }
    assert!(checked > 300, "read only {checked} modules");
    assert!(
        problems.is_empty(),
        "import cycles:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mods: BTreeMap<String, String> = [
        ("a".to_owned(), "use crate::b::Thing;".to_owned()),
        ("b".to_owned(), "use crate::{c, d::X};".to_owned()),
        ("c".to_owned(), "fn f() { crate::a::g() }".to_owned()),
        ("d".to_owned(), String::new()),
        ("e::x".to_owned(), "use super::y::Y;".to_owned()),
        ("e::y".to_owned(), "use super::x::X;".to_owned()),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        cycles(&edges(&mods)),
        vec![vec!["a", "b", "c"], vec!["e::x", "e::y"]]
    );
}
