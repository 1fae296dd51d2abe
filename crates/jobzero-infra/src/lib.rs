//! Infrastructure code read into one positioned value model: Terraform modules (HCL with
//! variables, locals, `tfvars` and local module calls evaluated), CloudFormation templates
//! (YAML and JSON, intrinsics resolved), Kubernetes manifests, Dockerfiles, and the IAM policy
//! documents written inside them. The parser crate of the iac and iam families, which judge
//! what it reads; it judges nothing itself.

pub mod aws;
pub mod cloudformation;
pub mod dockerfile;
pub mod kube;
pub mod model;
pub mod node;
pub mod policy;
pub mod terraform;
pub mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::terraform::Module;

/// The kinds of file the family reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `*.tf`.
    Terraform,
    /// `*.yaml`, `*.yml`, `*.json`, `*.template`: a CloudFormation template or a Kubernetes
    /// manifest when its content says so.
    Structured,
    /// `Dockerfile`, `Containerfile`, `*.Dockerfile`, `Dockerfile.*`.
    Dockerfile,
}

impl FileKind {
    /// The kind of the file at `path` (a display path), from its name alone.
    pub fn of(path: &str) -> Option<FileKind> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".tf") {
            Some(FileKind::Terraform)
        } else if [".yaml", ".yml", ".json", ".template"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            Some(FileKind::Structured)
        } else if lower == "dockerfile"
            || lower == "containerfile"
            || lower.ends_with(".dockerfile")
            || (lower.starts_with("dockerfile.")
                && !NOT_DOCKERFILE.iter().any(|e| lower.ends_with(e)))
        {
            Some(FileKind::Dockerfile)
        } else {
            None
        }
    }
}

/// Extensions of `Dockerfile.*` names that are not Dockerfiles (`dockerfile.rs` is a parser of
/// them, `Dockerfile.j2` a template of one).
#[rustfmt::skip]
const NOT_DOCKERFILE: [&str; 31] = [
    ".md", ".txt", ".dockerignore", ".rs", ".go", ".py", ".js", ".mjs", ".ts", ".jsx", ".tsx",
    ".java", ".kt", ".rb", ".sh", ".ps1", ".c", ".h", ".cc", ".cpp", ".cs", ".php", ".swift",
    ".json", ".toml", ".lock", ".j2", ".jinja", ".tmpl", ".tpl", ".erb",
];

/// What a YAML or JSON file holds, from a glance at its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// A CloudFormation (or SAM) template.
    CloudFormation,
    /// A Kubernetes manifest.
    Kubernetes,
}

/// What a YAML or JSON file's `text` holds, if it is a template or a manifest.
pub fn sniff(text: &str) -> Option<Content> {
    let resources = text
        .lines()
        .any(|l| l.starts_with("Resources:") || l.trim_start().starts_with("\"Resources\""));
    if text.contains("AWSTemplateFormatVersion")
        || (resources && (text.contains("AWS::") || text.contains("Alexa::")))
    {
        return Some(Content::CloudFormation);
    }
    let top = |key: &str| {
        text.lines().any(|l| {
            l.starts_with(key)
                || l.trim_start()
                    .starts_with(&format!("\"{}\"", key.trim_end_matches(':')))
        })
    };
    if top("apiVersion:") && top("kind:") {
        return Some(Content::Kubernetes);
    }
    None
}

/// The Terraform modules of a scan, each read once however many of its files are scanned
/// and by however many threads.
#[derive(Debug, Default)]
pub struct Modules {
    by_dir: Mutex<HashMap<PathBuf, Arc<OnceLock<Arc<Module>>>>>,
    contents: jobzero_core::scan::Contents,
}

impl Modules {
    /// Modules whose files are read from `contents` where it has them (an editor's unsaved
    /// buffers), else from disk.
    pub fn with_contents(contents: jobzero_core::scan::Contents) -> Modules {
        Modules {
            contents,
            ..Modules::default()
        }
    }

    /// The module of the directory `dir` (`display_dir` as findings name it).
    pub fn get(&self, dir: &Path, display_dir: &str) -> Arc<Module> {
        let cell = {
            let mut map = match self.by_dir.lock() {
                Ok(m) => m,
                Err(poisoned) => poisoned.into_inner(),
            };
            map.entry(dir.to_path_buf()).or_default().clone()
        };
        cell.get_or_init(|| {
            Arc::new(terraform::load_dir_with(
                dir,
                display_dir,
                &[],
                &self.contents,
            ))
        })
        .clone()
    }
}

#[cfg(test)]
mod file_kind_tests {
    use super::*;

    #[test]
    fn dockerfiles_by_name_but_not_their_parsers_or_templates() {
        for name in [
            "Dockerfile",
            "app/Dockerfile.prod",
            "x.dockerfile",
            "Containerfile",
        ] {
            assert_eq!(FileKind::of(name), Some(FileKind::Dockerfile), "{name}");
        }
        for name in [
            "src/dockerfile.rs",
            "Dockerfile.md",
            "Dockerfile.j2",
            "dockerfile.go",
        ] {
            assert_eq!(FileKind::of(name), None, "{name}");
        }
    }
}
