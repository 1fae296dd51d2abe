//! Existing CycloneDX SBOMs (JSON and XML, any 1.x version) read as inputs, so a component
//! inventory made elsewhere is matched like a lockfile.
//!
//! Components are identified by their purl; those of ecosystems jobzero has no advisories
//! for (operating-system packages, files, containers) are left out. Nested components are
//! read. The `dependencies` graph gives each component's dependencies, and the components
//! the root (`metadata.component`) depends on are the direct ones.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;

use serde_json::Value;

use super::JsonLines;
use super::pom_xml::child;
use crate::ParseError;
use crate::model::{Ecosystem, Package, purl};

/// Parses a CycloneDX JSON SBOM.
pub fn parse_json(text: &str) -> Result<Vec<Package>, ParseError> {
    let root = super::json_object(text, "CycloneDX SBOM")?;
    if root.get("bomFormat").and_then(Value::as_str) != Some("CycloneDX") {
        return Err(ParseError::new(
            1,
            "not a CycloneDX SBOM: `bomFormat` is not \"CycloneDX\"",
        ));
    }
    let lines = JsonLines::new(text, 16);
    let mut components = Vec::new();
    if let Some(list) = root.get("components").and_then(Value::as_array) {
        json_components(
            list,
            &mut vec!["components".to_owned()],
            &lines,
            &mut components,
        );
    }
    let root_ref = root
        .get("metadata")
        .and_then(|m| m.get("component"))
        .and_then(|c| c.get("bom-ref"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut graph = HashMap::new();
    for d in root
        .get("dependencies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(r) = d.get("ref").and_then(Value::as_str) else {
            continue;
        };
        let on: Vec<String> = d
            .get("dependsOn")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        graph.insert(r.to_owned(), on);
    }
    Ok(assemble(components, root_ref.as_deref(), &graph))
}

/// A component as the SBOM gives it.
struct Component {
    bom_ref: Option<String>,
    purl: String,
    version: Option<String>,
    hashes: Vec<(String, String)>,
    line: u32,
}

fn json_components(
    list: &[Value],
    path: &mut Vec<String>,
    lines: &JsonLines,
    out: &mut Vec<Component>,
) {
    for (i, c) in list.iter().enumerate() {
        path.push(i.to_string());
        let str_of = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
        if let Some(p) = str_of("purl") {
            let refs: Vec<&str> = path.iter().map(String::as_str).collect();
            out.push(Component {
                bom_ref: str_of("bom-ref"),
                purl: p,
                version: str_of("version"),
                hashes: c
                    .get("hashes")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|h| {
                        Some((
                            h.get("alg")?.as_str()?.to_owned(),
                            h.get("content")?.as_str()?.to_owned(),
                        ))
                    })
                    .collect(),
                line: lines.line(&refs).max(1),
            });
        }
        if let Some(nested) = c.get("components").and_then(Value::as_array) {
            path.push("components".to_owned());
            json_components(nested, path, lines, out);
            path.pop();
        }
        path.pop();
    }
}

