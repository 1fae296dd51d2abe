//! One ecosystem's advisories indexed by package name, matched with its version ordering.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use osv::schema::{Event, Vulnerability};
use serde_json::Value;

use crate::version;

/// A vulnerability that affects a package version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// The advisory id.
    pub id: String,
    /// Its aliases (CVE, GHSA, …).
    pub aliases: Vec<String>,
    /// One-line summary.
    pub summary: String,
    /// Versions that fix it, in this ecosystem's order.
    pub fixed: Vec<String>,
    /// CVSS vectors given by the record.
    pub cvss: Vec<String>,
    /// The database's own severity label (`HIGH`, `moderate`…), when given.
    pub severity_label: Option<String>,
    /// Reference URLs.
    pub references: Vec<String>,
}

/// Package names as the ecosystem compares them (PyPI is case- and separator-insensitive).
pub fn normalize(ecosystem: &str, name: &str) -> String {
    if ecosystem == "PyPI" {
        let mut out = String::new();
        for c in name.chars() {
            if matches!(c, '-' | '_' | '.') {
                if !out.ends_with('-') {
                    out.push('-');
                }
            } else {
                out.push(c.to_ascii_lowercase());
            }
        }
        out
    } else {
        name.to_owned()
    }
}

/// Which id names a merged vulnerability: GHSA first (the most widely cross-referenced), then
/// the ecosystem databases, then CVE.
fn id_rank(id: &str) -> u8 {
    if id.starts_with("GHSA-") {
        0
    } else if id.starts_with("CVE-") {
        2
    } else {
        1
    }
}

/// One vulnerability, one match: records that name each other (PYSEC and GHSA of one CVE)
/// are merged, keeping every id as an alias and every fixed version.
fn merge_aliases(found: Vec<Match>) -> Vec<Match> {
    let mut groups: Vec<Match> = Vec::new();
    for m in found {
        let names: Vec<&String> = std::iter::once(&m.id).chain(m.aliases.iter()).collect();
        let existing = groups.iter().position(|g| {
            std::iter::once(&g.id)
                .chain(g.aliases.iter())
                .any(|n| names.contains(&n))
        });
        match existing {
            Some(i) => {
                let g = &mut groups[i];
                let mut all: Vec<String> = std::iter::once(g.id.clone())
                    .chain(g.aliases.drain(..))
                    .chain(std::iter::once(m.id.clone()))
                    .chain(m.aliases.iter().cloned())
                    .collect();
                all.sort_by(|a, b| (id_rank(a), a).cmp(&(id_rank(b), b)));
                all.dedup();
                g.id = all.remove(0);
                g.aliases = all;
                for f in m.fixed {
                    if !g.fixed.contains(&f) {
                        g.fixed.push(f);
                    }
                }
                g.cvss.extend(m.cvss);
                if g.summary.is_empty() || g.summary.starts_with("PYSEC-") {
                    g.summary = m.summary;
                }
                g.severity_label = g.severity_label.take().or(m.severity_label);
                g.references.extend(m.references);
                g.references.dedup();
            }
            None => groups.push(m),
        }
    }
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    groups
}

/// One ecosystem's advisories by package name.
#[derive(Debug, Clone)]
pub struct Index {
    ecosystem: String,
    by_name: BTreeMap<String, Vec<Vulnerability>>,
}

impl Index {
    /// An index of one ecosystem's OSV records (withdrawn ones and what does not parse left
    /// out).
    pub fn from_records(ecosystem: &str, records: impl IntoIterator<Item = Value>) -> Index {
        let mut by_name: BTreeMap<String, Vec<Vulnerability>> = BTreeMap::new();
        for record in records {
            let Ok(v) = serde_json::from_value::<Vulnerability>(record) else {
                continue;
            };
            if v.withdrawn.is_some() {
                continue;
            }
            let mut names: Vec<String> = v
                .affected
                .iter()
                .flatten()
                .filter_map(|a| a.package.as_ref())
                .map(|p| normalize(ecosystem, &p.name))
                .collect();
            names.sort();
            names.dedup();
            for n in names {
                by_name.entry(n).or_default().push(v.clone());
            }
        }
        Index {
            ecosystem: ecosystem.to_owned(),
            by_name,
        }
    }

