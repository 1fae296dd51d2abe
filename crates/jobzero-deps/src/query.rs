//! `jobzero where`: which SBOMs (and so which services) contain a package.

use std::path::{Path, PathBuf};

use jobzero_core::ScanError;
use serde_json::Value;

/// What to look for: a purl (`pkg:npm/lodash@4.17.15`, version optional) or a name with an
/// optional `@version` (`log4j-core@2.14.1`, `@types/node`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    name: String,
    version: Option<String>,
    purl_prefix: Option<String>,
}

impl Query {
    /// Parses a query.
    pub fn parse(text: &str) -> Query {
        let text = text.trim();
        if text.starts_with("pkg:") {
            let (base, version) = match text.rsplit_once('@') {
                Some((b, v)) if !b.ends_with('/') && !v.contains('/') => (b, Some(v.to_owned())),
                _ => (text, None),
            };
            let name = base.rsplit('/').next().unwrap_or(base).to_owned();
            return Query {
                name,
                version,
                purl_prefix: Some(base.to_owned()),
            };
        }
        // `@scope/name@1.0`: the first `@` belongs to the scope.
        let split_at = if let Some(rest) = text.strip_prefix('@') {
            rest.find('@').map(|i| i + 1)
        } else {
            text.find('@')
        };
        match split_at {
            Some(i) => Query {
                name: text[..i].to_owned(),
                version: Some(text[i + 1..].to_owned()),
                purl_prefix: None,
            },
            None => Query {
                name: text.to_owned(),
                version: None,
                purl_prefix: None,
            },
        }
    }

    /// The name asked for (the last purl segment for a purl).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The version asked for, if any.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The purl without its version, when the query is a purl.
    pub fn purl_prefix(&self) -> Option<&str> {
        self.purl_prefix.as_deref()
    }

    fn matches(&self, component: &Value) -> bool {
        let name = component.get("name").and_then(Value::as_str).unwrap_or("");
        let group = component.get("group").and_then(Value::as_str).unwrap_or("");
        let version = component
            .get("version")
            .and_then(Value::as_str)
            .unwrap_or("");
        let purl = component.get("purl").and_then(Value::as_str).unwrap_or("");
        let purl_base = purl.split('?').next().unwrap_or(purl);
        let purl_base = purl_base.rsplit_once('@').map_or(purl_base, |(b, _)| b);
        let name_ok = match &self.purl_prefix {
            Some(prefix) => purl_base.eq_ignore_ascii_case(prefix),
            None => {
                name.eq_ignore_ascii_case(&self.name)
                    || (!group.is_empty()
                        && format!("{group}:{name}").eq_ignore_ascii_case(&self.name))
                    || purl_base.ends_with(&format!("/{}", self.name))
            }
        };
        name_ok && self.version.as_deref().is_none_or(|v| v == version)
    }
}

/// One place a package was found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    /// The SBOM file.
    pub sbom: PathBuf,
    /// The application the SBOM describes (`metadata.component.name`).
    pub application: String,
    /// The component's name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its purl.
    pub purl: String,
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// Every component of every CycloneDX JSON SBOM under `dir` (or the file `dir`) that the
/// query matches, sorted; files that are JSON but not readable SBOMs are errors, other JSON
/// files are skipped.
pub fn find(dir: &Path, query: &Query) -> (Vec<Hit>, Vec<ScanError>) {
    let mut files = Vec::new();
    if dir.is_file() {
        files.push(dir.to_owned());
    } else {
        json_files(dir, &mut files);
    }
    let mut hits = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        let display = f.display().to_string();
        let text = match std::fs::read_to_string(&f) {
            Ok(t) => t,
            Err(e) => {
                errors.push(ScanError::new(&display, None, format!("cannot read: {e}")));
                continue;
            }
        };
        let Ok(bom) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        if bom.get("bomFormat").and_then(Value::as_str) != Some("CycloneDX") {
            continue;
        }
        let application = bom
            .pointer("/metadata/component/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let mut stack: Vec<&Value> = bom
            .get("components")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        while let Some(c) = stack.pop() {
            stack.extend(
                c.get("components")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
            if query.matches(c) {
                let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                hits.push(Hit {
                    sbom: f.clone(),
                    application: application.clone(),
                    name: s("name"),
                    version: s("version"),
                    purl: s("purl"),
                });
            }
        }
    }
    hits.sort();
    hits.dedup();
    (hits, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries() {
        assert_eq!(
            Query::parse("log4j-core@2.14.1").version.as_deref(),
            Some("2.14.1")
        );
        let scoped = Query::parse("@types/node@20.1.0");
        assert_eq!(scoped.name, "@types/node");
        assert_eq!(scoped.version.as_deref(), Some("20.1.0"));
        let purl = Query::parse("pkg:npm/lodash@4.17.15");
        assert_eq!(purl.purl_prefix.as_deref(), Some("pkg:npm/lodash"));
        assert_eq!(purl.version.as_deref(), Some("4.17.15"));
        assert_eq!(
            Query::parse("pkg:npm/%40types/node").purl_prefix.as_deref(),
            Some("pkg:npm/%40types/node")
        );
    }
}
