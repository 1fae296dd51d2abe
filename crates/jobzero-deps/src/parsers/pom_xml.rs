//! `pom.xml`: the dependencies a Maven project declares, with their versions resolved as far
//! as the files in the repository allow.
//!
//! Resolved offline: `${…}` properties (the project's, its local parents', and the
//! `project.*` model values), versions from `dependencyManagement`, dependencies inherited
//! from local parents (found by `relativePath`, `../pom.xml` by default, and only when the
//! file there is the declared parent), and profiles active by default. What needs a remote
//! repository (remote parents, imported BOMs, transitive dependencies) is not resolved, so a
//! dependency whose version stays unknown, or is a range, is left out rather than guessed.
//! Build plugin dependencies are not the project's and are not read.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use roxmltree::{Document, Node};

use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, purl};

/// How many parents are followed, to stop cycles and runaway chains.
const MAX_PARENTS: usize = 16;

/// Reads a parent POM by its path relative to the scanned POM's directory.
pub type Loader<'a> = &'a dyn Fn(&Path) -> Option<String>;

#[derive(Debug, Clone, Default)]
struct Dependency {
    group: String,
    artifact: String,
    version: Option<String>,
    scope: Option<String>,
    line: u32,
}

#[derive(Debug, Clone, Default)]
struct ParentRef {
    group: String,
    artifact: String,
    version: String,
    relative_path: Option<String>,
    line: u32,
}

/// One POM file, as written.
#[derive(Debug, Clone, Default)]
struct Pom {
    group: Option<String>,
    artifact: String,
    version: Option<String>,
    parent: Option<ParentRef>,
    properties: Vec<(String, String)>,
    dependencies: Vec<Dependency>,
    managed: Vec<Dependency>,
}

/// Parses a `pom.xml` on its own (no parent files).
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    parse_with(text, &|_| None).map(|(packages, _)| packages)
}

/// Parses a `pom.xml`, reading local parents through `load`. Also returns a note for each
/// declared dependency whose version could not be resolved offline.
pub fn parse_with(text: &str, load: Loader<'_>) -> Result<(Vec<Package>, Vec<String>), ParseError> {
    let pom = read(text)?;
    // The chain from the POM up to its furthest local parent.
    let mut chain = vec![pom];
    let mut dir = PathBuf::new();
    let mut seen = HashSet::new();
    while chain.len() <= MAX_PARENTS {
        let Some(parent) = chain.last().and_then(|p| p.parent.clone()) else {
            break;
        };
        let relative = parent.relative_path.as_deref().unwrap_or("../pom.xml");
        if relative.trim().is_empty() {
            break;
        }
        let mut path = dir.join(relative.trim());
        if !relative.trim().ends_with(".xml") {
            path.push("pom.xml");
        }
        if !seen.insert(path.clone()) {
            break;
        }
        let Some(found) = load(&path).and_then(|t| read(&t).ok()) else {
            break;
        };
        // Maven uses the file only if it is the declared parent.
        if found.artifact != parent.artifact
            || found
                .group
                .as_deref()
                .or(found.parent.as_ref().map(|p| p.group.as_str()))
                != Some(parent.group.as_str())
        {
            break;
        }
        dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        chain.push(found);
    }
    Ok(resolve(&chain))
}

