//! `--git-history`: every blob reachable from every ref, scanned exactly once.
//!
//! Commits are visited oldest first, and each tree and blob is visited the first time it is
//! reached, so a blob is scanned once and attributed to the first commit (by author time)
//! that contained it: where the secret was introduced. Subtrees already seen are skipped
//! whole, so the walk costs what the history changed, not its size times its length.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use gix::ObjectId;
use jobzero_core::{Finding, Introduced, ScanError};
use rayon::prelude::*;

use crate::SecretsScanner;

/// What a history scan found.
#[derive(Debug, Default)]
pub struct History {
    /// One finding per distinct secret and path, at its first appearance.
    pub findings: Vec<Finding>,
    /// Objects that could not be read.
    pub errors: Vec<ScanError>,
    /// Commits walked.
    pub commits: usize,
    /// Distinct blobs scanned.
    pub blobs: usize,
}

/// Why history could not be scanned at all.
#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot read git history: {message}")]
pub struct HistoryError {
    /// The path given.
    pub path: String,
    /// Why.
    pub message: String,
}

struct BlobJob {
    id: ObjectId,
    path: String,
    commit: ObjectId,
    time: i64,
}

const BINARY_SNIFF: usize = 8000;

/// The blobs of history to scan, each the first time it is reached.
#[derive(Default)]
struct Collector {
    seen_trees: HashSet<ObjectId>,
    seen_blobs: HashSet<ObjectId>,
    jobs: Vec<BlobJob>,
    errors: Vec<ScanError>,
}

impl Collector {
    fn tree(
        &mut self,
        repo: &gix::Repository,
        tree: ObjectId,
        prefix: &str,
        commit: (ObjectId, i64),
    ) {
        if !self.seen_trees.insert(tree) {
            return;
        }
        let tree_obj = match repo.find_tree(tree) {
            Ok(t) => t,
            Err(e) => {
                self.errors.push(ScanError::new(
                    if prefix.is_empty() { "." } else { prefix },
                    None,
                    format!("tree {tree} in commit {}: {e}", commit.0),
                ));
                return;
            }
        };
        let mut subtrees = Vec::new();
        for entry in tree_obj.iter() {
            let Ok(entry) = entry else { continue };
            let name = String::from_utf8_lossy(entry.inner.filename);
            let path = if prefix.is_empty() {
                name.into_owned()
            } else {
                format!("{prefix}/{name}")
            };
            let id = entry.inner.oid.to_owned();
            if entry.inner.mode.is_tree() {
                subtrees.push((id, path));
            } else if entry.inner.mode.is_blob() && self.seen_blobs.insert(id) {
                self.jobs.push(BlobJob {
                    id,
                    path,
                    commit: commit.0,
                    time: commit.1,
                });
            }
        }
        for (id, path) in subtrees {
            self.tree(repo, id, &path, commit);
        }
    }
}

fn rfc3339(seconds: i64) -> String {
    let time = gix::date::Time::new(seconds, 0);
    time.format(gix::date::time::format::ISO8601_STRICT)
        .unwrap_or_else(|_| seconds.to_string())
}

/// Scans the history of the repository at or above `path` with `scanner`.
pub fn scan(
    scanner: &SecretsScanner,
    path: &Path,
    max_blob_size: u64,
) -> Result<History, HistoryError> {
    let fail = |message: String| HistoryError {
        path: path.display().to_string(),
        message,
    };
    let repo = gix::discover(path).map_err(|e| fail(e.to_string()))?;

    let mut tips: Vec<ObjectId> = Vec::new();
    let platform = repo.references().map_err(|e| fail(e.to_string()))?;
    for r in platform.all().map_err(|e| fail(e.to_string()))? {
        let Ok(mut r) = r else { continue };
        if let Ok(id) = r.peel_to_id() {
            let id = id.detach();
            if repo.find_commit(id).is_ok() {
                tips.push(id);
            }
        }
    }
    if let Ok(head) = repo.head_id() {
        tips.push(head.detach());
    }
    tips.sort();
    tips.dedup();

    let mut commits: Vec<(i64, ObjectId)> = Vec::new();
    let mut errors = Vec::new();
    if !tips.is_empty() {
        let walk = repo.rev_walk(tips).all().map_err(|e| fail(e.to_string()))?;
        for info in walk {
            match info {
                Ok(info) => {
                    let id = info.id().detach();
                    // Not `info.commit_time()`: it is only set by date-sorted walks (and
                    // panics otherwise).
                    let time = repo
                        .find_commit(id)
                        .ok()
                        .and_then(|c| c.author().ok().and_then(|a| a.time().ok()))
                        .map_or(0, |t| t.seconds);
                    commits.push((time, id));
                }
                Err(e) => errors.push(ScanError::new(".", None, format!("revision walk: {e}"))),
            }
        }
    }
    // Oldest first, so that the first commit to reach a blob is the one that introduced it.
    // The walk lists children before parents; reversed, a stable sort by time keeps parents
    // first among commits of the same second.
    commits.reverse();
    commits.sort_by_key(|&(time, _)| time);

    let mut collector = Collector::default();
    for &(time, id) in &commits {
        match repo
            .find_commit(id)
            .and_then(|c| c.tree_id().map(|t| t.detach()))
        {
            Ok(tree) => collector.tree(&repo, tree, "", (id, time)),
            Err(e) => errors.push(ScanError::new(".", None, format!("commit {id}: {e}"))),
        }
    }
    let jobs = collector.jobs;
    errors.extend(collector.errors);

    let shared = repo.into_sync();
    let results: Vec<(Vec<Finding>, Option<ScanError>)> = jobs
        .par_iter()
        .map_init(
            || shared.to_thread_local(),
            |repo, job| {
                let blob = match repo.find_blob(job.id) {
                    Ok(b) => b,
                    Err(e) => {
                        return (
                            Vec::new(),
                            Some(ScanError::new(
                                &job.path,
                                None,
                                format!("blob {} in commit {}: {e}", job.id, job.commit),
                            )),
                        );
                    }
                };
                let data = &blob.data;
                if data.len() as u64 > max_blob_size
                    || data[..data.len().min(BINARY_SNIFF)].contains(&0)
                {
                    return (Vec::new(), None);
                }
                let detected = scanner.detect(&job.path, data);
                let found = detected
                    .iter()
                    .filter_map(|d| scanner.finding(&job.path, data, d, &detected))
                    .map(|mut f| {
                        f.introduced = Some(Introduced {
                            commit: job.commit.to_string(),
                            time: rfc3339(job.time),
                            path: job.path.clone(),
                        });
                        f
                    })
                    .collect();
                (found, None)
            },
        )
        .collect();

    // One finding per fingerprint (secret, rule and path): the earliest.
    let mut by_fingerprint: BTreeMap<String, (i64, Finding)> = BTreeMap::new();
    for (job, (found, error)) in jobs.iter().zip(results) {
        errors.extend(error);
        for f in found {
            match by_fingerprint.get(&f.fingerprint) {
                Some((time, _)) if *time <= job.time => {}
                _ => {
                    by_fingerprint.insert(f.fingerprint.clone(), (job.time, f));
                }
            }
        }
    }
    Ok(History {
        findings: by_fingerprint.into_values().map(|(_, f)| f).collect(),
        errors,
        commits: commits.len(),
        blobs: jobs.len(),
    })
}
