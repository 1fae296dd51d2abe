//! Gradle `gradle.lockfile`: `group:artifact:version=configuration,…` lines, `#` comments and
//! an `empty=…` line naming configurations without dependencies.

use super::line_no;
use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, purl};

/// Whether a configuration is only for tests or the build (annotation processors, dev-only
/// tooling), not what ships.
fn is_dev_configuration(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("test")
        || lower.starts_with("annotationprocessor")
        || lower.starts_with("kapt")
        || lower.starts_with("ksp")
        || lower == "developmentonly"
}

/// Parses a `gradle.lockfile`. Packages are named `group:artifact`, as OSV names Maven
/// packages; those locked only in test or build configurations are dev. Any other line is
/// an error (a lockfile left with merge conflict markers, say).
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = line_no(i);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((coordinates, configurations)) = line.split_once('=') else {
            return Err(ParseError::new(
                n,
                "expected `group:artifact:version=configurations`",
            ));
        };
        if coordinates == "empty" {
            continue;
        }
        let mut parts = coordinates.split(':');
        let (Some(group), Some(artifact), Some(version)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(ParseError::new(
                n,
                "expected `group:artifact:version` before `=`",
            ));
        };
        let valid = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| !c.is_whitespace() && !matches!(c, '=' | ',' | '<' | '>'))
        };
        if !valid(group) || !valid(artifact) || !valid(version) || parts.next().is_some() {
            return Err(ParseError::new(
                n,
                "expected `group:artifact:version` before `=`",
            ));
        }
        let configurations: Vec<&str> = configurations
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let scope = if configurations.is_empty() {
            None
        } else if configurations.iter().all(|c| is_dev_configuration(c)) {
            Some(Scope::Dev)
        } else {
            Some(Scope::Runtime)
        };
        let name = format!("{group}:{artifact}");
        out.push(Package {
            ecosystem: Ecosystem::Maven,
            purl: purl(Ecosystem::Maven, &name, version),
            name,
            version: version.to_owned(),
            direct: None,
            scope,
            line: n,
            hashes: Vec::new(),
            dependencies: Vec::new(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn lines_and_scopes() {
        let text = "# This is a Gradle generated file for dependency locking.\n# Manual edits can break the build and are not advised.\n# This file is expected to be part of source control.\norg.springframework.boot:spring-boot-autoconfigure:2.7.4=compileClasspath,productionRuntimeClasspath,runtimeClasspath\njunit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath\norg.projectlombok:lombok:1.18.30=annotationProcessor,compileClasspath\nempty=\n";
        let p = parse(text).unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(
            p[0].name,
            "org.springframework.boot:spring-boot-autoconfigure"
        );
        assert_eq!(
            p[0].purl,
            "pkg:maven/org.springframework.boot/spring-boot-autoconfigure@2.7.4"
        );
        assert_eq!(p[0].line, 4);
        assert_eq!(p[0].scope, Some(Scope::Runtime));
        assert_eq!(p[1].scope, Some(Scope::Dev));
        assert_eq!(p[1].line, 5);
        assert_eq!(p[2].scope, Some(Scope::Runtime));
    }

    #[test]
    fn malformed() {
        assert_eq!(parse("# c\n>>>\n").unwrap_err().line, 2);
        assert_eq!(parse("a:b=x\n").unwrap_err().line, 1);
        assert!(parse("# only comments\n").unwrap().is_empty());
    }
}
