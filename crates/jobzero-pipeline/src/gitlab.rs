//! GitLab CI: jobs, scripts and `include:` of local files.

use jobzero_core::yaml::{Kind, Node};

/// Top-level keys that are not jobs.
const RESERVED: &[&str] = &[
    "include",
    "image",
    "services",
    "variables",
    "default",
    "stages",
    "workflow",
    "before_script",
    "after_script",
    "cache",
    "pages_deploy",
    "spec",
    "types",
];

/// A job (hidden templates such as `.build` included: other jobs `extends:` them).
#[derive(Debug, Clone)]
pub struct GitlabJob<'y> {
    /// Its name.
    pub name: &'y str,
    /// The key node.
    pub key: Node<'y>,
    /// The job's mapping.
    pub node: Node<'y>,
}

/// The jobs of a GitLab CI document.
pub fn jobs(root: Node<'_>) -> Vec<GitlabJob<'_>> {
    root.entries()
        .filter(|(_, v)| v.kind() == Kind::Mapping)
        .filter_map(|(k, v)| {
            let name = k.as_text()?;
            (!RESERVED.contains(&name)).then_some(GitlabJob {
                name,
                key: k,
                node: v,
            })
        })
        .collect()
}

/// The script lines of a mapping (a job or `default:`), with routes: `script`,
/// `before_script`, `after_script`, as a string or a (nested) list.
pub fn script_lines<'y>(node: Node<'y>, route: &str) -> Vec<(Node<'y>, String)> {
    let mut out = Vec::new();
    for key in ["before_script", "script", "after_script"] {
        let Some(v) = node.get(key) else { continue };
        let base = if route.is_empty() {
            key.to_owned()
        } else {
            format!("{route}.{key}")
        };
        collect(v, base, &mut out, 0);
    }
    out
}

fn collect<'y>(node: Node<'y>, route: String, out: &mut Vec<(Node<'y>, String)>, depth: u32) {
    match node.kind() {
        Kind::Scalar => out.push((node, route)),
        Kind::Sequence if depth < 8 => {
            for (i, item) in node.items().enumerate() {
                collect(item, format!("{route}[{i}]"), out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The `include:` entries as `(kind, node of the entry, route)`: kind is `local`,
/// `remote`, `project`, `template` or `component`.
pub fn includes(root: Node<'_>) -> Vec<(&'static str, Node<'_>, String)> {
    let Some(include) = root.get("include") else {
        return Vec::new();
    };
    let mut entries: Vec<(Node<'_>, String)> = Vec::new();
    match include.kind() {
        Kind::Sequence => entries.extend(
            include
                .items()
                .enumerate()
                .map(|(i, n)| (n, format!("include[{i}]"))),
        ),
        _ => entries.push((include, "include".to_owned())),
    }
    entries
        .into_iter()
        .filter_map(|(n, route)| {
            if let Some(s) = n.as_text() {
                let kind = if s.starts_with("http://") || s.starts_with("https://") {
                    "remote"
                } else {
                    "local"
                };
                return Some((kind, n, route));
            }
            ["local", "remote", "project", "template", "component"]
                .into_iter()
                .find(|k| n.get(k).is_some())
                .map(|k| (k, n, route))
        })
        .collect()
}

/// The local files an `include:` names, relative to the repository root, without the
/// leading `/`.
pub fn local_includes(root: Node<'_>) -> Vec<String> {
    includes(root)
        .into_iter()
        .filter(|(k, _, _)| *k == "local")
        .filter_map(|(_, n, _)| n.as_text().or_else(|| n.get("local")?.as_text()))
        .map(|p| p.trim().trim_start_matches('/').to_owned())
        .collect()
}

/// The value of `key` for a job, following `extends:` (a name or a list; later entries win,
/// the job's own key wins over all) up to 8 levels: where GitLab would take it from.
pub fn inherited<'y>(root: Node<'y>, job: Node<'y>, key: &str) -> Option<Node<'y>> {
    inherited_at(root, job, key, 0)
}

fn inherited_at<'y>(root: Node<'y>, job: Node<'y>, key: &str, depth: u32) -> Option<Node<'y>> {
    if let Some(v) = job.get(key) {
        return Some(v);
    }
    if depth >= 8 {
        return None;
    }
    let extends = job.get("extends")?;
    let mut parents: Vec<&str> = extends.as_text().into_iter().collect();
    parents.extend(extends.items().filter_map(|i| i.as_text()));
    parents
        .iter()
        .rev()
        .filter_map(|name| root.get(name))
        .find_map(|parent| inherited_at(root, parent, key, depth + 1))
}