fn resolve(chain: &[Pom]) -> (Vec<Package>, Vec<String>) {
    let Some(pom) = chain.first() else {
        return (Vec::new(), Vec::new());
    };
    let props = Properties::new(chain);
    // The line where an inherited dependency comes in: the child's `<parent>`.
    let inherited_line = pom.parent.as_ref().map_or(1, |p| p.line);
    let key = |d: &Dependency| (props.expand(&d.group), props.expand(&d.artifact));

    let mut managed: HashMap<(String, String), &Dependency> = HashMap::new();
    for p in chain {
        for d in &p.managed {
            managed.entry(key(d)).or_insert(d);
        }
    }
    let mut declared: BTreeMap<(String, String), (Dependency, u32)> = BTreeMap::new();
    for (depth, p) in chain.iter().enumerate() {
        for d in &p.dependencies {
            let line = if depth == 0 { d.line } else { inherited_line };
            declared.entry(key(d)).or_insert_with(|| (d.clone(), line));
        }
    }

    let mut out = Vec::new();
    let mut notes = Vec::new();
    let mut unmanaged: Vec<(u32, String)> = Vec::new();
    // Where an unknown version most likely comes from, for the note.
    let outside = match chain.last().and_then(|p| p.parent.as_ref()) {
        Some(p) => format!(
            "managed by the parent {}:{}:{} outside the repository, or an imported BOM",
            p.group, p.artifact, p.version
        ),
        None => "not declared, or managed by an imported BOM".to_owned(),
    };
    for ((group, artifact), (dep, line)) in declared {
        if group.is_empty()
            || artifact.is_empty()
            || group.contains("${")
            || artifact.contains("${")
        {
            continue;
        }
        let managed = managed.get(&(group.clone(), artifact.clone()));
        let version = dep
            .version
            .as_deref()
            .or_else(|| managed.and_then(|m| m.version.as_deref()))
            .map(|v| props.expand(v));
        let Some(version) = version.as_deref().and_then(pinned) else {
            match version {
                Some(v) if v.contains("${") => notes.push(format!(
                    "line {line}: {group}:{artifact} left out: its version `{v}` names an unknown property"
                )),
                Some(v) => notes.push(format!(
                    "line {line}: {group}:{artifact} left out: its version `{v}` is a range"
                )),
                // Listed without a version (an SBOM still says the project uses it); one
                // note for all of these: a Spring Boot POM has dozens.
                None => {
                    unmanaged.push((line, format!("{group}:{artifact}")));
                    let name = format!("{group}:{artifact}");
                    out.push(Package {
                        ecosystem: Ecosystem::Maven,
                        purl: purl(Ecosystem::Maven, &name, ""),
                        name,
                        version: String::new(),
                        direct: Some(true),
                        scope: Some(Scope::Runtime),
                        line,
                        hashes: Vec::new(),
                        dependencies: Vec::new(),
                    });
                }
            }
            continue;
        };
        let scope = dep
            .scope
            .as_deref()
            .or_else(|| managed.and_then(|m| m.scope.as_deref()))
            .map(|s| props.expand(s));
        let scope = match scope.as_deref() {
            Some("import") => continue,
            Some("test") => Scope::Dev,
            _ => Scope::Runtime,
        };
        let name = format!("{group}:{artifact}");
        out.push(Package {
            ecosystem: Ecosystem::Maven,
            purl: purl(Ecosystem::Maven, &name, &version),
            name,
            version,
            direct: Some(true),
            scope: Some(scope),
            line,
            hashes: Vec::new(),
            dependencies: Vec::new(),
        });
    }
    out.sort();
    unmanaged.sort();
    match unmanaged.as_slice() {
        [] => {}
        [(line, name)] => notes.push(format!(
            "line {line}: {name} listed without a version: its version is {outside}"
        )),
        many => {
            let lines: Vec<String> = many.iter().map(|(l, _)| l.to_string()).collect();
            let names: Vec<&str> = many.iter().take(3).map(|(_, n)| n.as_str()).collect();
            notes.push(format!(
                "lines {}: {} dependencies listed without a version ({}{}): their versions are {outside}",
                lines.join(", "),
                many.len(),
                names.join(", "),
                if many.len() > 3 { ", …" } else { "" }
            ));
        }
    }
    // In line order, each note starting with the (first) line it is about.
    notes.sort_by_key(|n| {
        n.trim_start_matches("lines ")
            .trim_start_matches("line ")
            .split([':', ','])
            .next()
            .and_then(|l| l.parse::<u32>().ok())
            .unwrap_or(0)
    });
    (out, notes)
}

