//! `Gemfile.lock` (and `gems.locked`): the `specs:` of `GEM` and `GIT` sources
//! (`    name (version[-platform])`, their dependencies six spaces in), `DEPENDENCIES` for what
//! the Gemfile declares, and `CHECKSUMS` (Bundler 2.5+). `PATH` gems are local code.

use std::collections::{BTreeMap, BTreeSet};

use super::{alg_hash, line_no};
use crate::ParseError;
use crate::model::{Ecosystem, Package, purl};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    /// A source whose specs are packages.
    Remote,
    /// A local source (`PATH`, plugins): its specs are not packages.
    Local,
    Dependencies,
    Checksums,
    Other,
}

struct Spec {
    name: String,
    /// `1.13.3` of `1.13.3-x86_64-linux`.
    version: String,
    /// As written, platform included, to match `CHECKSUMS`.
    full: String,
    line: u32,
    deps: Vec<String>,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `name (version)` → (`name`, `version`); `None` without a parenthesised version.
fn name_version(s: &str) -> Option<(&str, &str)> {
    let (name, rest) = s.trim().split_once(" (")?;
    let version = rest.strip_suffix(')')?;
    (!name.is_empty() && !version.is_empty()).then_some((name, version))
}

/// Parses a `Gemfile.lock`. A gem locked for several platforms is one package.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    let mut section = Section::Other;
    let mut in_specs = false;
    let mut specs: Vec<Spec> = Vec::new();
    // Whether the current spec (the last seen) is a package whose dependencies to record.
    let mut current_is_package = false;
    let mut declared: Option<BTreeSet<String>> = None;
    let mut checksums: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let n = line_no(i);
        let line = raw.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let depth = indent(line);
        if depth == 0 {
            section = match line {
                "GEM" | "GIT" => Section::Remote,
                "PATH" | "PLUGIN SOURCE" => Section::Local,
                "DEPENDENCIES" => Section::Dependencies,
                "CHECKSUMS" => Section::Checksums,
                _ => Section::Other,
            };
            if section == Section::Dependencies {
                declared.get_or_insert_with(BTreeSet::new);
            }
            in_specs = false;
            current_is_package = false;
            continue;
        }
        let body = line.trim();
        match section {
            Section::Remote | Section::Local => {
                if depth == 2 {
                    in_specs = body == "specs:";
                    current_is_package = false;
                } else if depth == 4 && in_specs {
                    let Some((name, full)) = name_version(body) else {
                        return Err(ParseError::new(
                            n,
                            &format!("spec `{body}` has no `(version)`"),
                        ));
                    };
                    current_is_package = section == Section::Remote;
                    if current_is_package {
                        let version = full.split_once('-').map_or(full, |(v, _)| v);
                        specs.push(Spec {
                            name: name.to_owned(),
                            version: version.to_owned(),
                            full: full.to_owned(),
                            line: n,
                            deps: Vec::new(),
                        });
                    }
                } else if depth == 6 && in_specs && current_is_package {
                    if let (Some(spec), Some(dep)) = (specs.last_mut(), body.split(' ').next()) {
                        spec.deps.push(dep.to_owned());
                    }
                }
            }
            Section::Dependencies => {
                if let (Some(set), Some(name)) = (declared.as_mut(), body.split(' ').next()) {
                    set.insert(name.trim_end_matches('!').to_owned());
                }
            }
            Section::Checksums => {
                let (spec, sums) = body
                    .split_once(") ")
                    .map_or((body, ""), |(s, rest)| (s, rest));
                let spec = format!("{spec})");
                if let Some((name, full)) = name_version(&spec) {
                    checksums
                        .entry((name.to_owned(), full.to_owned()))
                        .or_default()
                        .extend(sums.split(',').filter_map(alg_hash));
                }
            }
            Section::Other => {}
        }
    }
    let mut versions: BTreeMap<&str, &str> = BTreeMap::new();
    for s in &specs {
        versions.entry(&s.name).or_insert(&s.version);
    }
    let mut out: Vec<Package> = Vec::new();
    let mut index: BTreeMap<(String, String), usize> = BTreeMap::new();
    for s in &specs {
        let hashes = checksums
            .get(&(s.name.clone(), s.full.clone()))
            .cloned()
            .unwrap_or_default();
        if let Some(p) = index
            .get(&(s.name.clone(), s.version.clone()))
            .and_then(|&at| out.get_mut(at))
        {
            p.hashes.extend(hashes);
            p.hashes.sort();
            p.hashes.dedup();
            continue;
        }
        let dependencies: BTreeSet<String> = s
            .deps
            .iter()
            .filter_map(|d| {
                versions
                    .get(d.as_str())
                    .map(|v| purl(Ecosystem::RubyGems, d, v))
            })
            .collect();
        index.insert((s.name.clone(), s.version.clone()), out.len());
        out.push(Package {
            ecosystem: Ecosystem::RubyGems,
            name: s.name.clone(),
            version: s.version.clone(),
            purl: purl(Ecosystem::RubyGems, &s.name, &s.version),
            direct: declared.as_ref().map(|d| d.contains(&s.name)),
            scope: None,
            line: s.line,
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
    fn specs_dependencies_checksums() {
        let text = "GIT\n  remote: https://github.com/x/y.git\n  revision: abc\n  specs:\n    y (2.0.0.alpha1)\n      rack (~> 2.0)\n\nPATH\n  remote: .\n  specs:\n    app (0.1.0)\n      rack\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.13.3-x86_64-linux)\n      racc (~> 1.4)\n    nokogiri (1.13.3-arm64-darwin)\n      racc (~> 1.4)\n    racc (1.6.0)\n    rack (2.2.3)\n\nPLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  nokogiri (~> 1.13)\n  y!\n\nCHECKSUMS\n  racc (1.6.0) sha256=ABCD\n\nBUNDLED WITH\n   2.5.3\n";
        let p = parse(text).unwrap();
        let names: Vec<&str> = p.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["y", "nokogiri", "racc", "rack"]);
        assert_eq!(p[0].line, 5);
        assert_eq!(p[0].direct, Some(true));
        assert_eq!(p[0].dependencies, ["pkg:gem/rack@2.2.3"]);
        assert_eq!(p[1].version, "1.13.3");
        assert_eq!(p[1].purl, "pkg:gem/nokogiri@1.13.3");
        assert_eq!(p[1].line, 17);
        assert_eq!(p[1].direct, Some(true));
        assert_eq!(p[2].direct, Some(false));
        assert_eq!(p[2].hashes, ["SHA-256:abcd"]);
        assert_eq!(p[2].line, 21);
    }

    #[test]
    fn malformed() {
        let e = parse("GEM\n  remote: https://rubygems.org/\n  specs:\n    invalid-name\n")
            .unwrap_err();
        assert_eq!(e.line, 4);
        let p = parse("GEM\n  specs:\n    ast (2.4.2)\n").unwrap();
        assert_eq!(p[0].direct, None);
        assert!(parse("").unwrap().is_empty());
    }
}
