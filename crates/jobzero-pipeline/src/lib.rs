//! jobzero's pipeline family: security audits of CI configuration — GitHub Actions
//! workflows, composite actions and Dependabot configuration, and GitLab CI with its local
//! includes — with safe fixes.
//!
//! Files are read with [`jobzero_core::yaml`], so every finding has an exact line, column
//! and route (`jobs.build.steps[2].uses`), anchors and merge keys are resolved, and hostile
//! YAML is refused rather than expanded. Expressions are parsed with
//! `github-actions-expressions`; attacker-controlled data is followed through `env:`,
//! `$GITHUB_ENV`, step and job outputs ([`taint`]).

pub mod audit;
pub mod callers;
pub mod contexts;
pub mod expr;
pub mod fix;
pub mod flow;
pub mod foreign;
pub mod gitlab;
pub mod model;
pub mod rules;
pub mod shell;
pub mod source;
pub mod taint;
pub mod uses;
pub mod validity;

use std::path::Path;

use jobzero_core::ScanError;
use jobzero_core::check::Sink;
use jobzero_core::config::PipelineConfig;
use jobzero_core::rule::{Family, RuleMeta};
use jobzero_core::scan::{FileOutput, Scanner, SourceFile};

pub use audit::ActionAdvisories;
pub use fix::Fix;
pub use rules::RULES;
use source::{Kind, Source};

/// How deep GitLab `include: local:` chains are followed.
const MAX_INCLUDE_DEPTH: usize = 8;

/// The pipeline scanner.
pub struct PipelineScanner {
    config: PipelineConfig,
    advisories: Option<Box<dyn ActionAdvisories>>,
}

impl PipelineScanner {
    /// A scanner with `[pipeline]` settings and, when a database is there, action advisories.
    pub fn new(config: PipelineConfig, advisories: Option<Box<dyn ActionAdvisories>>) -> Self {
        PipelineScanner { config, advisories }
    }

    /// Audits one file's text: its findings and its safe fixes (in a [`Sink`]), or the YAML
    /// error that stopped it. `kind` comes from the path, else from the content.
    pub fn audit(&self, path: &str, text: &str) -> Result<Sink, ScanError> {
        self.audit_called(path, text, None)
    }

    /// [`audit`](Self::audit) of a reusable workflow with what its callers bring: their
    /// triggers become its triggers, and its inputs carry what they pass.
    pub fn audit_called(
        &self,
        path: &str,
        text: &str,
        callers: Option<&callers::Callers>,
    ) -> Result<Sink, ScanError> {
        let kind = Kind::of(path)
            .or_else(|| sniff(text))
            .unwrap_or(Kind::Workflow);
        self.audit_kind(path, text, kind, callers)
    }

    fn audit_kind(
        &self,
        path: &str,
        text: &str,
        kind: Kind,
        callers: Option<&callers::Callers>,
    ) -> Result<Sink, ScanError> {
        let src = Source::parse(path, text, kind).map_err(|e| {
            ScanError::new(path, Some(e.line), format!("invalid YAML: {}", e.message))
        })?;
        if kind == Kind::Workflow {
            if let Some((line, message)) = validity::invalid_workflow(&src.yaml) {
                return Err(ScanError::new(path, Some(line), message));
            }
        }
        let root = src.root();
        let mut workflow = (kind == Kind::Workflow)
            .then_some(root)
            .flatten()
            .map(model::Workflow::read);
        // An action's inputs come from its callers alone; a workflow's only when nothing else
        // (a manual dispatch with its own inputs) can start it.
        let reusable_only =
            kind == Kind::Action || workflow.as_ref().is_some_and(|w| w.is_reusable_only());
        let bound = callers
            .filter(|_| matches!(kind, Kind::Workflow | Kind::Action))
            .map(|c| {
                let mut c = c.clone();
                if !reusable_only {
                    c.inputs.clear();
                    c.values.clear();
                }
                c
            });
        let callers = bound.as_ref();
        if let (Some(w), Some(c)) = (workflow.as_mut(), callers) {
            w.inherit_triggers(&c.triggers);
        }
        let cx = audit::Cx {
            src: &src,
            workflow,
            action: (kind == Kind::Action)
                .then_some(root)
                .flatten()
                .map(model::Action::read),
            config: &self.config,
            advisories: self.advisories.as_deref(),
            callers,
        };
        let mut out = Sink::new(path);
        rules::check_all(&cx, &mut out);
        Ok(out)
    }