/// A version that names one release: `1.2`, or the hard requirement `[1.2]`; not ranges
/// or what is still unresolved.
fn pinned(version: &str) -> Option<String> {
    let v = version.trim();
    if v.is_empty() || v.contains("${") {
        return None;
    }
    if let Some(inner) = v.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return (!inner.contains(',') && !inner.trim().is_empty()).then(|| inner.trim().to_owned());
    }
    (!v.starts_with(['[', '(']) && !v.contains(',')).then(|| v.to_owned())
}

/// Property values of a POM chain, the child's winning.
struct Properties {
    map: HashMap<String, String>,
}

impl Properties {
    fn new(chain: &[Pom]) -> Properties {
        let mut map = HashMap::new();
        for p in chain.iter().rev() {
            for (k, v) in &p.properties {
                map.insert(k.clone(), v.clone());
            }
        }
        if let Some(pom) = chain.first() {
            let parent = pom.parent.as_ref();
            let group = pom.group.clone().or(parent.map(|p| p.group.clone()));
            let version = pom.version.clone().or(parent.map(|p| p.version.clone()));
            for prefix in ["project.", "pom.", ""] {
                if let Some(g) = &group {
                    map.insert(format!("{prefix}groupId"), g.clone());
                }
                map.insert(format!("{prefix}artifactId"), pom.artifact.clone());
                if let Some(v) = &version {
                    map.insert(format!("{prefix}version"), v.clone());
                }
            }
            if let Some(p) = parent {
                for prefix in ["project.parent.", "parent."] {
                    map.insert(format!("{prefix}groupId"), p.group.clone());
                    map.insert(format!("{prefix}artifactId"), p.artifact.clone());
                    map.insert(format!("{prefix}version"), p.version.clone());
                }
            }
        }
        Properties { map }
    }

    /// `${name}` references replaced, recursively to a bounded depth; unknown ones kept.
    fn expand(&self, text: &str) -> String {
        let mut current = text.trim().to_owned();
        for _ in 0..8 {
            if !current.contains("${") {
                break;
            }
            let mut out = String::with_capacity(current.len());
            let mut rest = current.as_str();
            while let Some(start) = rest.find("${") {
                out.push_str(rest.get(..start).unwrap_or(""));
                let after = rest.get(start + 2..).unwrap_or("");
                match after.find('}') {
                    Some(end) => {
                        let name = after.get(..end).unwrap_or("");
                        match self.map.get(name.trim()) {
                            Some(v) => out.push_str(v.trim()),
                            None => {
                                out.push_str("${");
                                out.push_str(name);
                                out.push('}');
                            }
                        }
                        rest = after.get(end + 1..).unwrap_or("");
                    }
                    None => {
                        out.push_str(rest.get(start..).unwrap_or(""));
                        rest = "";
                    }
                }
            }
            out.push_str(rest);
            if out == current {
                break;
            }
            current = out;
        }
        current
    }
}

