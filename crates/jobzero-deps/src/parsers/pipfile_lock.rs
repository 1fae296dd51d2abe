//! `Pipfile.lock` (pipenv): `default` packages are runtime, `develop` packages dev; versions
//! are exact pins (`"==1.2.3"`); `hashes` as `sha256:<hex>`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{JsonLines, alg_hash, json_object};
use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, normalize_pypi, purl};

/// Parses a `Pipfile.lock`. Entries without an exact pin (VCS and path requirements) are
/// skipped; the lockfile does not say which packages the Pipfile declares.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let root = json_object(text, "Pipfile.lock")?;
    let lines = JsonLines::new(text, 2);
    let mut out = Vec::new();
    let mut runtime = BTreeSet::new();
    for (section, scope) in [("default", Scope::Runtime), ("develop", Scope::Dev)] {
        let Some(value) = root.get(section) else {
            continue;
        };
        let Some(packages) = value.as_object() else {
            return Err(ParseError::new(
                lines.line(&[section]).max(1),
                &format!("`{section}` is not an object"),
            ));
        };
        for (name, entry) in packages {
            let line = lines.line(&[section, name]);
            let Some(entry) = entry.as_object() else {
                return Err(ParseError::new(
                    line.max(1),
                    &format!("`{name}` is not an object"),
                ));
            };
            let Some(version) = entry
                .get("version")
                .and_then(Value::as_str)
                .and_then(|v| v.strip_prefix("===").or_else(|| v.strip_prefix("==")))
                .map(str::trim)
                .filter(|v| !v.is_empty())
            else {
                continue;
            };
            let key = (normalize_pypi(name), version.to_owned());
            if scope == Scope::Runtime {
                runtime.insert(key);
            } else if runtime.contains(&key) {
                continue;
            }
            let hashes: BTreeSet<String> = entry
                .get("hashes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|h| h.as_str().and_then(alg_hash))
                .collect();
            out.push(Package {
                ecosystem: Ecosystem::PyPi,
                name: name.clone(),
                version: version.to_owned(),
                purl: purl(Ecosystem::PyPi, name, version),
                direct: None,
                scope: Some(scope),
                line,
                hashes: hashes.into_iter().collect(),
                dependencies: Vec::new(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn default_and_develop() {
        let text = r#"{
    "_meta": {"pipfile-spec": 6},
    "default": {
        "requests": {
            "hashes": ["sha256:ABCD", "sha256:ef01"],
            "version": "==2.31.0"
        },
        "mine": {"editable": true, "git": "https://x/y", "ref": "abc"}
    },
    "develop": {
        "pytest": {"version": "==7.4.0"},
        "requests": {"version": "==2.31.0"}
    }
}
"#;
        let p = parse(text).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].purl, "pkg:pypi/requests@2.31.0");
        assert_eq!(p[0].scope, Some(Scope::Runtime));
        assert_eq!(p[0].line, 4);
        assert_eq!(p[0].hashes, ["SHA-256:abcd", "SHA-256:ef01"]);
        assert_eq!(p[1].name, "pytest");
        assert_eq!(p[1].scope, Some(Scope::Dev));
        assert_eq!(p[1].line, 11);
    }

    #[test]
    fn malformed() {
        let e = parse("{\n  \"default\": {\n    \"a\": {\"version\": \"==1\"},,\n  }\n}\n")
            .unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse("{\n  \"default\": [1]\n}\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(parse("null").unwrap_err().line, 1);
        assert!(parse("").unwrap().is_empty());
    }
}