    /// Advisories in the index.
    pub fn len(&self) -> usize {
        self.by_name.values().map(Vec::len).sum()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// Every advisory affecting `name` at `version`, sorted by id.
    pub fn matches(&self, name: &str, version: &str) -> Vec<Match> {
        let key = normalize(&self.ecosystem, name);
        let Some(candidates) = self.by_name.get(&key) else {
            return Vec::new();
        };
        let mut found: Vec<Match> = candidates
            .iter()
            .filter_map(|v| self.check(v, &key, version))
            .collect();
        found.sort_by(|a, b| a.id.cmp(&b.id));
        found.dedup_by(|a, b| a.id == b.id);
        merge_aliases(found)
    }

    fn check(&self, v: &Vulnerability, key: &str, version: &str) -> Option<Match> {
        let eco = self.ecosystem.as_str();
        let cmp = |a: &str, b: &str| version::compare(eco, a, b);
        let mut fixed = Vec::new();
        let mut hit = false;
        for a in v.affected.iter().flatten() {
            let Some(pkg) = &a.package else { continue };
            if normalize(eco, &pkg.name) != key {
                continue;
            }
            if a.versions
                .iter()
                .flatten()
                .any(|x| cmp(x, version) == Some(Ordering::Equal))
            {
                hit = true;
            }
            for range in a.ranges.iter().flatten() {
                if matches!(range.range_type, osv::schema::RangeType::Git) {
                    continue;
                }
                let mut events: Vec<&Event> = range.events.iter().collect();
                let key_of = |e: &Event| match e {
                    Event::Introduced(x)
                    | Event::Fixed(x)
                    | Event::LastAffected(x)
                    | Event::Limit(x) => x.clone(),
                    _ => String::new(),
                };
                events.sort_by(|x, y| {
                    let (kx, ky) = (key_of(x), key_of(y));
                    if kx == "0" {
                        return Ordering::Less;
                    }
                    if ky == "0" {
                        return Ordering::Greater;
                    }
                    cmp(&kx, &ky).unwrap_or(Ordering::Equal)
                });
                // The OSV evaluation: walk the sorted events, each one switching the
                // version in or out of the affected set.
                let at_or_after = |x: &str| cmp(version, x).is_some_and(|o| o != Ordering::Less);
                let mut affected = false;
                for e in events {
                    match e {
                        Event::Introduced(x) if x == "0" || at_or_after(x) => affected = true,
                        Event::Fixed(x) => {
                            fixed.push(x.clone());
                            if at_or_after(x) {
                                affected = false;
                            }
                        }
                        Event::LastAffected(x) if cmp(version, x) == Some(Ordering::Greater) => {
                            affected = false;
                        }
                        Event::Limit(x) if at_or_after(x) => affected = false,
                        _ => {}
                    }
                }
                hit |= affected;
            }
        }
        if !hit {
            return None;
        }
        fixed.sort_by(|a, b| cmp(a, b).unwrap_or(Ordering::Equal));
        fixed.dedup();
        let raw = serde_json::to_value(v).unwrap_or_default();
        let severity_label = raw
            .pointer("/database_specific/severity")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let cvss = raw
            .get("severity")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("score").and_then(Value::as_str))
            .map(str::to_owned)
            .collect();
        Some(Match {
            id: v.id.clone(),
            aliases: v.aliases.clone().unwrap_or_default(),
            // PyPA and others often give only `details`: its first line stands in.
            summary: v
                .summary
                .clone()
                .filter(|s| !s.trim().is_empty())
                .or_else(|| {
                    v.details
                        .as_deref()
                        .and_then(|d| d.lines().find(|l| !l.trim().is_empty()))
                        .map(|l| {
                            let l = l.trim();
                            if l.chars().count() > 120 {
                                format!("{}…", l.chars().take(120).collect::<String>())
                            } else {
                                l.to_owned()
                            }
                        })
                })
                .unwrap_or_default(),
            fixed,
            cvss,
            severity_label,
            references: raw
                .get("references")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|r| r.get("url").and_then(Value::as_str))
                .map(str::to_owned)
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(id: &str, aliases: &[&str], fixed: &[&str]) -> Match {
        Match {
            id: id.to_owned(),
            aliases: aliases.iter().map(|s| (*s).to_owned()).collect(),
            summary: String::new(),
            fixed: fixed.iter().map(|s| (*s).to_owned()).collect(),
            cvss: Vec::new(),
            severity_label: None,
            references: Vec::new(),
        }
    }

    #[test]
    fn records_naming_each_other_merge() {
        let merged = merge_aliases(vec![
            m(
                "PYSEC-2021-1",
                &["CVE-2021-1", "GHSA-aaaa-bbbb-cccc"],
                &["1.2"],
            ),
            m("GHSA-aaaa-bbbb-cccc", &["CVE-2021-1"], &["1.2", "2.0.1"]),
            m("PYSEC-2021-2", &["CVE-2021-2"], &["3.0"]),
        ]);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].id, "GHSA-aaaa-bbbb-cccc");
        assert_eq!(merged[0].aliases, ["PYSEC-2021-1", "CVE-2021-1"]);
        assert_eq!(merged[0].fixed, ["1.2", "2.0.1"]);
        assert_eq!(merged[1].id, "PYSEC-2021-2");
    }
}
