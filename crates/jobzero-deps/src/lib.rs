//! The `deps` family: lockfiles → the inventory → CycloneDX 1.6 SBOMs.
//!
//! It reads `Cargo.lock`, `package-lock.json`/`npm-shrinkwrap.json`, pip requirements files,
//! `poetry.lock`, `Pipfile.lock`, `uv.lock`, `pdm.lock`, `go.mod`, `Gemfile.lock`/`gems.locked`,
//! `composer.lock`, `yarn.lock` (classic and berry), NuGet `packages.lock.json`, SwiftPM
//! `Package.resolved`, `gradle.lockfile`, `mix.lock` and `conan.lock` (one module each under
//! [`parsers`]), and writes SBOMs (`jobzero sbom`).

pub mod model;
pub mod parsers;
pub mod query;
pub mod rules;
pub mod sbom;
pub mod scanner;

use std::path::Path;

use jobzero_core::ScanError;
use jobzero_core::walk::{WalkOptions, walk};

use crate::model::Lockfile;

/// A lockfile that could not be parsed: the line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based line.
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

impl ParseError {
    /// A new error.
    pub fn new(line: u32, message: &str) -> ParseError {
        ParseError {
            line,
            message: message.trim_end().to_owned(),
        }
    }
}

/// Every format [`format_of`] names: what `jobzero sbom` and the deps family read.
pub const FORMATS: [&str; 22] = [
    "Cargo.lock",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "requirements.txt",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "go.mod",
    "Gemfile.lock",
    "composer.lock",
    "packages.lock.json",
    "Package.resolved",
    "gradle.lockfile",
    "pom.xml",
    "mix.lock",
    "conan.lock",
    "pubspec.lock",
    "bom.json",
    "bom.xml",
];

/// The lockfile formats this build reads, by file name.
pub fn format_of(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name {
        "Cargo.lock" => Some("Cargo.lock"),
        "package-lock.json" | "npm-shrinkwrap.json" => Some("package-lock.json"),
        "poetry.lock" => Some("poetry.lock"),
        "Pipfile.lock" => Some("Pipfile.lock"),
        "uv.lock" => Some("uv.lock"),
        "pdm.lock" => Some("pdm.lock"),
        "go.mod" => Some("go.mod"),
        "Gemfile.lock" | "gems.locked" => Some("Gemfile.lock"),
        "composer.lock" => Some("composer.lock"),
        "yarn.lock" => Some("yarn.lock"),
        "packages.lock.json" => Some("packages.lock.json"),
        "Package.resolved" => Some("Package.resolved"),
        "gradle.lockfile" => Some("gradle.lockfile"),
        "mix.lock" => Some("mix.lock"),
        "conan.lock" => Some("conan.lock"),
        "pnpm-lock.yaml" => Some("pnpm-lock.yaml"),
        "bun.lock" => Some("bun.lock"),
        "pom.xml" => Some("pom.xml"),
        "pubspec.lock" => Some("pubspec.lock"),
        _ if is_requirements(name) => Some("requirements.txt"),
        _ if is_cyclonedx(name, "json") => Some("bom.json"),
        _ if is_cyclonedx(name, "xml") => Some("bom.xml"),
        _ => None,
    }
}

/// `bom.json`, `*.cdx.json`, `*.cyclonedx.json` and the same in XML: the names the
/// CycloneDX specification recommends.
fn is_cyclonedx(name: &str, extension: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == format!("bom.{extension}")
        || lower.ends_with(&format!(".cdx.{extension}"))
        || lower.ends_with(&format!(".cyclonedx.{extension}"))
}

fn is_requirements(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.starts_with("requirements") && lower.ends_with(".txt"))
        || lower.ends_with("-requirements.txt")
        || lower.ends_with("_requirements.txt")
}

fn is_dev_requirements(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["dev", "test", "lint", "doc", "ci"]
        .iter()
        .any(|w| lower.contains(w))
}

/// Parses the lockfile at `path` (display path `display`); requirements includes are
/// followed relative to the including file, each file once.
pub fn parse_file(path: &Path, display: &str) -> Result<Lockfile, ScanError> {
    let format = format_of(display)
        .ok_or_else(|| ScanError::new(display, None, "not a lockfile format jobzero reads"))?;
    let text = read(path, display)?;
    if format != "requirements.txt" {
        return parse_text_at(display, &text, Some(path));
    }
    let at = |e: ParseError| {
        ScanError::new(
            display,
            Some(e.line),
            format!("cannot parse {format}: {}", e.message),
        )
    };
    let dev = is_dev_requirements(display);
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec![(path.to_owned(), text)];
    let mut packages = Vec::new();
    while let Some((file, text)) = queue.pop() {
        if !seen.insert(std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone())) {
            continue;
        }
        let parsed = parsers::requirements::parse(&text, dev).map_err(at)?;
        packages.extend(parsed.packages);
        for include in parsed.includes {
            let next = file.parent().unwrap_or(Path::new(".")).join(&include);
            let next_text = read(&next, &include).map_err(|e| {
                ScanError::new(
                    display,
                    None,
                    format!("included `{include}`: {}", e.message),
                )
            })?;
            queue.push((next, next_text));
        }
    }
    packages.sort();
    packages.dedup();
    Ok(Lockfile {
        path: display.to_owned(),
        format,
        packages,
        notes: Vec::new(),
    })
}

