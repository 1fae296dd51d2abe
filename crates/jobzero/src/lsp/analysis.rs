//! One document's analysis: the scan session run on the editor's text of one file, with the
//! workspace's configuration, every family that wants the file, and the other open buffers
//! standing in for their files (a Terraform module is read with its unsaved neighbours).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jobzero_core::check::Fix;
use jobzero_core::config::LoadedConfig;
use jobzero_core::scan::{Contents, SourceFile};
use jobzero_core::session::{self, Options};
use jobzero_core::{Finding, Registry, ScanError};

/// The workspace an editor opened: where its files are and how jobzero is configured there.
#[derive(Debug)]
pub struct Workspace {
    /// The root folder (canonical), or none for loose files.
    pub root: Option<PathBuf>,
    /// `jobzero.toml` of the root (defaults when there is none or it is invalid).
    pub config: LoadedConfig,
    /// Why the configuration was not used, to tell the user once.
    pub config_error: Option<String>,
    /// The advisory database for lockfiles.
    pub advisory_db: PathBuf,
    /// Every rule, for hover and links.
    pub registry: Registry,
}

impl Workspace {
    /// Reads the configuration of `root`.
    pub fn open(root: Option<PathBuf>, advisory_db: PathBuf) -> Workspace {
        let (config, config_error) = match session::load_config(None, root.as_deref()) {
            Ok(c) => match crate::families::scanners(&c.config, None) {
                Ok(scanners) => {
                    let refs: Vec<&dyn jobzero_core::Scanner> =
                        scanners.iter().map(AsRef::as_ref).collect();
                    match session::validate(&c, &Registry::of(&refs)) {
                        Ok(_) => (c, None),
                        Err(e) => (LoadedConfig::default(), Some(e.to_string())),
                    }
                }
                Err(e) => (LoadedConfig::default(), Some(e.to_string())),
            },
            Err(e) => (LoadedConfig::default(), Some(e.to_string())),
        };
        Workspace {
            root,
            config,
            config_error,
            advisory_db,
            registry: crate::families::registry(),
        }
    }

    /// How findings name `path`: relative to the root, else the path itself.
    pub fn display(&self, path: &Path) -> String {
        let rel = self
            .root
            .as_deref()
            .and_then(|r| path.strip_prefix(r).ok())
            .unwrap_or(path);
        jobzero_core::walk::slash_path(rel)
    }

    /// Analyses `path` as `text`, with `open` (every open buffer, `path`'s included)
    /// standing in for files on disk.
    pub fn analyse(
        &self,
        path: &Path,
        text: &str,
        open: &BTreeMap<PathBuf, Vec<u8>>,
    ) -> anyhow::Result<Analysis> {
        let mut contents = open.clone();
        contents.insert(path.to_owned(), text.as_bytes().to_vec());
        let contents: Contents = Arc::new(contents);
        let scanners = crate::families::scanners_with(
            &self.config.config,
            Some(&self.advisory_db),
            &contents,
            None,
        )?;
        let scanners: Vec<&dyn jobzero_core::Scanner> =
            scanners.iter().map(AsRef::as_ref).collect();
        let display = self.display(path);
        let options = Options {
            paths: vec![path.to_owned()],
            labels: vec![display.clone()],
            contents: contents.clone(),
            spotter: Some(&jobzero_secrets::SPOTTER),
            ..Options::default()
        };
        let outcome = session::run(&self.config, &scanners, &options)?;
        let file = SourceFile {
            path: &display,
            bytes: text.as_bytes(),
            disk_path: Some(path),
        };
        let fixes = scanners
            .iter()
            .filter(|s| s.has_fixes() && s.wants(&display))
            .filter_map(|s| s.fixes(&file))
            .flatten()
            .collect();
        Ok(Analysis {
            findings: outcome
                .report
                .findings
                .into_iter()
                .filter(|f| f.location.path == display)
                .collect(),
            errors: outcome
                .report
                .errors
                .into_iter()
                .filter(|e| e.path == display)
                .collect(),
            fixes,
        })
    }
}

/// What one analysis of a document found.
#[derive(Debug, Default, Clone)]
pub struct Analysis {
    /// Its findings after the configuration's policy (inline suppressions applied).
    pub findings: Vec<Finding>,
    /// Why parts of it could not be read (syntax errors).
    pub errors: Vec<ScanError>,
    /// Safe fixes for it.
    pub fixes: Vec<Fix>,
}
