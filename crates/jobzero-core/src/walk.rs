//! The walker: every file under the scanned paths, once, in a deterministic order.
//!
//! It honours `.gitignore` (also outside git repositories), `.ignore` and the `exclude`
//! globs of `jobzero.toml`; it scans hidden files (`.env`, `.github/`), never `.git/`; it
//! skips files over the size limit and counts them. Directory traversal runs in parallel;
//! the result is sorted so that output never depends on thread timing.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

use crate::report::ScanError;

/// A file to scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WalkedFile {
    /// The path shown in findings: relative to the scanned directory, `/`-separated.
    pub display: String,
    /// The path to open.
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
}

/// What the walker did not hand on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WalkSkips {
    /// Files over the size limit.
    pub too_large: usize,
}

/// Walker settings.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Files larger than this are skipped and counted.
    pub max_file_size: u64,
    /// Paths never walked, matched relative to the root and, when set, to
    /// [`exclude_base`](Self::exclude_base).
    pub exclude: GlobSet,
    /// The root's path relative to the configuration file's directory (`services/api`), so
    /// that globs written relative to `jobzero.toml` match too.
    pub exclude_base: Option<String>,
    /// Worker threads for traversal; 0 lets the walker choose.
    pub threads: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            max_file_size: crate::config::DEFAULT_MAX_FILE_SIZE,
            exclude: GlobSet::empty(),
            exclude_base: None,
            threads: 0,
        }
    }
}

/// Everything the walker found under one root.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files to scan, sorted by display path.
    pub files: Vec<WalkedFile>,
    /// Files skipped, counted by reason.
    pub skips: WalkSkips,
    /// Directories or files that could not be read.
    pub errors: Vec<ScanError>,
}

/// Turns a path into the `/`-separated form used in findings.
pub fn slash_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    if std::path::MAIN_SEPARATOR == '/' {
        s.to_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Walks `root` (a directory or a single file). `prefix` is prepended to display paths when
/// several roots are scanned at once, so that paths stay unambiguous.
pub fn walk(root: &Path, prefix: Option<&str>, options: &WalkOptions) -> Walk {
    let display_of = |path: &Path| -> String {
        let rel = path.strip_prefix(root).unwrap_or(path);
        let rel = slash_path(rel);
        match prefix {
            Some(p) if rel.is_empty() => p.to_owned(),
            Some(p) => format!("{}/{}", p.trim_end_matches('/'), rel),
            None if rel.is_empty() => slash_path(path),
            None => rel,
        }
    };

    let mut out = Walk::default();
    if root.is_file() {
        // An explicit file is scanned even when an ignore file or glob would skip it.
        match std::fs::metadata(root) {
            // Named explicitly, so skipping it silently would hide that it was not scanned.
            Ok(meta) if meta.len() > options.max_file_size => out.errors.push(ScanError::new(
                slash_path(root),
                None,
                format!(
                    "larger than the size limit ({} > {} bytes): not scanned; raise --max-file-size",
                    meta.len(),
                    options.max_file_size
                ),
            )),
            Ok(meta) => out.files.push(WalkedFile {
                display: prefix.map_or_else(|| slash_path(root), str::to_owned),
                path: root.to_owned(),
                size: meta.len(),
            }),
            Err(e) => out
                .errors
                .push(ScanError::new(slash_path(root), None, e.to_string())),
        }
        return out;
    }
    if !root.exists() {
        out.errors.push(ScanError::new(
            slash_path(root),
            None,
            "no such file or directory".to_owned(),
        ));
        return out;
    }

    // A directory named on the command line is scanned even when an ignore file above it
    // ignores it (`jobzero scan target/`): rules above the root then do not apply.
    let honour_parents = !ignored_by_parents(root);
    let collected = Mutex::new(Walk::default());
    let exclude = options.exclude.clone();
    let base = options.exclude_base.clone();
    let root_owned = root.to_owned();
    WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        // A user's global excludes file would make results differ between machines.
        .git_global(false)
        .parents(honour_parents)
        .follow_links(false)
        .threads(options.threads)
        .filter_entry(move |entry| {
            if entry.file_name() == ".git" && entry.file_type().is_some_and(|t| t.is_dir()) {
                return false;
            }
            let rel = entry
                .path()
                .strip_prefix(&root_owned)
                .unwrap_or(entry.path());
            if rel.as_os_str().is_empty() {
                return true;
            }
            let rel = slash_path(rel);
            let excluded = exclude.is_match(&rel)
                || base
                    .as_ref()
                    .is_some_and(|b| exclude.is_match(format!("{b}/{rel}")));
            !excluded
        })
        .build_parallel()
        .run(|| {
            let collected = &collected;
            let display_of = &display_of;
            Box::new(move |entry| {
                let mut local = Walk::default();
                match entry {
                    Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                        match entry.metadata() {
                            Ok(meta) if meta.len() > options.max_file_size => {
                                local.skips.too_large += 1;
                            }
                            Ok(meta) => local.files.push(WalkedFile {
                                display: display_of(entry.path()),
                                path: entry.into_path(),
                                size: meta.len(),
                            }),
                            Err(e) => local.errors.push(ScanError::new(
                                display_of(entry.path()),
                                None,
                                e.to_string(),
                            )),
                        }
                    }
                    Ok(_) => {}
                    Err(err) => {
                        let path =
                            walk_error_path(&err).map_or_else(|| slash_path(root), display_of);
                        local
                            .errors
                            .push(ScanError::new(path, None, walk_error_message(&err)));
                    }
                }
                if let Ok(mut all) = collected.lock() {
                    all.files.append(&mut local.files);
                    all.errors.append(&mut local.errors);
                    all.skips.too_large += local.skips.too_large;
                }
                WalkState::Continue
            })
        });
    let mut out = collected.into_inner().unwrap_or_default();
    out.files.sort();
    out.errors.sort();
    out
}

