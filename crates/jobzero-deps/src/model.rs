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
    /// Go modules.
    #[serde(rename = "Go")]
    Go,
    /// Ruby gems.
    #[serde(rename = "RubyGems")]
    RubyGems,
    /// PHP Composer packages.
    #[serde(rename = "Packagist")]
    Packagist,
    /// .NET packages.
    #[serde(rename = "NuGet")]
    NuGet,
    /// Swift packages, named by repository URL (`github.com/apple/swift-nio`).
    #[serde(rename = "SwiftURL")]
    SwiftUrl,
    /// Java packages, named `group:artifact`.
    #[serde(rename = "Maven")]
    Maven,
    /// Erlang and Elixir packages.
    #[serde(rename = "Hex")]
    Hex,
    /// C and C++ packages of Conan.
    #[serde(rename = "ConanCenter")]
    ConanCenter,
    /// Dart and Flutter packages.
    #[serde(rename = "Pub")]
    Pub,
}

impl Ecosystem {
    /// The OSV ecosystem name.
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPi => "PyPI",
            Ecosystem::Go => "Go",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::SwiftUrl => "SwiftURL",
            Ecosystem::Maven => "Maven",
            Ecosystem::Hex => "Hex",
            Ecosystem::ConanCenter => "ConanCenter",
            Ecosystem::Pub => "Pub",
        }
    }

    /// The ecosystem of an OSV ecosystem name.
    pub fn from_osv(name: &str) -> Option<Ecosystem> {
        ALL.iter().copied().find(|e| e.as_str() == name)
    }

    /// The package-url type.
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::CratesIo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPi => "pypi",
            Ecosystem::Go => "golang",
            Ecosystem::RubyGems => "gem",
            Ecosystem::Packagist => "composer",
            Ecosystem::NuGet => "nuget",
            Ecosystem::SwiftUrl => "swift",
            Ecosystem::Maven => "maven",
            Ecosystem::Hex => "hex",
            Ecosystem::ConanCenter => "conan",
            Ecosystem::Pub => "pub",
        }
    }
}

/// Every ecosystem.
const ALL: [Ecosystem; 12] = [
    Ecosystem::CratesIo,
    Ecosystem::Npm,
    Ecosystem::PyPi,
    Ecosystem::Go,
    Ecosystem::RubyGems,
    Ecosystem::Packagist,
    Ecosystem::NuGet,
    Ecosystem::SwiftUrl,
    Ecosystem::Maven,
    Ecosystem::Hex,
    Ecosystem::ConanCenter,
    Ecosystem::Pub,
];

/// Whether a package is needed at run time or only to develop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Shipped with the software.
    Runtime,
    /// Only for development, tests or builds.
    Dev,
}

impl Scope {
    /// The name the report and the hub use: `runtime` or `dev`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Runtime => "runtime",
            Scope::Dev => "dev",
        }
    }
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
    /// Its format, named by its canonical file name (`Cargo.lock`, `yarn.lock`, `go.mod`…).
    pub format: &'static str,
    /// Packages, sorted by ecosystem, name and version.
    pub packages: Vec<Package>,
    /// What the file declares that could not be made a package (a Maven version managed
    /// outside the repository), each naming its line.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The purl of a package. Names are percent-encoded by the packageurl crate. The namespace