fn read(text: &str) -> Result<Pom, ParseError> {
    let doc = Document::parse(text).map_err(|e| {
        let pos = e.pos();
        ParseError::new(pos.row, &e.to_string())
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "project" {
        return Err(ParseError::new(
            line(&doc, root),
            "not a Maven POM: the root element is not <project>",
        ));
    }
    let text_of = |n: Node<'_, '_>, name: &str| -> Option<String> {
        child(n, name).map(|c| c.text().unwrap_or("").trim().to_owned())
    };
    let dependency = |n: Node<'_, '_>| Dependency {
        group: text_of(n, "groupId").unwrap_or_default(),
        artifact: text_of(n, "artifactId").unwrap_or_default(),
        version: text_of(n, "version").filter(|v| !v.is_empty()),
        scope: text_of(n, "scope").filter(|v| !v.is_empty()),
        line: line(&doc, n),
    };
    let dependencies_in = |n: Option<Node<'_, '_>>| -> Vec<Dependency> {
        n.and_then(|n| child(n, "dependencies"))
            .map(|d| children(d, "dependency").map(dependency).collect())
            .unwrap_or_default()
    };
    let mut dependencies = dependencies_in(Some(root));
    // Profiles a build uses without being asked.
    if let Some(profiles) = child(root, "profiles") {
        for profile in children(profiles, "profile") {
            let active = child(profile, "activation")
                .and_then(|a| text_of(a, "activeByDefault"))
                .is_some_and(|v| v == "true");
            if active {
                dependencies.extend(dependencies_in(Some(profile)));
            }
        }
    }
    Ok(Pom {
        group: text_of(root, "groupId"),
        artifact: text_of(root, "artifactId").unwrap_or_default(),
        version: text_of(root, "version"),
        parent: child(root, "parent").map(|p| ParentRef {
            group: text_of(p, "groupId").unwrap_or_default(),
            artifact: text_of(p, "artifactId").unwrap_or_default(),
            version: text_of(p, "version").unwrap_or_default(),
            relative_path: text_of(p, "relativePath"),
            line: line(&doc, p),
        }),
        properties: child(root, "properties")
            .map(|p| {
                p.children()
                    .filter(Node::is_element)
                    .map(|e| {
                        (
                            e.tag_name().name().to_owned(),
                            e.text().unwrap_or("").trim().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        dependencies,
        managed: dependencies_in(child(root, "dependencyManagement")),
    })
}

fn line(doc: &Document<'_>, node: Node<'_, '_>) -> u32 {
    doc.text_pos_at(node.range().start).row
}

/// The first child element named `name` (namespaces aside).
pub(crate) fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    const CHILD: &str = "<project>\n  <parent>\n    <groupId>g</groupId>\n    <artifactId>parent</artifactId>\n    <version>7</version>\n  </parent>\n  <artifactId>child</artifactId>\n  <properties><a.version>${b}</a.version><b>1.${project.version}</b></properties>\n  <dependencies>\n    <dependency><groupId>x</groupId><artifactId>a</artifactId><version>${a.version}</version></dependency>\n    <dependency><groupId>x</groupId><artifactId>m</artifactId><scope>test</scope></dependency>\n    <dependency><groupId>x</groupId><artifactId>r</artifactId><version>[1,2)</version></dependency>\n    <dependency><groupId>x</groupId><artifactId>h</artifactId><version>[3.1]</version></dependency>\n  </dependencies>\n</project>\n";
    const PARENT: &str = "<project><groupId>g</groupId><artifactId>parent</artifactId><version>7</version>\n<properties><b>0</b></properties>\n<dependencyManagement><dependencies><dependency><groupId>x</groupId><artifactId>m</artifactId><version>2.0</version></dependency></dependencies></dependencyManagement>\n<dependencies><dependency><groupId>y</groupId><artifactId>i</artifactId><version>1</version></dependency></dependencies></project>";

    #[test]
    fn properties_management_and_parents() {
        let load = |p: &Path| (p == Path::new("../pom.xml")).then(|| PARENT.to_owned());
        let (p, notes) = parse_with(CHILD, &load).unwrap();
        assert_eq!(
            notes,
            ["line 12: x:r left out: its version `[1,2)` is a range"]
        );
        let got: Vec<_> = p
            .iter()
            .map(|p| (p.purl.as_str(), p.scope, p.line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:maven/x/a@1.7", Some(Scope::Runtime), 10),
                ("pkg:maven/x/h@3.1", Some(Scope::Runtime), 13),
                ("pkg:maven/x/m@2.0", Some(Scope::Dev), 11),
                ("pkg:maven/y/i@1", Some(Scope::Runtime), 2),
            ]
        );
        // Alone, the managed version and the inherited dependency are unknown.
        let (p, notes) = parse_with(CHILD, &|_| None).unwrap();
        assert_eq!(p.len(), 3);
        let unknown = p.iter().find(|p| p.name == "x:m").unwrap();
        assert_eq!(
            (unknown.version.as_str(), unknown.purl.as_str()),
            ("", "pkg:maven/x/m")
        );
        assert_eq!(
            notes[0],
            "line 11: x:m listed without a version: its version is managed by the parent g:parent:7 outside the repository, or an imported BOM"
        );
        assert!(parse("<project><a></project>").unwrap_err().line >= 1);
        assert!(parse("<other/>").is_err());
    }
}
