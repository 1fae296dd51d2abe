//! Workflow files GitHub would refuse before running a job: empty or comment-only files,
//! documents that are not a mapping, a missing `on` or `jobs`, and duplicate keys (YAML
//! forbids them; GitHub rejects the file, and which value a reader keeps differs). Each is an
//! error at its line, like any input that cannot be read, rather than a silent pass.

use std::collections::BTreeMap;

use jobzero_core::yaml::{Kind, Node, Yaml};

/// The line and reason GitHub would refuse the workflow, if it would.
pub fn invalid_workflow(yaml: &Yaml) -> Option<(u32, String)> {
    let Some(doc) = yaml.first().filter(|d| !d.is_null()) else {
        return Some((
            1,
            "empty workflow file: it has no `on` and no `jobs`, and GitHub rejects it".to_owned(),
        ));
    };
    match doc.kind() {
        Kind::Mapping => {}
        Kind::Scalar => {
            return Some((
                doc.line(),
                "not a workflow: the document is a single value, not a mapping with `on` and `jobs`"
                    .to_owned(),
            ));
        }
        Kind::Sequence => {
            return Some((
                doc.line(),
                "not a workflow: the document is a list, not a mapping with `on` and `jobs`"
                    .to_owned(),
            ));
        }
    }
    if let Some(duplicate) = duplicate_key(doc) {
        return Some(duplicate);
    }
    for key in ["on", "jobs"] {
        if doc.get(key).is_none() {
            return Some((
                doc.line(),
                format!("not a valid workflow: no `{key}` (GitHub rejects the file)"),
            ));
        }
    }
    None
}

/// The first key that appears twice in one mapping, anywhere in `node`.
fn duplicate_key(node: Node<'_>) -> Option<(u32, String)> {
    match node.kind() {
        Kind::Mapping => {
            let mut seen: BTreeMap<&str, u32> = BTreeMap::new();
            for (k, v) in node.entries() {
                if let Some(name) = k.as_str() {
                    if let Some(first) = seen.insert(name, k.line()) {
                        return Some((
                            k.line(),
                            format!(
                                "duplicate key `{name}` (first at line {first}): YAML forbids it and GitHub rejects the file"
                            ),
                        ));
                    }
                }
                if let Some(found) = duplicate_key(v) {
                    return Some(found);
                }
            }
            None
        }
        Kind::Sequence => node.items().find_map(duplicate_key),
        Kind::Scalar => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Option<(u32, String)> {
        invalid_workflow(&Yaml::parse(text).unwrap_or_else(|e| panic!("{e:?}")))
    }

    #[test]
    fn what_github_refuses() {
        assert_eq!(check("").map(|e| e.0), Some(1));
        assert!(
            check("# only a comment\n")
                .unwrap()
                .1
                .starts_with("empty workflow")
        );
        assert!(check("hello\n").unwrap().1.contains("single value"));
        assert!(check("- a\n- b\n").unwrap().1.contains("a list"));
        assert!(check("name: x\njobs: {}\n").unwrap().1.contains("no `on`"));
        let dup = check("on: push\njobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n").unwrap();
        assert_eq!(dup.0, 5);
        assert!(
            dup.1.contains("duplicate key `a` (first at line 3)"),
            "{}",
            dup.1
        );
        assert_eq!(check("on: push\njobs:\n  a:\n    runs-on: x\n"), None);
    }
}