/// Whether ignore files in the root's ancestors ignore the root itself: walking its parent
/// one level deep with the same rules does not yield it.
fn ignored_by_parents(root: &Path) -> bool {
    let Ok(root) = std::fs::canonicalize(root) else {
        return false;
    };
    let Some(parent) = root.parent() else {
        return false;
    };
    let mut seen = false;
    for entry in WalkBuilder::new(parent)
        .hidden(false)
        .require_git(false)
        .git_global(false)
        .max_depth(Some(1))
        .build()
        .flatten()
    {
        if entry.path() == root {
            seen = true;
            break;
        }
    }
    !seen
}

fn walk_error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        _ => None,
    }
}

fn walk_error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            walk_error_message(err)
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suppress::glob_set;

    #[test]
    fn walks_sorted_honours_gitignore_excludes_and_size() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (p, content) in [
            ("b.txt", "b"),
            ("a/z.txt", "z"),
            ("a/y.txt", "y"),
            (".env", "SECRET=1"),
            ("ignored.log", "x"),
            ("vendor/lib.js", "x"),
            ("big.bin", "0123456789"),
            (".git/config", "x"),
        ] {
            std::fs::create_dir_all(root.join(p).parent().unwrap()).unwrap();
            std::fs::write(root.join(p), content).unwrap();
        }
        std::fs::write(root.join(".gitignore"), "*.log\n").unwrap();
        let options = WalkOptions {
            max_file_size: 9,
            exclude: glob_set(&["vendor".into(), "proj/a/z.txt".into()]).unwrap(),
            exclude_base: None,
            threads: 2,
        };
        let walk = walk(root, None, &options);
        let names: Vec<&str> = walk.files.iter().map(|f| f.display.as_str()).collect();
        assert_eq!(names, [".env", ".gitignore", "a/y.txt", "a/z.txt", "b.txt"]);
        assert_eq!(walk.skips.too_large, 1);
        assert!(walk.errors.is_empty());

        let prefixed = super::walk(root, Some("proj"), &options);
        assert_eq!(prefixed.files[0].display, "proj/.env");

        // Globs relative to a jobzero.toml above the root match too.
        let based = WalkOptions {
            exclude_base: Some("proj".into()),
            ..options
        };
        let names: Vec<String> = super::walk(root, None, &based)
            .files
            .into_iter()
            .map(|f| f.display)
            .collect();
        assert!(!names.contains(&"a/z.txt".to_owned()), "{names:?}");
        assert!(names.contains(&"a/y.txt".to_owned()));
    }

    #[test]
    fn an_explicitly_named_ignored_directory_is_walked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("out/svc")).unwrap();
        std::fs::write(root.join(".gitignore"), "/out\n").unwrap();
        std::fs::write(root.join("out/svc/a.txt"), "x").unwrap();
        assert!(
            walk(root, None, &WalkOptions::default())
                .files
                .iter()
                .all(|f| !f.display.contains("out/"))
        );
        let named = walk(&root.join("out"), None, &WalkOptions::default());
        assert_eq!(named.files.len(), 1, "{:?}", named.files);
    }

    #[test]
    fn missing_root_is_an_error_not_a_panic() {
        let walk = walk(
            Path::new("/nonexistent/jobzero"),
            None,
            &WalkOptions::default(),
        );
        assert_eq!(walk.errors.len(), 1);
        assert!(walk.files.is_empty());
    }
}