/// comes from the name where the ecosystem puts one there: npm scopes (`@types/node`), Go
/// module paths and SwiftURL names (all before the last `/`), Packagist vendors
/// (`vendor/name`) and Maven groups (`group:artifact`).
///
/// A Go version gets its `v` back (`@v1.9.3`), as Go writes versions and the purl spec's
/// examples, Trivy, Syft and OSV-Scanner write Go purls; the parsers keep Go versions without
/// it, as OSV's ranges do.
pub fn purl(ecosystem: Ecosystem, name: &str, version: &str) -> String {
    let (namespace, name) = split_namespace(ecosystem, name);
    let go_version;
    let version = if ecosystem == Ecosystem::Go && version.starts_with(|c: char| c.is_ascii_digit())
    {
        go_version = format!("v{version}");
        go_version.as_str()
    } else {
        version
    };
    let name = if ecosystem == Ecosystem::PyPi {
        normalize_pypi(name)
    } else {
        name.to_owned()
    };
    match packageurl::PackageUrl::new(ecosystem.purl_type(), name.as_str()) {
        Ok(mut p) => {
            let namespaced = match namespace {
                Some(ns) => p.with_namespace(ns).is_ok(),
                None => true,
            };
            // An unknown version (a Maven parent outside the repository) stays out of the purl.
            if namespaced && (version.is_empty() || p.with_version(version).is_ok()) {
                p.to_string()
            } else {
                fallback_purl(ecosystem, namespace, &name, version)
            }
        }
        Err(_) => fallback_purl(ecosystem, namespace, &name, version),
    }
}

/// The purl namespace and name of an ecosystem's package name.
fn split_namespace(ecosystem: Ecosystem, name: &str) -> (Option<&str>, &str) {
    let split = match ecosystem {
        Ecosystem::Npm if name.starts_with('@') => name.split_once('/'),
        Ecosystem::Go | Ecosystem::SwiftUrl | Ecosystem::Packagist => name.rsplit_once('/'),
        Ecosystem::Maven => name.split_once(':'),
        _ => None,
    };
    match split {
        Some((ns, n)) if !ns.is_empty() && !n.is_empty() => (Some(ns), n),
        _ => (None, name),
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
            .replace('?', "%3F")
            .replace('#', "%23")
    };
    let at = if version.is_empty() {
        String::new()
    } else {
        format!("@{}", esc(version))
    };
    match namespace {
        Some(ns) => format!(
            "pkg:{}/{}/{}{at}",
            ecosystem.purl_type(),
            ns.split('/').map(esc).collect::<Vec<_>>().join("/"),
            esc(name),
        ),
        None => format!("pkg:{}/{}{at}", ecosystem.purl_type(), esc(name)),
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
        assert_eq!(
            purl(Ecosystem::Go, "github.com/sirupsen/logrus", "1.9.3"),
            "pkg:golang/github.com/sirupsen/logrus@v1.9.3"
        );
        assert_eq!(
            purl(Ecosystem::Go, "gopkg.in/yaml.v2", "2.4.0"),
            "pkg:golang/gopkg.in/yaml.v2@v2.4.0"
        );
        assert_eq!(
            purl(Ecosystem::Packagist, "symfony/console", "6.0.0"),
            "pkg:composer/symfony/console@6.0.0"
        );
        assert_eq!(
            purl(Ecosystem::Maven, "org.slf4j:slf4j-api", "2.0.9"),
            "pkg:maven/org.slf4j/slf4j-api@2.0.9"
        );
        assert_eq!(
            purl(Ecosystem::Maven, "org.slf4j:slf4j-api", ""),
            "pkg:maven/org.slf4j/slf4j-api"
        );
        assert_eq!(
            purl(Ecosystem::SwiftUrl, "github.com/apple/swift-nio", "2.65.0"),
            "pkg:swift/github.com/apple/swift-nio@2.65.0"
        );
        assert_eq!(
            purl(Ecosystem::RubyGems, "rails", "7.0.2.2"),
            "pkg:gem/rails@7.0.2.2"
        );
        assert_eq!(
            purl(Ecosystem::NuGet, "Newtonsoft.Json", "13.0.3"),
            "pkg:nuget/Newtonsoft.Json@13.0.3"
        );
        assert_eq!(
            purl(Ecosystem::Hex, "plug", "1.11.1"),
            "pkg:hex/plug@1.11.1"
        );
        assert_eq!(
            purl(Ecosystem::ConanCenter, "zlib", "1.2.13"),
            "pkg:conan/zlib@1.2.13"
        );
    }
}
