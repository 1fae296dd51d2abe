//! The offline advisory database: OSV records imported from files, directories and the
//! per-ecosystem `all.zip` archives OSV publishes, stored per ecosystem, indexed by package
//! name, and matched with each ecosystem's own version ordering. Nothing here touches the
//! network.

pub mod version;

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use osv::schema::{Event, Vulnerability};
use serde_json::Value;

/// Why the database could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A file of the database or an input.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

fn io(path: &Path, e: impl std::fmt::Display) -> DbError {
    DbError::Io {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// One stored advisory: the record as published, with the ecosystem names it affects.
type Records = BTreeMap<String, Value>;

/// The database: one JSON file per ecosystem in a directory.
#[derive(Debug, Clone)]
pub struct Database {
    dir: PathBuf,
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportStats {
    /// Records read.
    pub read: usize,
    /// Records added or replaced by a newer `modified`.
    pub stored: usize,
    /// Records already present with the same or a newer `modified`.
    pub unchanged: usize,
    /// Records that are not OSV: `(source, reason)`.
    pub rejected: Vec<(String, String)>,
}

/// Per ecosystem: how many advisories, and the newest `modified`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcosystemStatus {
    /// OSV ecosystem name.
    pub ecosystem: String,
    /// Advisories stored.
    pub advisories: usize,
    /// Newest `modified` timestamp, RFC 3339.
    pub newest: String,
}

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

fn ecosystem_file_name(ecosystem: &str) -> String {
    let safe: String = ecosystem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.json")
}

/// The ecosystems a record affects (`Debian:11` counts as `Debian`).
fn ecosystems_of(record: &Value) -> Vec<String> {
    let mut out: Vec<String> = record
        .get("affected")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| a.pointer("/package/ecosystem").and_then(Value::as_str))
        .map(|e| e.split(':').next().unwrap_or(e).to_owned())
        .collect();
    out.sort();
    out.dedup();
    out
}

impl Database {
    /// The database in `dir` (created on the first import).
    pub fn open(dir: impl Into<PathBuf>) -> Database {
        Database { dir: dir.into() }
    }

    /// Where it lives.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn load(&self, ecosystem: &str) -> Result<Records, DbError> {
        let path = self.dir.join(ecosystem_file_name(ecosystem));
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| io(&path, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Records::new()),
            Err(e) => Err(io(&path, e)),
        }
    }

    fn save(&self, ecosystem: &str, records: &Records) -> Result<(), DbError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| io(&self.dir, e))?;
        let path = self.dir.join(ecosystem_file_name(ecosystem));
        let tmp = path.with_extension("json.tmp");
        let text = serde_json::to_vec(records).map_err(|e| io(&path, e))?;
        std::fs::write(&tmp, text).map_err(|e| io(&tmp, e))?;
        // Rename, so that a crash never leaves half a database.
        std::fs::rename(&tmp, &path).map_err(|e| io(&path, e))
    }

    /// Imports OSV records from JSON files, directories (recursively) and zip archives.
    /// Re-importing is idempotent: a record replaces the stored one only if its `modified`
    /// is newer.
    pub fn import(&self, inputs: &[PathBuf]) -> Result<ImportStats, DbError> {
        let (by_ecosystem, mut stats) = read_inputs(inputs)?;
        for (ecosystem, records) in by_ecosystem {
            let mut stored = self.load(&ecosystem)?;
            for record in records {
                let Some(id) = record.get("id").and_then(Value::as_str).map(str::to_owned) else {
                    continue;
                };
                let modified = |r: &Value| {
                    r.get("modified")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned()
                };
                match stored.get(&id) {
                    Some(old) if modified(old) >= modified(&record) => stats.unchanged += 1,
                    _ => {
                        stats.stored += 1;
                        stored.insert(id, record);
                    }
                }
            }
            self.save(&ecosystem, &stored)?;
        }
        Ok(stats)
    }

    /// Advisories per ecosystem and their newest modification.
    pub fn status(&self) -> Result<Vec<EcosystemStatus>, DbError> {
        let mut out = Vec::new();
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(io(&self.dir, e)),
        };
        let mut files: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for path in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
        {
            let bytes = std::fs::read(path).map_err(|e| io(path, e))?;
            let records: Records = serde_json::from_slice(&bytes).map_err(|e| io(path, e))?;
            let newest = records
                .values()
                .filter_map(|r| r.get("modified").and_then(Value::as_str))
                .max()
                .unwrap_or("")
                .to_owned();
            let ecosystem = records
                .values()
                .next()
                .map(ecosystems_of)
                .and_then(|e| e.into_iter().next())
                .unwrap_or_default();
            out.push(EcosystemStatus {
                ecosystem,
                advisories: records.len(),
                newest,
            });
        }
        Ok(out)
    }

    /// An index of one ecosystem's advisories by package name, for matching.
    pub fn index(&self, ecosystem: &str) -> Result<Index, DbError> {
        Ok(Index::from_records(
            ecosystem,
            self.load(ecosystem)?.into_values(),
        ))
    }
}

