//! The deps scanner of `jobzero scan`: every lockfile's packages against the offline
//! advisory database.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use jobzero_advisories::{Database, Index, Match};
use jobzero_core::InventoryItem;
use jobzero_core::{
    Advisory, Family, FileOutput, Finding, Location, Package as FindingPackage, RuleMeta, Scanner,
    Severity, SourceFile,
};

use crate::model::{Package, Scope};
use crate::rules::KNOWN_VULNERABILITY;

/// The family's rules, in registration order.
pub static RULES: &[&RuleMeta] = &[&KNOWN_VULNERABILITY];

/// Scans lockfiles for known-vulnerable packages.
#[derive(Debug)]
pub struct DepsScanner {
    db: Database,
    indexes: Mutex<HashMap<String, Arc<Index>>>,
    lockfiles: AtomicUsize,
    has_advisories: bool,
    /// Age in days of the newest advisory, and the limit past which that is a warning.
    staleness: Option<(u64, u64)>,
    /// Declared dependencies that could not be made packages, as `path: line N: …`.
    notes: Mutex<Vec<String>>,
}

impl DepsScanner {
    /// A scanner over the advisory database in `db`, warning when its newest advisory is
    /// older than `max_age_days`.
    pub fn new(db: Database, max_age_days: u32) -> DepsScanner {
        let status = db.status().unwrap_or_default();
        let has_advisories = status.iter().any(|e| e.advisories > 0);
        let today = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs() / 86_400).unwrap_or(0));
        let staleness = status
            .iter()
            .filter_map(|e| jobzero_core::days::from_iso(&e.newest))
            .max()
            .map(|newest| {
                (
                    u64::try_from(today - newest).unwrap_or(0),
                    u64::from(max_age_days),
                )
            });
        DepsScanner {
            db,
            indexes: Mutex::new(HashMap::new()),
            lockfiles: AtomicUsize::new(0),
            has_advisories,
            staleness,
            notes: Mutex::new(Vec::new()),
        }
    }

    /// Warnings about the advisory database: empty, or older than the configured age.
    fn database_warnings(&self) -> Vec<String> {
        let n = self.lockfiles.load(Ordering::Relaxed);
        if n > 0 && !self.has_advisories {
            return vec![format!(
                "{n} lockfile(s) inventoried but not matched: the advisory database at `{}` is empty; load OSV advisories with `jobzero db import FILE|DIR...`",
                self.db.dir().display()
            )];
        }
        match self.staleness {
            Some((age, limit)) if n > 0 && age > limit => vec![format!(
                "the newest advisory in `{}` is {age} days old (limit {limit}, `[deps] max-advisory-age-days`): import fresh advisories with `jobzero db import`",
                self.db.dir().display()
            )],
            _ => Vec::new(),
        }
    }

    /// Whether the database holds any advisory; without one the scan only inventories.
    pub fn has_advisories(&self) -> bool {
        self.has_advisories
    }

    fn index(&self, ecosystem: &str) -> Option<Arc<Index>> {
        let mut cache = self.indexes.lock().ok()?;
        if let Some(i) = cache.get(ecosystem) {
            return Some(Arc::clone(i));
        }
        let index = Arc::new(self.db.index(ecosystem).ok()?);
        cache.insert(ecosystem.to_owned(), Arc::clone(&index));
        Some(index)
    }
}

/// The severity of a match: its CVSS vector's score, else its database label.
pub fn severity_of(m: &Match) -> Severity {
    let scored = m
        .cvss
        .iter()
        .filter_map(|v| cvss::Cvss::from_str(v).ok())
        .map(|c| c.score())
        .fold(None::<f64>, |best, s| Some(best.map_or(s, |b| b.max(s))));
    if let Some(score) = scored {
        return Severity::from_score(score);
    }
    m.severity_label
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or(Severity::Medium)
}

/// The findings of one package of the lockfile at `path` against an advisory index: what a
/// scan reports, with the same fingerprints (the hub re-matches stored inventories with it).
pub fn vulnerability_findings(path: &str, p: &Package, index: &Index) -> Vec<Finding> {
    // A package whose version is unknown matches no range: nothing can be said of it.
    if p.version.is_empty() {
        return Vec::new();
    }
    index
        .matches(&p.name, &p.version)
        .iter()
        .filter_map(|m| finding(path, p, m))
        .collect()
}

