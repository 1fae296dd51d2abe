//! Reading OSV records from files, directories and `all.zip` archives.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use osv::schema::Vulnerability;
use serde_json::Value;

use crate::error::{DbError, io};

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

/// The ecosystems a record affects (`Debian:11` counts as `Debian`).
pub(crate) fn ecosystems_of(record: &Value) -> Vec<String> {
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
