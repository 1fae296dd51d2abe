//! The database on disk: one JSON file of OSV records per ecosystem.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{DbError, io};
use crate::import::{ImportStats, ecosystems_of, read_inputs};
use crate::index::Index;

/// One stored advisory: the record as published, with the ecosystem names it affects.
pub(crate) type Records = BTreeMap<String, Value>;

/// The database: one JSON file per ecosystem in a directory.
#[derive(Debug, Clone)]
pub struct Database {
    dir: PathBuf,
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
            // Some exports (the Go database's) carry Go's zero time, `0001-01-01T00:00:00Z`, as
            // `modified`: the newest real date of `modified` or `published` is what a user asks.
            let newest = records
                .values()
                .flat_map(|r| {
                    ["modified", "published"]
                        .into_iter()
                        .filter_map(|k| r.get(k).and_then(Value::as_str))
                })
                .filter(|t| !t.starts_with("0001-"))
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
