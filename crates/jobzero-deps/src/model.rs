//! The inventory model: packages found in lockfiles.

use serde::Serialize;

/// A package ecosystem, named as OSV names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Ecosystem {
    /// Rust crates.
    #[serde(rename = "crates.io")]
    CratesIo,
    /// npm packages.
    #[serde(rename = "npm")]
    Npm,
    /// Python packages.
    #[serde(rename = "PyPI")]
    PyPi,
}

impl Ecosystem {
    /// The OSV ecosystem name.
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPi => "PyPI",
        }
    }

    /// The package-url type.
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::CratesIo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPi => "pypi",
        }
    }
}

/// Whether a package is needed at run time or only to develop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Shipped with the software.
    Runtime,
    /// Only for development, tests or builds.
    Dev,
}

/// One package of a lockfile.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Package {
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Name as the ecosystem spells it (npm scopes included: `@types/node`).
    pub name: String,
    /// Exact version.
    pub version: String,
    /// Package URL.
    pub purl: String,
    /// Declared by the project itself, when the format says.
    pub direct: Option<bool>,
    /// Runtime or dev, when the format says.
    pub scope: Option<Scope>,
    /// 1-based line of the package's entry in the lockfile.
    pub line: u32,
    /// Integrity hashes as `ALG:hex-or-base64`, when present.
    pub hashes: Vec<String>,
    /// Purls of the packages it depends on, when the lockfile records them.
    pub dependencies: Vec<String>,
}

/// A parsed lockfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lockfile {
    /// Its path, as findings name it.
    pub path: String,
    /// Its format (`Cargo.lock`, `package-lock.json`, `requirements.txt`).
    pub format: &'static str,
    /// Packages, sorted by ecosystem, name and version.
    pub packages: Vec<Package>,
}

/// The purl of a package. Names are percent-encoded by the packageurl crate; npm scopes
/// become the namespace.
pub fn purl(ecosystem: Ecosystem, name: &str, version: &str) -> String {
    let (namespace, name) = match (ecosystem, name.strip_prefix('@')) {
        (Ecosystem::Npm, Some(scoped)) => match scoped.split_once('/') {
            Some((scope, rest)) => (Some(format!("@{scope}")), rest),
            None => (None, name),
        },
        _ => (None, name),
    };
    let name = if ecosystem == Ecosystem::PyPi {
        normalize_pypi(name)
    } else {
        name.to_owned()
    };
    match packageurl::PackageUrl::new(ecosystem.purl_type(), name.as_str()) {
        Ok(mut p) => {
            let namespaced = match &namespace {
                Some(ns) => p.with_namespace(ns.as_str()).is_ok(),
                None => true,
            };
            if namespaced && p.with_version(version).is_ok() {
                p.to_string()
            } else {
                fallback_purl(ecosystem, namespace.as_deref(), &name, version)
            }
        }
        Err(_) => fallback_purl(ecosystem, namespace.as_deref(), &name, version),
    }
}

/// A purl written by hand when the packageurl crate refuses a component (it validates more
/// strictly than registries do); `%` and `/` are escaped so the purl still parses.
fn fallback_purl(
    ecosystem: Ecosystem,
    namespace: Option<&str>,
    name: &str,
    version: &str,
) -> String {
    let esc = |s: &str| {
        s.replace('%', "%25")
            .replace('/', "%2F")
            .replace('@', "%40")
    };
    match namespace {
        Some(ns) => format!(
            "pkg:{}/{}/{}@{}",
            ecosystem.purl_type(),
            esc(ns),
            esc(name),
            esc(version)
        ),
        None => format!(
            "pkg:{}/{}@{}",
            ecosystem.purl_type(),
            esc(name),
            esc(version)
        ),
    }
}

/// PEP 503 normalisation: lowercase, runs of `-`, `_`, `.` become `-`.
pub fn normalize_pypi(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut last_dash = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !last_dash {
                out.push('-');
            }
            last_dash = true;
        } else {
            out.push(c.to_ascii_lowercase());
            last_dash = false;
        }
    }
    out
}

/// The 1-based line of every JSON object key that opens an object (`"key": {`), first
/// occurrence kept: one pass, so that looking up thousands of packages stays linear.
pub fn json_object_key_lines(text: &str) -> std::collections::HashMap<&str, u32> {
    let mut map = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix('"') else {
            continue;
        };
        let Some(end) = rest.find('"') else { continue };
        let after = rest[end + 1..].trim_start();
        if let Some(after) = after.strip_prefix(':') {
            if after.trim_start().starts_with('{') {
                map.entry(&rest[..end])
                    .or_insert_with(|| u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls() {
        assert_eq!(
            purl(Ecosystem::CratesIo, "serde", "1.0.1"),
            "pkg:cargo/serde@1.0.1"
        );
        assert_eq!(
            purl(Ecosystem::Npm, "@types/node", "20.1.0"),
            "pkg:npm/%40types/node@20.1.0"
        );
        assert_eq!(
            purl(Ecosystem::PyPi, "Django_Rest.framework", "3.0"),
            "pkg:pypi/django-rest-framework@3.0"
        );
    }
}
