//! `package-lock.json` and `npm-shrinkwrap.json`, lockfile versions 1, 2 and 3.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, json_object_key_lines, purl};

/// `sha512-<base64>` → `SHA-512:<hex>`.
pub(crate) fn integrity(value: &str) -> Option<String> {
    use base64::Engine as _;
    let (alg, b64) = value.split_whitespace().next()?.split_once('-')?;
    let alg = match alg {
        "sha512" => "SHA-512",
        "sha384" => "SHA-384",
        "sha256" => "SHA-256",
        "sha1" => "SHA-1",
        _ => return None,
    };
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    Some(format!(
        "{alg}:{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

fn name_of_path(path: &str) -> &str {
    path.rsplit_once("node_modules/").map_or(path, |(_, n)| n)
}

fn parse_error(text: &str, e: &serde_json::Error) -> ParseError {
    let _ = text;
    ParseError::new(u32::try_from(e.line()).unwrap_or(u32::MAX), &e.to_string())
}

/// Parses a `package-lock.json` or `npm-shrinkwrap.json`.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    let root: Value = serde_json::from_str(text).map_err(|e| parse_error(text, &e))?;
    let Some(obj) = root.as_object() else {
        return Err(ParseError::new(
            1,
            "not a package-lock: the top level is not an object",
        ));
    };
    if let Some(packages) = obj.get("packages").and_then(Value::as_object) {
        return Ok(v2(&json_object_key_lines(text), packages));
    }
    if let Some(deps) = obj.get("dependencies").and_then(Value::as_object) {
        let mut out = Vec::new();
        let direct: BTreeSet<&str> = deps.keys().map(String::as_str).collect();
        v1(&json_object_key_lines(text), deps, &direct, true, &mut out);
        out.sort();
        return Ok(out);
    }
    Err(ParseError::new(
        1,
        "not a package-lock: neither `packages` nor `dependencies`",
    ))
}

fn v2(
    lines: &std::collections::HashMap<&str, u32>,
    packages: &serde_json::Map<String, Value>,
) -> Vec<Package> {
    let root = packages.get("").and_then(Value::as_object);
    let direct: BTreeSet<&str> = [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ]
    .iter()
    .filter_map(|k| root.and_then(|r| r.get(*k)).and_then(Value::as_object))
    .flat_map(|m| m.keys().map(String::as_str))
    .collect();
    let mut out = Vec::new();
    for (path, entry) in packages {
        if path.is_empty() || !path.contains("node_modules/") {
            continue;
        }
        if entry.get("link").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let Some(version) = entry.get("version").and_then(Value::as_str) else {
            continue;
        };
        let name = entry
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_else(|| name_of_path(path));
        let top_level =
            path.matches("node_modules/").count() == 1 && path.starts_with("node_modules/");
        let dev = entry.get("dev").and_then(Value::as_bool) == Some(true)
            || entry.get("devOptional").and_then(Value::as_bool) == Some(true);
        let line = lines.get(path.as_str()).copied().unwrap_or(0);
        out.push(package(
            name,
            version,
            top_level && direct.contains(name),
            dev,
            line,
            entry,
        ));
    }
    out.sort();
    out.dedup();
    out
}

/// A package of either lockfile version; `entry` supplies the `integrity` hash.
fn package(
    name: &str,
    version: &str,
    direct: bool,
    dev: bool,
    line: u32,
    entry: &Value,
) -> Package {
    Package {
        ecosystem: Ecosystem::Npm,
        name: name.to_owned(),
        version: version.to_owned(),
        purl: purl(Ecosystem::Npm, name, version),
        direct: Some(direct),
        scope: Some(if dev { Scope::Dev } else { Scope::Runtime }),
        line,
        hashes: entry
            .get("integrity")
            .and_then(Value::as_str)
            .and_then(integrity)
            .into_iter()
            .collect(),
        dependencies: Vec::new(),
    }
}

fn v1(
    lines: &std::collections::HashMap<&str, u32>,
    deps: &serde_json::Map<String, Value>,
    direct: &BTreeSet<&str>,
    top: bool,
    out: &mut Vec<Package>,
) {
    for (name, entry) in deps {
        if let Some(version) = entry.get("version").and_then(Value::as_str) {
            // `file:` and git versions are not registry packages.
            if !version.contains(':') && !version.contains('/') {
                let dev = entry.get("dev").and_then(Value::as_bool) == Some(true);
                let line = lines.get(name.as_str()).copied().unwrap_or(0);
                let is_direct = top && direct.contains(name.as_str());
                out.push(package(name, version, is_direct, dev, line, entry));
            }
        }
        if let Some(nested) = entry.get("dependencies").and_then(Value::as_object) {
            v1(lines, nested, direct, false, out);
        }
    }
}
