//! `composer.lock`: `packages` are runtime, `packages-dev` dev; names are `vendor/name`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{JsonLines, alg_hash, json_object};
use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, purl};

/// `v1.2.3` → `1.2.3`; branch versions (`dev-main`) stay as written.
fn version_of(v: &str) -> &str {
    match v.strip_prefix(['v', 'V']) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => v,
    }
}

/// Whether a `require` key is a platform requirement (`php`, `ext-json`), not a package.
fn is_platform(name: &str) -> bool {
    !name.contains('/')
}

/// Parses a `composer.lock`. Versions lose a `v` prefix (`v1.2.3` → `1.2.3`), as Packagist
/// advisories write them; purls keep the version as the lockfile writes it (`@v6.0.0`), as
/// Trivy and Syft do. The lockfile does not say which packages `composer.json` declares.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let root = json_object(text, "composer.lock")?;
    let lines = JsonLines::new(text, 3);
    let mut entries = Vec::new();
    for (section, scope) in [("packages", Scope::Runtime), ("packages-dev", Scope::Dev)] {
        let Some(value) = root.get(section).filter(|v| !v.is_null()) else {
            continue;
        };
        let Some(list) = value.as_array() else {
            return Err(ParseError::new(
                lines.line(&[section]).max(1),
                &format!("`{section}` is not an array"),
            ));
        };
        for (i, entry) in list.iter().enumerate() {
            let index = i.to_string();
            let line = lines.line(&[section, &index]);
            let field = |key: &str| {
                entry
                    .get(key)
                    .and_then(Value::as_str)
                    .filter(|s| !s.trim().is_empty())
            };
            let (Some(name), Some(version)) = (field("name"), field("version")) else {
                return Err(ParseError::new(
                    line.max(1),
                    "a package needs a `name` and a `version`",
                ));
            };
            entries.push((name, version, scope, line, entry));
        }
    }
    let versions: BTreeMap<String, &str> = entries
        .iter()
        .map(|(name, version, ..)| (name.to_ascii_lowercase(), *version))
        .collect();
    let mut out = Vec::new();
    for (name, version, scope, line, entry) in entries {
        let hashes = entry
            .get("dist")
            .and_then(|d| d.get("shasum"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .and_then(|s| alg_hash(&format!("sha1:{s}")))
            .into_iter()
            .collect();
        let dependencies: BTreeSet<String> = entry
            .get("require")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|r| r.keys())
            .filter(|d| !is_platform(d))
            .filter_map(|d| {
                let d = d.to_ascii_lowercase();
                versions.get(&d).map(|v| purl(Ecosystem::Packagist, &d, v))
            })
            .collect();
        out.push(Package {
            ecosystem: Ecosystem::Packagist,
            name: name.to_owned(),
            version: version_of(version).to_owned(),
            purl: purl(Ecosystem::Packagist, name, version),
            direct: None,
            scope: Some(scope),
            line,
            hashes,
            dependencies: dependencies.into_iter().collect(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn packages_and_dev() {
        let text = r#"{
    "packages": [
        {
            "name": "guzzlehttp/guzzle",
            "version": "v7.8.0",
            "dist": {"type": "zip", "shasum": "ABCDEF"},
            "require": {"php": "^7.2.5", "guzzlehttp/psr7": "^2.5"}
        },
        {
            "name": "guzzlehttp/psr7",
            "version": "2.6.1",
            "dist": {"shasum": ""}
        }
    ],
    "packages-dev": [
        {
            "name": "phpunit/phpunit",
            "version": "dev-main"
        }
    ]
}
"#;
        let p = parse(text).unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].version, "7.8.0");
        assert_eq!(p[0].purl, "pkg:composer/guzzlehttp/guzzle@v7.8.0");
        assert_eq!(p[0].line, 3);
        assert_eq!(p[0].scope, Some(Scope::Runtime));
        assert_eq!(p[0].hashes, ["SHA-1:abcdef"]);
        assert_eq!(p[0].dependencies, ["pkg:composer/guzzlehttp/psr7@2.6.1"]);
        assert!(p[1].hashes.is_empty());
        assert_eq!(p[1].line, 9);
        assert_eq!(p[2].version, "dev-main");
        assert_eq!(p[2].scope, Some(Scope::Dev));
        assert_eq!(p[2].line, 16);
    }

    #[test]
    fn malformed() {
        let e = parse("{\n  \"content-hash\": \"x\",,\n  \"packages\": []\n}\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("{\n  \"packages\": [\n    {\"name\": \"a/b\"}\n  ]\n}\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(parse("null\n").unwrap_err().line, 1);
        assert!(parse("{}").unwrap().is_empty());
    }
}