/// Reads OSV records from JSON files, directories (recursively) and zip archives, grouped by
/// the ecosystems they affect; what is not an OSV record is counted in the stats as rejected.
pub fn read_inputs(
    inputs: &[PathBuf],
) -> Result<(BTreeMap<String, Vec<Value>>, ImportStats), DbError> {
    let mut incoming: Vec<(String, Value)> = Vec::new();
    let mut stats = ImportStats::default();
    for input in inputs {
        collect(input, &mut incoming, &mut stats)?;
    }
    let mut by_ecosystem: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (source, record) in incoming {
        stats.read += 1;
        if let Err(e) = serde_json::from_value::<Vulnerability>(record.clone()) {
            stats.rejected.push((source, e.to_string()));
            continue;
        }
        let ecosystems = ecosystems_of(&record);
        if ecosystems.is_empty() {
            stats
                .rejected
                .push((source, "no affected package".to_owned()));
            continue;
        }
        for e in ecosystems {
            by_ecosystem.entry(e).or_default().push(record.clone());
        }
    }
    Ok((by_ecosystem, stats))
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

fn collect(
    path: &Path,
    out: &mut Vec<(String, Value)>,
    stats: &mut ImportStats,
) -> Result<(), DbError> {
    let meta = std::fs::metadata(path).map_err(|e| io(path, e))?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| io(path, e))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for e in entries {
            let is_input = e.is_dir() || e.extension().is_some_and(|x| x == "json" || x == "zip");
            if is_input {
                collect(&e, out, stats)?;
            }
        }
        return Ok(());
    }
    let display = path.display().to_string();
    if path.extension().is_some_and(|x| x == "zip") {
        let file = std::fs::File::open(path).map_err(|e| io(path, e))?;
        let mut archive = zip::ZipArchive::new(file).map_err(|e| io(path, e))?;
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).map_err(|e| io(path, e))?;
            let entry_name = entry.name().map(|n| n.to_string()).unwrap_or_default();
            if !entry_name.ends_with(".json") {
                continue;
            }
            let name = format!("{display}!{entry_name}");
            let mut text = String::new();
            if let Err(e) = entry.read_to_string(&mut text) {
                stats.rejected.push((name, e.to_string()));
                continue;
            }
            push_json(&name, &text, out, stats);
        }
        return Ok(());
    }
    let text = std::fs::read_to_string(path).map_err(|e| io(path, e))?;
    push_json(&display, &text, out, stats);
    Ok(())
}

/// A file holds one record or an array of records.
fn push_json(source: &str, text: &str, out: &mut Vec<(String, Value)>, stats: &mut ImportStats) {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => out.extend(items.into_iter().map(|v| (source.to_owned(), v))),
        Ok(v) => out.push((source.to_owned(), v)),
        Err(e) => stats.rejected.push((source.to_owned(), e.to_string())),
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
