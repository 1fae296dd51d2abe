//! Checks every family runs in its tests: registry meta-checks and rule fixtures.
//!
//! Each rule has a folder `tests/fixtures/<rule-id>/` in its family's crate with `positive*`
//! files the rule must report and `near-miss*` files it must stay silent on.

use std::collections::BTreeSet;
use std::path::Path;

use crate::finding::Finding;
use crate::registry::Registry;
use crate::rule::{DOC_SECTIONS, RuleMeta};
use crate::scan::{FileOutput, Scanner, SourceFile};

/// Every way the registry breaks its contracts; empty when it is sound.
pub fn registry_problems(registry: &Registry) -> Vec<String> {
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    let mut codes = BTreeSet::new();
    for r in registry.rules() {
        if !ids.insert(r.id) {
            problems.push(format!("{}: duplicate id", r.id));
        }
        if !codes.insert(r.code) {
            problems.push(format!("{}: duplicate code {}", r.id, r.code));
        }
        let namespace = r.family.rule_namespace();
        if r.id.split_once('/').map(|(ns, _)| ns) != Some(namespace) {
            problems.push(format!("{}: id must start with `{namespace}/`", r.id));
        }
        let name = r.name();
        let kebab = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !name.starts_with('-')
            && !name.ends_with('-')
            && !name.contains("--");
        if !kebab {
            problems.push(format!("{}: name `{name}` is not kebab-case", r.id));
        }
        // Names describe the bad pattern, not advice (ruff's rule).
        for advice in ["avoid-", "use-", "do-not-", "dont-", "prefer-"] {
            if name.starts_with(advice) {
                problems.push(format!("{}: name reads as advice (`{advice}`)", r.id));
            }
        }
        let prefix = r.family.code_prefix();
        let digits = r.code.strip_prefix(prefix).unwrap_or("");
        // Three digits; four where a family outgrew a thousand codes (the secrets family's
        // provider detectors).
        if !(3..=4).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
            problems.push(format!(
                "{}: code `{}` must be {prefix}NNN or {prefix}NNNN",
                r.id, r.code
            ));
        }
        if r.title.is_empty()
            || r.title.ends_with('.')
            || r.title.starts_with(|c: char| c.is_ascii_uppercase())
        {
            problems.push(format!(
                "{}: title must be lowercase-first with no final period",
                r.id
            ));
        }
        let mut last = 0;
        for section in DOC_SECTIONS {
            let heading = format!("## {section}");
            match r.docs_markdown().find(&heading) {
                Some(at) if at >= last => {
                    last = at;
                    if r.doc_section(section).is_none() {
                        problems.push(format!("{}: section `{section}` is empty", r.id));
                    }
                }
                Some(_) => problems.push(format!("{}: section `{section}` out of order", r.id)),
                None => problems.push(format!("{}: missing doc section `{section}`", r.id)),
            }
        }
        if r.references().is_empty() {
            problems.push(format!("{}: no references", r.id));
        }
    }
    problems
}

/// Whether a finding was produced by `rule` (its own id, or a dynamic id in its namespace).
pub fn is_from_rule(finding: &Finding, rule: &RuleMeta) -> bool {
    finding.rule == rule.id
        || (rule.dynamic_ids
            && finding.code == rule.code
            && finding
                .rule
                .starts_with(&format!("{}/", rule.family.rule_namespace())))
}

/// Scans one fixture file with `scanner`, under the file's name as its path.
pub fn scan_fixture(scanner: &dyn Scanner, path: &Path) -> std::io::Result<FileOutput> {
    let bytes = std::fs::read(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out = FileOutput::default();
    scanner.scan_file(
        &SourceFile {
            path: &name,
            bytes: &bytes,
            disk_path: Some(path),
        },
        &mut out,
    );
    Ok(out)
}

/// The findings of each positive fixture of each rule, by `<rule-id>/<file>`; or every
/// broken contract: a rule without fixtures, a positive file the rule misses, a near-miss
/// file it reports, a fixture that does not parse.
pub fn check_fixtures(
    scanner: &dyn Scanner,
    fixtures: &Path,
) -> Result<Vec<(String, Vec<Finding>)>, Vec<String>> {
    let mut problems = Vec::new();
    let mut snapshots = Vec::new();
    for rule in scanner.rules() {
        let dir = fixtures.join(rule.id);
        let mut files: Vec<_> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(e) => {
                problems.push(format!(
                    "{}: no fixtures at {}: {e}",
                    rule.id,
                    dir.display()
                ));
                continue;
            }
        };
        files.sort();
        let name_of = |p: &Path| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let positives: Vec<_> = files
            .iter()
            .filter(|p| name_of(p).starts_with("positive"))
            .collect();
        let near: Vec<_> = files
            .iter()
            .filter(|p| name_of(p).starts_with("near-miss"))
            .collect();
        if positives.is_empty() {
            problems.push(format!("{}: no positive fixture", rule.id));
        }
        if near.is_empty() {
            problems.push(format!("{}: no near-miss fixture", rule.id));
        }
        for (path, positive) in positives
            .iter()
            .map(|p| (p, true))
            .chain(near.iter().map(|p| (p, false)))
        {
            let out = match scan_fixture(scanner, path) {
                Ok(out) => out,
                Err(e) => {
                    problems.push(format!("{}: {}", path.display(), e));
                    continue;
                }
            };
            for e in &out.errors {
                problems.push(format!("{}: fixture does not parse: {e}", path.display()));
            }
            let mine: Vec<Finding> = out
                .findings
                .into_iter()
                .filter(|f| is_from_rule(f, rule))
                .collect();
            if positive && mine.is_empty() {
                problems.push(format!(
                    "{}: rule {} reports nothing",
                    path.display(),
                    rule.id
                ));
            }
            if !positive && !mine.is_empty() {
                problems.push(format!(
                    "{}: rule {} reports a near-miss: {}",
                    path.display(),
                    rule.id,
                    mine[0].message
                ));
            }
            if positive {
                snapshots.push((format!("{}/{}", rule.id, name_of(path)), mine));
            }
        }
    }
    if problems.is_empty() {
        Ok(snapshots)
    } else {
        Err(problems)
    }
}
