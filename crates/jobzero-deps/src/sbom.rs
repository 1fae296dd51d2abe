//! CycloneDX 1.6 JSON.
//!
//! The `cyclonedx-bom` crate stops at spec 1.5, so the subset written here (metadata, tool,
//! components with purls, hashes, scope and properties, the dependency graph) is serialised
//! from local types; a test validates the output against the official 1.6 schema.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{Lockfile, Scope};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bom {
    #[serde(rename = "$schema")]
    schema: &'static str,
    bom_format: &'static str,
    spec_version: &'static str,
    version: u32,
    metadata: Metadata,
    components: Vec<Component>,
    dependencies: Vec<Dependency>,
}

#[derive(Serialize)]
struct Metadata {
    tools: Tools,
    component: Component,
}

#[derive(Serialize)]
struct Tools {
    components: Vec<ToolComponent>,
}

#[derive(Serialize)]
struct ToolComponent {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Component {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref")]
    bom_ref: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hashes: Vec<Hash>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
}

#[derive(Serialize)]
struct Hash {
    alg: String,
    content: String,
}

#[derive(Serialize)]
struct Property {
    name: &'static str,
    value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    depends_on: Vec<String>,
}

/// Algorithms CycloneDX names, with their digest length in hex digits.
const HASH_ALGS: [(&str, usize); 5] = [
    ("SHA-1", 40),
    ("SHA-256", 64),
    ("SHA-384", 96),
    ("SHA-512", 128),
    ("MD5", 32),
];

/// The SBOM of these lockfiles, for the project named `name`. Components are unique by purl
/// (one component however many lockfiles list it) and sorted; the output is deterministic
/// (no timestamp, no random serial number).
pub fn render(name: &str, lockfiles: &[Lockfile]) -> String {
    let mut by_purl: BTreeMap<&str, (&crate::model::Package, BTreeSet<&str>)> = BTreeMap::new();
    for l in lockfiles {
        for p in &l.packages {
            by_purl
                .entry(&p.purl)
                .or_insert_with(|| (p, BTreeSet::new()))
                .1
                .insert(&l.path);
        }
    }
    let root_ref = format!("root:{name}");
    let mut components = Vec::new();
    let mut dependencies = Vec::new();
    let mut direct = Vec::new();
    for (purl, (p, files)) in &by_purl {
        let mut properties: Vec<Property> = files
            .iter()
            .map(|f| Property {
                name: "jobzero:lockfile",
                value: (*f).to_owned(),
            })
            .collect();
        if p.version.is_empty() {
            properties.push(Property {
                name: "jobzero:version-unknown",
                value: "true".to_owned(),
            });
        }
        if let Some(d) = p.direct {
            properties.push(Property {
                name: "jobzero:direct",
                value: d.to_string(),
            });
            if d {
                direct.push((*purl).to_owned());
            }
        }
        components.push(Component {
            kind: "library",
            bom_ref: (*purl).to_owned(),
            name: p.name.clone(),
            // An unknown version (a Maven parent outside the repository) is left out, and said.
            version: (!p.version.is_empty()).then(|| p.version.clone()),
            purl: Some((*purl).to_owned()),
            scope: p.scope.map(|s| match s {
                Scope::Runtime => "required",
                Scope::Dev => "optional",
            }),
            hashes: p
                .hashes
                .iter()
                .filter_map(|h| h.split_once(':'))
                .filter(|(alg, content)| {
                    HASH_ALGS.contains(&(*alg, content.len()))
                        && content.chars().all(|c| c.is_ascii_hexdigit())
                })
                .map(|(alg, content)| Hash {
                    alg: alg.to_owned(),
                    content: content.to_ascii_lowercase(),
                })
                .collect(),
            properties,
        });
        let known: Vec<String> = p
            .dependencies
            .iter()
            .filter(|d| by_purl.contains_key(d.as_str()))
            .cloned()
            .collect();
        dependencies.push(Dependency {
            reference: (*purl).to_owned(),
            depends_on: known,
        });
    }
    dependencies.insert(
        0,
        Dependency {
            reference: root_ref.clone(),
            depends_on: direct,
        },
    );
    let bom = Bom {
        schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
        bom_format: "CycloneDX",
        spec_version: "1.6",
        version: 1,
        metadata: Metadata {
            tools: Tools {
                components: vec![ToolComponent {
                    kind: "application",
                    name: "jobzero",
                    version: env!("CARGO_PKG_VERSION"),
                }],
            },
            component: Component {
                kind: "application",
                bom_ref: root_ref,
                name: name.to_owned(),
                version: None,
                purl: None,
                scope: None,
                hashes: Vec::new(),
                properties: Vec::new(),
            },
        },
        components,
        dependencies,
    };
    let mut out = serde_json::to_string_pretty(&bom).unwrap_or_else(|_| "{}".to_owned());
    out.push('\n');
    out
}