/// Parses lockfile text already read (the scan engine's path). Requirements includes are not
/// followed here: each requirements file is scanned on its own.
pub fn parse_text(display: &str, text: &str) -> Result<Lockfile, ScanError> {
    parse_text_at(display, text, None)
}

/// [`parse_text`], with the file's place on disk so a POM's local parents are read.
pub fn parse_text_at(
    display: &str,
    text: &str,
    disk_path: Option<&Path>,
) -> Result<Lockfile, ScanError> {
    let format = format_of(display)
        .ok_or_else(|| ScanError::new(display, None, "not a lockfile format jobzero reads"))?;
    let at = |e: ParseError| {
        ScanError::new(
            display,
            Some(e.line),
            format!("cannot parse {format}: {}", e.message),
        )
    };
    let mut notes = Vec::new();
    let mut packages = match format {
        "Cargo.lock" => parsers::cargo_lock::parse(text).map_err(at)?,
        "package-lock.json" => parsers::npm_lock::parse(text).map_err(at)?,
        "poetry.lock" => parsers::poetry_lock::parse(text).map_err(at)?,
        "Pipfile.lock" => parsers::pipfile_lock::parse(text).map_err(at)?,
        "uv.lock" => parsers::uv_lock::parse(text).map_err(at)?,
        "pdm.lock" => parsers::pdm_lock::parse(text).map_err(at)?,
        "go.mod" => parsers::go_mod::parse(text).map_err(at)?,
        "Gemfile.lock" => parsers::gemfile_lock::parse(text).map_err(at)?,
        "composer.lock" => parsers::composer_lock::parse(text).map_err(at)?,
        "yarn.lock" => parsers::yarn_lock::parse(text).map_err(at)?,
        "packages.lock.json" => parsers::nuget_lock::parse(text).map_err(at)?,
        "Package.resolved" => parsers::package_resolved::parse(text).map_err(at)?,
        "gradle.lockfile" => parsers::gradle_lockfile::parse(text).map_err(at)?,
        "mix.lock" => parsers::mix_lock::parse(text).map_err(at)?,
        "conan.lock" => parsers::conan_lock::parse(text).map_err(at)?,
        "pnpm-lock.yaml" => parsers::pnpm_lock::parse(text).map_err(at)?,
        "bun.lock" => parsers::bun_lock::parse(text).map_err(at)?,
        "bom.json" => parsers::cyclonedx::parse_json(text).map_err(at)?,
        "bom.xml" => parsers::cyclonedx::parse_xml(text).map_err(at)?,
        "pom.xml" => {
            let dir = disk_path.and_then(Path::parent);
            let load = |relative: &Path| -> Option<String> {
                let bytes = std::fs::read(dir?.join(relative)).ok()?;
                String::from_utf8(bytes).ok()
            };
            let (packages, unresolved) = parsers::pom_xml::parse_with(text, &load).map_err(at)?;
            notes = unresolved;
            packages
        }
        "pubspec.lock" => parsers::pubspec_lock::parse(text).map_err(at)?,
        "requirements.txt" => {
            parsers::requirements::parse(text, is_dev_requirements(display))
                .map_err(at)?
                .packages
        }
        other => {
            return Err(ScanError::new(
                display,
                None,
                format!("no parser for {other}"),
            ));
        }
    };
    packages.sort();
    packages.dedup();
    Ok(Lockfile {
        path: display.to_owned(),
        format,
        packages,
        notes,
    })
}

fn read(path: &Path, display: &str) -> Result<String, ScanError> {
    let bytes = std::fs::read(path)
        .map_err(|e| ScanError::new(display, None, format!("cannot read: {e}")))?;
    let bytes = jobzero_core::scan::without_bom(&bytes);
    String::from_utf8(bytes.to_vec())
        .map_err(|e| ScanError::new(display, None, format!("not UTF-8: {e}")))
}

/// Every lockfile under `root`, parsed, sorted by path; and the files that could not be.
pub fn inventory(root: &Path, options: &WalkOptions) -> (Vec<Lockfile>, Vec<ScanError>) {
    let w = walk(root, None, options);
    let mut lockfiles = Vec::new();
    let mut errors = w.errors;
    for file in w.files.iter().filter(|f| format_of(&f.display).is_some()) {
        match parse_file(&file.path, &file.display) {
            Ok(l) => lockfiles.push(l),
            Err(e) => errors.push(e),
        }
    }
    (lockfiles, errors)
}

#[cfg(test)]
mod formats_tests {
    use super::*;

    #[test]
    fn every_listed_format_is_read_and_every_read_format_is_listed() {
        for f in FORMATS {
            assert_eq!(format_of(f), Some(f), "{f}");
        }
        for name in [
            "npm-shrinkwrap.json",
            "gems.locked",
            "requirements-dev.txt",
            "app.cdx.json",
        ] {
            let f = format_of(name).unwrap_or_default();
            assert!(FORMATS.contains(&f), "{name} read as unlisted {f}");
        }
    }
}
