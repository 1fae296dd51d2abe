//! A git revision's files, for `scan --diff BASE`: its tree written to a temporary
//! directory (the work tree is never touched) and the files that differ from the work tree.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gix::ObjectId;

/// Why the base revision cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum BaseError {
    /// Not inside a git repository.
    #[error("--diff: {path} is not in a git repository: {message}")]
    NoRepository {
        /// The first scanned path.
        path: String,
        /// Why.
        message: String,
    },
    /// The revision does not name a commit.
    #[error("--diff: `{rev}` does not name a commit in {repo}: {message}")]
    Revision {
        /// As given.
        rev: String,
        /// The repository's work tree.
        repo: String,
        /// Why.
        message: String,
    },
    /// An object of the revision cannot be read or written out.
    #[error("--diff: cannot read `{path}` at {rev}: {message}")]
    Object {
        /// Path in the tree.
        path: String,
        /// As given.
        rev: String,
        /// Why.
        message: String,
    },
}

/// The base revision's tree, written out.
#[derive(Debug)]
pub struct BaseTree {
    /// Holds the written files; removed when dropped.
    pub dir: tempfile::TempDir,
    /// The repository's work tree (canonical).
    pub workdir: PathBuf,
    /// The commit the revision named.
    pub commit: String,
    /// Work-tree-relative paths (`/`-separated) of the base's files, with their blob ids.
    blobs: BTreeMap<String, ObjectId>,
}

impl BaseTree {
    /// Writes the tree of `rev`, in the repository holding `path`, to a temporary directory.
    pub fn checkout(path: &Path, rev: &str) -> Result<BaseTree, BaseError> {
        let shown = path.display().to_string();
        let repo = gix::discover(path).map_err(|e| BaseError::NoRepository {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        let workdir = repo
            .workdir()
            .map(canonical)
            .ok_or_else(|| BaseError::NoRepository {
                path: shown.clone(),
                message: "a bare repository has no work tree to compare".to_owned(),
            })?;
        let revision = |message: String| BaseError::Revision {
            rev: rev.to_owned(),
            repo: workdir.display().to_string(),
            message,
        };
        let commit = repo
            .rev_parse_single(rev)
            .map_err(|e| revision(e.to_string()))?
            .object()
            .map_err(|e| revision(e.to_string()))?
            .peel_to_commit()
            .map_err(|e| revision(e.to_string()))?;
        let tree = commit.tree_id().map_err(|e| revision(e.to_string()))?;
        let dir = tempfile::Builder::new()
            .prefix("jobzero-base-")
            .tempdir()
            .map_err(|e| revision(format!("cannot create a temporary directory: {e}")))?;
        let mut base = BaseTree {
            dir,
            workdir,
            commit: commit.id.to_string(),
            blobs: BTreeMap::new(),
        };
        base.write_tree(&repo, tree.detach(), "", rev)?;
        Ok(base)
    }

    fn write_tree(
        &mut self,
        repo: &gix::Repository,
        tree: ObjectId,
        prefix: &str,
        rev: &str,
    ) -> Result<(), BaseError> {
        let object = |path: &str, message: String| BaseError::Object {
            path: if path.is_empty() { "." } else { path }.to_owned(),
            rev: rev.to_owned(),
            message,
        };
        let tree_obj = repo
            .find_tree(tree)
            .map_err(|e| object(prefix, e.to_string()))?;
        let mut subtrees = Vec::new();
        for entry in tree_obj.iter() {
            let entry = entry.map_err(|e| object(prefix, e.to_string()))?;
            let name = String::from_utf8_lossy(entry.inner.filename).into_owned();
            // A name that would leave the directory (never written by git itself).
            if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) {
                continue;
            }
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            let id = entry.inner.oid.to_owned();
            if entry.inner.mode.is_tree() {
                subtrees.push((id, rel));
            } else if entry.inner.mode.is_blob() {
                let blob = repo
                    .find_blob(id)
                    .map_err(|e| object(&rel, e.to_string()))?;
                let target = self.dir.path().join(&rel);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| object(&rel, e.to_string()))?;
                }
                std::fs::write(&target, &blob.data).map_err(|e| object(&rel, e.to_string()))?;
                self.blobs.insert(rel, id);
            }
            // Symbolic links and submodules are not files of this repository's own.
        }
        for (id, rel) in subtrees {
            self.write_tree(repo, id, &rel, rev)?;
        }
        Ok(())
    }

    /// Where the base's copy of a work-tree path is (whether or not the base has it).
    pub fn in_base(&self, work_path: &Path) -> Option<PathBuf> {
        let rel = canonical(work_path)
            .strip_prefix(&self.workdir)
            .ok()?
            .to_owned();
        Some(self.dir.path().join(rel))
    }

    /// The work-tree files (absolute) below `roots` that differ from the base: added or
    /// modified, by content. Files the walker skips (ignored, too large) are not listed.
    pub fn changed(&self, files: &[(PathBuf, String)]) -> BTreeSet<PathBuf> {
        let mut out = BTreeSet::new();
        for (path, _) in files {
            let abs = canonical(path);
            let Ok(rel) = abs.strip_prefix(&self.workdir) else {
                continue;
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let same = self.blobs.get(&rel).is_some_and(|id| {
                std::fs::read(&abs).is_ok_and(|bytes| {
                    gix::objs::compute_hash(id.kind(), gix::objs::Kind::Blob, &bytes)
                        .is_ok_and(|h| h == *id)
                })
            });
            if !same {
                out.insert(path.clone());
            }
        }
        out
    }

    /// The base's files (work-tree-relative) that the work tree no longer has.
    pub fn deleted(&self) -> Vec<&str> {
        self.blobs
            .keys()
            .filter(|rel| !self.workdir.join(rel).exists())
            .map(String::as_str)
            .collect()
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}