    fn scan_gitlab_includes(&self, file: &SourceFile<'_>, text: &str, out: &mut FileOutput) {
        let Some(disk) = file.disk_path else { return };
        let Some(repo_root) = disk.parent() else {
            return;
        };
        let display_dir = file.path.rsplit_once('/').map_or("", |(d, _)| d);
        let mut seen: Vec<String> = Vec::new();
        let mut queue: Vec<(String, usize)> = Vec::new();
        if let Ok(src) = Source::parse(file.path, text, Kind::GitlabCi)
            && let Some(root) = src.root()
        {
            queue.extend(gitlab::local_includes(root).into_iter().map(|p| (p, 1)));
        }
        while let Some((rel, depth)) = queue.pop() {
            if depth > MAX_INCLUDE_DEPTH
                || seen.contains(&rel)
                || rel.contains('*')
                || rel.contains("..")
            {
                continue;
            }
            seen.push(rel.clone());
            let display = if display_dir.is_empty() {
                rel.clone()
            } else {
                format!("{display_dir}/{rel}")
            };
            let bytes = match std::fs::read(repo_root.join(&rel)) {
                Ok(b) => b,
                Err(e) => {
                    out.errors.push(ScanError::new(
                        file.path,
                        None,
                        format!("cannot read `include: local: {rel}`: {e}"),
                    ));
                    continue;
                }
            };
            let included = String::from_utf8_lossy(&bytes).into_owned();
            match self.audit_kind(&display, &included, Kind::GitlabCi, None) {
                Ok(sink) => out.extend(sink),
                Err(e) => out.errors.push(e),
            }
            if let Ok(src) = Source::parse(&display, &included, Kind::GitlabCi)
                && let Some(root) = src.root()
            {
                queue.extend(
                    gitlab::local_includes(root)
                        .into_iter()
                        .map(|p| (p, depth + 1)),
                );
            }
        }
    }
}

/// The kind of a file whose name says nothing (a fixture, a file given on its own).
fn sniff(text: &str) -> Option<Kind> {
    let has = |key: &str| text.lines().any(|l| l.starts_with(key));
    if has("repos:") && !has("jobs:") {
        Some(Kind::PreCommit)
    } else if has("runs:") {
        Some(Kind::Action)
    } else if has("updates:") && has("version:") {
        Some(Kind::Dependabot)
    } else if has("jobs:") {
        Some(Kind::Workflow)
    } else if has("stages:") || has("include:") || text.contains("script:") {
        Some(Kind::GitlabCi)
    } else {
        None
    }
}

impl Scanner for PipelineScanner {
    fn family(&self) -> Family {
        Family::Pipeline
    }

    fn rules(&self) -> Vec<&'static RuleMeta> {
        jobzero_core::check::metas(RULES).collect()
    }

    fn wants(&self, path: &str) -> bool {
        Kind::of(path).is_some()
    }

    fn has_fixes(&self) -> bool {
        true
    }

    fn fixes(&self, file: &SourceFile<'_>) -> Option<Vec<Fix>> {
        self.audit(file.path, &file.text())
            .ok()
            .map(|sink| sink.fixes)
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut FileOutput) {
        let text = file.text();
        // Only a workflow that can be called needs its callers; reading them costs a
        // directory listing.
        let callers = match (file.disk_path, Kind::of(file.path)) {
            (Some(disk), Some(Kind::Workflow)) if text.contains("workflow_call") => {
                callers::find(disk, &self.config)
            }
            (Some(disk), Some(Kind::Action)) if text.contains("inputs.") => {
                callers::find_for_action(disk, &self.config)
            }
            _ => None,
        };
        match self.audit_called(file.path, &text, callers.as_ref()) {
            Ok(mut sink) => {
                let (ignored, kept): (Vec<_>, Vec<_>) = sink.findings.into_iter().partition(|f| {
                    foreign::ignored_by_zizmor(&f.rule, f.location.start_line, &text)
                });
                sink.findings = kept;
                out.extend(sink);
                out.tool_suppressed.extend(ignored);
            }
            Err(e) => out.errors.push(e),
        }
        let gitlab = Kind::of(file.path).or_else(|| sniff(&text)) == Some(Kind::GitlabCi);
        if gitlab {
            self.scan_gitlab_includes(file, &text, out);
        }
    }

    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Whether `path` is a file this family reads.
pub fn is_pipeline_file(path: &Path) -> bool {
    Kind::of(&path.to_string_lossy().replace('\\', "/")).is_some()
}