fn finding(path: &str, p: &Package, m: &Match) -> Option<Finding> {
    let base = severity_of(m);
    let remediation = match m.fixed.iter().find(|f| {
        jobzero_advisories::version::compare(p.ecosystem.as_str(), f, &p.version)
            .is_some_and(|o| o == std::cmp::Ordering::Greater)
    }) {
        Some(fix) => format!("Upgrade {} from {} to {fix} or later.", p.name, p.version),
        None => format!(
            "No fixed version of {} is known: remove it or accept the risk with an owner and an expiry.",
            p.name
        ),
    };
    let summary = if m.summary.is_empty() {
        m.id.clone()
    } else {
        m.summary.clone()
    };
    let mut builder = Finding::builder(&KNOWN_VULNERABILITY)
        .rule_id(format!("vuln/{}", m.id))
        .title(summary.clone())
        .message(format!("{} {}: {summary}", p.name, p.version))
        .severity(base)
        .location(Location::lines(path, p.line, p.line).route(p.purl.clone()))
        .evidence(format!("{}\n{}", p.purl, m.id))
        .remediation(remediation)
        .package(FindingPackage {
            ecosystem: p.ecosystem.as_str().to_owned(),
            name: p.name.clone(),
            version: p.version.clone(),
            purl: p.purl.clone(),
        })
        .advisory(Advisory {
            id: m.id.clone(),
            aliases: m.aliases.clone(),
            fixed: m.fixed.clone(),
        });
    for r in m.aliases.iter().chain(m.references.iter().take(5)) {
        builder = builder.reference(r.clone());
    }
    let mut f = builder.build().ok()?;
    if p.scope == Some(Scope::Dev) {
        // Dev-only packages do not ship: one step lower, said in the finding.
        f.override_severity(base.lowered());
        f.severity_reason = None;
        f.message
            .push_str(" (dev dependency: severity one step lower)");
    }
    Some(f)
}

/// A package as the report's inventory lists it.
pub fn inventory_item(lockfile: &str, p: &crate::model::Package) -> InventoryItem {
    InventoryItem {
        ecosystem: p.ecosystem.as_str().to_owned(),
        name: p.name.clone(),
        version: p.version.clone(),
        purl: p.purl.clone(),
        direct: p.direct,
        scope: p.scope.map(|s| s.as_str().to_owned()),
        lockfile: lockfile.to_owned(),
        line: p.line,
    }
}

impl Scanner for DepsScanner {
    fn family(&self) -> Family {
        Family::Deps
    }

    fn rules(&self) -> Vec<&'static RuleMeta> {
        RULES.to_vec()
    }

    fn wants(&self, path: &str) -> bool {
        crate::format_of(path).is_some()
    }

    fn warnings(&self) -> Vec<String> {
        let mut notes = self
            .notes
            .lock()
            .map(|mut n| std::mem::take(&mut *n))
            .unwrap_or_default();
        notes.sort();
        notes.extend(self.database_warnings());
        notes
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut FileOutput) {
        let text = file.text();
        let lockfile = match crate::parse_text_at(file.path, &text, file.disk_path) {
            Ok(l) => l,
            Err(e) => {
                out.errors.push(e);
                return;
            }
        };
        // Counted once read: a lockfile that did not parse was not inventoried.
        self.lockfiles.fetch_add(1, Ordering::Relaxed);
        out.packages.extend(
            lockfile
                .packages
                .iter()
                .map(|p| inventory_item(file.path, p)),
        );
        if !self.has_advisories {
            return;
        }
        if !lockfile.notes.is_empty()
            && let Ok(mut notes) = self.notes.lock()
        {
            notes.extend(lockfile.notes.iter().map(|n| format!("{}: {n}", file.path)));
        }
        for p in &lockfile.packages {
            let Some(index) = self.index(p.ecosystem.as_str()) else {
                continue;
            };
            out.findings
                .extend(vulnerability_findings(file.path, p, &index));
        }
    }
}