/// Parses a CycloneDX XML SBOM.
pub fn parse_xml(text: &str) -> Result<Vec<Package>, ParseError> {
    let doc = roxmltree::Document::parse(text)
        .map_err(|e| ParseError::new(e.pos().row, &e.to_string()))?;
    let bom = doc.root_element();
    if bom.tag_name().name() != "bom"
        || !bom
            .tag_name()
            .namespace()
            .is_some_and(|ns| ns.starts_with("http://cyclonedx.org/schema/bom/"))
    {
        return Err(ParseError::new(
            doc.text_pos_at(bom.range().start).row,
            "not a CycloneDX SBOM: the root is not a CycloneDX <bom>",
        ));
    }
    let text_of = |n: roxmltree::Node<'_, '_>, name: &str| {
        child(n, name)
            .and_then(|c| c.text())
            .map(|t| t.trim().to_owned())
    };
    let mut components = Vec::new();
    for c in bom
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "component")
        // The metadata's component is the SBOM's subject, not one of its parts.
        .filter(|n| !n.ancestors().any(|a| a.tag_name().name() == "metadata"))
    {
        let Some(p) = text_of(c, "purl") else {
            continue;
        };
        components.push(Component {
            bom_ref: c.attribute("bom-ref").map(str::to_owned),
            purl: p,
            version: text_of(c, "version"),
            hashes: child(c, "hashes")
                .map(|hs| {
                    hs.children()
                        .filter(|h| h.is_element())
                        .filter_map(|h| {
                            Some((h.attribute("alg")?.to_owned(), h.text()?.trim().to_owned()))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            line: doc.text_pos_at(c.range().start).row,
        });
    }
    let root_ref = child(bom, "metadata")
        .and_then(|m| child(m, "component"))
        .and_then(|c| c.attribute("bom-ref"))
        .map(str::to_owned);
    let mut graph: HashMap<String, Vec<String>> = HashMap::new();
    if let Some(deps) = child(bom, "dependencies") {
        for d in deps.children().filter(|d| d.is_element()) {
            let Some(r) = d.attribute("ref") else {
                continue;
            };
            let on = d
                .children()
                .filter(|x| x.is_element())
                .filter_map(|x| x.attribute("ref").map(str::to_owned))
                .collect();
            graph.insert(r.to_owned(), on);
        }
    }
    Ok(assemble(components, root_ref.as_deref(), &graph))
}

fn assemble(
    components: Vec<Component>,
    root_ref: Option<&str>,
    graph: &HashMap<String, Vec<String>>,
) -> Vec<Package> {
    let direct: Option<BTreeSet<&str>> = root_ref
        .and_then(|r| graph.get(r))
        .map(|on| on.iter().map(String::as_str).collect());
    let mut by_ref: HashMap<&str, String> = HashMap::new();
    let mut packages: BTreeMap<String, Package> = BTreeMap::new();
    let mut refs_of: Vec<(String, Option<&str>)> = Vec::new();
    for c in &components {
        let Some((ecosystem, name, version)) = identify(&c.purl, c.version.as_deref()) else {
            continue;
        };
        let p = purl(ecosystem, &name, &version);
        if let Some(r) = c.bom_ref.as_deref() {
            by_ref.insert(r, p.clone());
        }
        refs_of.push((p.clone(), c.bom_ref.as_deref()));
        packages.entry(p.clone()).or_insert_with(|| Package {
            ecosystem,
            name,
            version,
            purl: p,
            direct: direct
                .as_ref()
                .map(|d| c.bom_ref.as_deref().is_some_and(|r| d.contains(r))),
            scope: None,
            line: c.line,
            hashes: c
                .hashes
                .iter()
                .filter_map(|(alg, content)| hash(alg, content))
                .collect(),
            dependencies: Vec::new(),
        });
    }
    for (p, r) in refs_of {
        let deps: Vec<String> = r
            .and_then(|r| graph.get(r))
            .into_iter()
            .flatten()
            .filter_map(|d| by_ref.get(d.as_str()).cloned())
            .collect();
        if let Some(pkg) = packages.get_mut(&p) {
            pkg.dependencies.extend(deps);
            pkg.dependencies.sort();
            pkg.dependencies.dedup();
        }
    }
    packages.into_values().collect()
}

/// The ecosystem, name (as the ecosystem spells it) and version of a purl.
fn identify(text: &str, version: Option<&str>) -> Option<(Ecosystem, String, String)> {
    let p = packageurl::PackageUrl::from_str(text).ok()?;
    let ecosystem = match p.ty() {
        "cargo" => Ecosystem::CratesIo,
        "npm" => Ecosystem::Npm,
        "pypi" => Ecosystem::PyPi,
        "golang" => Ecosystem::Go,
        "gem" => Ecosystem::RubyGems,
        "composer" => Ecosystem::Packagist,
        "nuget" => Ecosystem::NuGet,
        "swift" => Ecosystem::SwiftUrl,
        "maven" => Ecosystem::Maven,
        "hex" => Ecosystem::Hex,
        "conan" => Ecosystem::ConanCenter,
        "pub" => Ecosystem::Pub,
        _ => return None,
    };
    let name = match (p.namespace(), ecosystem) {
        (Some(ns), Ecosystem::Maven) => format!("{ns}:{}", p.name()),
        (Some(ns), _) => format!("{ns}/{}", p.name()),
        (None, _) => p.name().to_owned(),
    };
    let version = p.version().or(version)?;
    // The Go parsers keep versions without their `v`, as OSV does.
    let version = match ecosystem {
        Ecosystem::Go => version.strip_prefix('v').unwrap_or(version),
        _ => version,
    };
    (!version.is_empty()).then(|| (ecosystem, name, version.to_owned()))
}

/// A CycloneDX hash (`SHA-256`, `SHA-512`…) in the inventory's `ALG:hex` form.
fn hash(alg: &str, content: &str) -> Option<String> {
    let alg = match alg.to_ascii_uppercase().as_str() {
        "MD5" => "MD5",
        "SHA-1" => "SHA-1",
        "SHA-256" => "SHA-256",
        "SHA-384" => "SHA-384",
        "SHA-512" => "SHA-512",
        _ => return None,
    };
    let content = content.trim();
    (!content.is_empty() && content.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| format!("{alg}:{}", content.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn json_with_graph_and_nesting() {
        let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
 "metadata": {"component": {"bom-ref": "app", "name": "app"}},
 "components": [
  {"bom-ref": "a", "name": "log4j-core", "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
   "hashes": [{"alg": "SHA-1", "content": "ABCD"}],
   "components": [{"bom-ref": "b", "purl": "pkg:npm/%40types/node@20.1.0"}]},
  {"bom-ref": "c", "purl": "pkg:deb/debian/adduser@3.115"}
 ],
 "dependencies": [{"ref": "app", "dependsOn": ["a"]}, {"ref": "a", "dependsOn": ["b", "c"]}]}"#;
        let p = parse_json(text).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].name, "org.apache.logging.log4j:log4j-core");
        assert_eq!(p[0].direct, Some(true));
        assert_eq!(p[0].line, 4);
        assert_eq!(p[0].hashes, ["SHA-1:abcd"]);
        assert_eq!(p[0].dependencies, ["pkg:npm/%40types/node@20.1.0"]);
        assert_eq!(
            (p[1].name.as_str(), p[1].direct, p[1].line),
            ("@types/node", Some(false), 6)
        );
        assert!(parse_json("{\"bomFormat\": \"SPDX\"}").is_err());
    }

    #[test]
    fn xml() {
        let text = "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">\n<metadata><component bom-ref=\"r\"><name>x</name></component></metadata>\n<components>\n<component bom-ref=\"a\"><name>lodash</name><version>4.17.15</version><purl>pkg:npm/lodash@4.17.15</purl></component>\n</components>\n<dependencies><dependency ref=\"r\"><dependency ref=\"a\"/></dependency></dependencies>\n</bom>\n";
        let p = parse_xml(text).unwrap();
        assert_eq!(
            (p[0].purl.as_str(), p[0].line, p[0].direct),
            ("pkg:npm/lodash@4.17.15", 5, Some(true))
        );
        assert!(parse_xml("<bom/>").is_err());
    }
}
