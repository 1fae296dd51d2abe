//! NuGet `packages.lock.json`: `dependencies` per target framework, each package with its
//! `type` (`Direct`, `Transitive`, `CentralTransitive`, `Project`), `resolved` version and
//! `contentHash` (base64 SHA-512).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{JsonLines, base64_hex, json_object};
use crate::ParseError;
use crate::model::{Ecosystem, Package, purl};

/// Parses a `packages.lock.json`. A package locked for several frameworks is one package,
/// direct if any framework declares it; project references are not packages.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let root = json_object(text, "packages.lock.json")?;
    let lines = JsonLines::new(text, 3);
    let Some(frameworks) = root.get("dependencies") else {
        return Ok(Vec::new());
    };
    let Some(frameworks) = frameworks.as_object() else {
        return Err(ParseError::new(
            lines.line(&["dependencies"]).max(1),
            "`dependencies` is not an object",
        ));
    };
    let mut out: Vec<Package> = Vec::new();
    // (lowercase name, version) → index in `out`.
    let mut index: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (framework, packages) in frameworks {
        let Some(packages) = packages.as_object() else {
            return Err(ParseError::new(
                lines.line(&["dependencies", framework]).max(1),
                &format!("`{framework}` is not an object"),
            ));
        };
        // Names resolve to this framework's versions.
        let versions: BTreeMap<String, &str> = packages
            .iter()
            .filter_map(|(n, e)| Some((n.to_ascii_lowercase(), e.get("resolved")?.as_str()?)))
            .collect();
        for (name, entry) in packages {
            let line = lines.line(&["dependencies", framework, name]);
            let kind = entry.get("type").and_then(Value::as_str).unwrap_or("");
            if kind.eq_ignore_ascii_case("Project") {
                continue;
            }
            let Some(version) = entry
                .get("resolved")
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
            else {
                return Err(ParseError::new(
                    line.max(1),
                    &format!("`{name}` has no `resolved` version"),
                ));
            };
            let direct = kind.eq_ignore_ascii_case("Direct");
            let key = (name.to_ascii_lowercase(), version.to_owned());
            if let Some(p) = index.get(&key).and_then(|&at| out.get_mut(at)) {
                if direct {
                    p.direct = Some(true);
                }
                continue;
            }
            let dependencies: BTreeSet<String> = entry
                .get("dependencies")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|d| d.keys())
                .filter_map(|d| {
                    versions
                        .get(&d.to_ascii_lowercase())
                        .map(|v| purl(Ecosystem::NuGet, d, v))
                })
                .collect();
            index.insert(key, out.len());
            out.push(Package {
                ecosystem: Ecosystem::NuGet,
                name: name.clone(),
                version: version.to_owned(),
                purl: purl(Ecosystem::NuGet, name, version),
                direct: Some(direct),
                scope: None,
                line,
                hashes: entry
                    .get("contentHash")
                    .and_then(Value::as_str)
                    .and_then(base64_hex)
                    .filter(|h| h.len() == 128)
                    .map(|h| format!("SHA-512:{h}"))
                    .into_iter()
                    .collect(),
                dependencies: dependencies.into_iter().collect(),
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
    fn frameworks_direct_transitive() {
        let text = r#"{
  "version": 1,
  "dependencies": {
    "net6.0": {
      "Core.Dep": {
        "type": "Direct",
        "requested": "[1.24.0, )",
        "resolved": "1.24.0",
        "contentHash": "+/qI1j2oU1S4/nvxb2k/wDsol00iGf1AyJX5g3epV7eOpQEP/2xcgh/cxgKMeFgn3U2fmgSiBnQZdkV+l5y0Uw==",
        "dependencies": {"Some.Dep": "1.0.0"}
      },
      "Some.Dep": {"type": "Transitive", "resolved": "1.1.1"},
      "MyLib": {"type": "Project"}
    },
    "net8.0": {
      "Some.Dep": {"type": "Direct", "resolved": "1.1.1"}
    }
  }
}
"#;
        let p = parse(text).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].purl, "pkg:nuget/Core.Dep@1.24.0");
        assert_eq!(p[0].line, 5);
        assert_eq!(p[0].direct, Some(true));
        assert!(
            p[0].hashes[0].starts_with("SHA-512:fbfa88"),
            "{:?}",
            p[0].hashes
        );
        assert_eq!(p[0].dependencies, ["pkg:nuget/Some.Dep@1.1.1"]);
        assert_eq!(p[1].line, 12);
        assert_eq!(p[1].direct, Some(true), "direct in net8.0");
    }

    #[test]
    fn malformed() {
        assert_eq!(parse("not\njson\n").unwrap_err().line, 1);
        let e = parse("{\n  \"dependencies\": {\n    \"net6.0\": {\n      \"A\": {\"type\": \"Direct\"}\n    }\n  }\n}\n").unwrap_err();
        assert_eq!(e.line, 4);
        assert!(parse("").unwrap().is_empty());
    }
}
