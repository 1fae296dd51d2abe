//! `pubspec.lock` (Dart and Flutter).
//!
//! Each package says how the project depends on it (`direct main`, `direct dev`,
//! `direct overridden`, `transitive`); the file records no dependency graph.

use jobzero_core::yaml::Yaml;

use super::yaml_error;
use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, purl};

/// Parses a `pubspec.lock`.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    let yaml = Yaml::parse(text).map_err(|e| yaml_error(&e))?;
    let Some(root) = yaml.first().filter(|r| !r.is_null()) else {
        return Ok(Vec::new());
    };
    let Some(packages) = root.get("packages") else {
        return Err(ParseError::new(
            root.line(),
            "not a pubspec.lock: no `packages`",
        ));
    };
    let mut out = Vec::new();
    for (key, entry) in packages.entries() {
        let Some(name) = key.as_text() else { continue };
        let Some(version) = entry.get("version").and_then(|v| v.as_text()) else {
            return Err(ParseError::new(
                key.line(),
                &format!("package `{name}` has no version"),
            ));
        };
        let dependency = entry
            .get("dependency")
            .and_then(|d| d.as_text())
            .unwrap_or("");
        let (direct, scope) = match dependency {
            "direct main" | "direct overridden" => (Some(true), Some(Scope::Runtime)),
            "direct dev" => (Some(true), Some(Scope::Dev)),
            "transitive" => (Some(false), None),
            _ => (None, None),
        };
        let hashes = entry
            .get("description")
            .and_then(|d| d.get("sha256"))
            .and_then(|h| h.as_text())
            .filter(|h| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()))
            .map(|h| format!("SHA-256:{}", h.to_ascii_lowercase()))
            .into_iter()
            .collect();
        out.push(Package {
            ecosystem: Ecosystem::Pub,
            name: name.to_owned(),
            version: version.to_owned(),
            purl: purl(Ecosystem::Pub, name, version),
            direct,
            scope,
            line: key.line(),
            hashes,
            dependencies: Vec::new(),
        });
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn kinds_of_dependency() {
        let text = "packages:\n  a:\n    dependency: \"direct main\"\n    description:\n      name: a\n      sha256: \"8D7FF3948166B8EC5DA0FBB5962000926B8E02F2ED9B3E51D1738905FBD4C98D\"\n    source: hosted\n    version: \"1.0.0\"\n  b:\n    dependency: \"direct dev\"\n    source: hosted\n    version: \"2.0.0\"\n  c:\n    dependency: transitive\n    source: hosted\n    version: \"3.0.0\"\n";
        let p = parse(text).unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].purl, "pkg:pub/a@1.0.0");
        assert_eq!(
            (p[0].direct, p[0].scope, p[0].line),
            (Some(true), Some(Scope::Runtime), 2)
        );
        assert!(p[0].hashes[0].starts_with("SHA-256:8d7ff"));
        assert_eq!(p[1].scope, Some(Scope::Dev));
        assert_eq!((p[2].direct, p[2].scope), (Some(false), None));
        assert!(parse("packages:\n  a:\n    source: hosted\n").is_err());
        assert!(parse("").unwrap().is_empty());
    }
}
