use jobzero_core::yaml::{Kind, Node};
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::fix::{Edit, Fix, lines_at};
use crate::model::key_node;

declare_rule! {
    /// ## What it finds
    /// A workflow whose `GITHUB_TOKEN` gets more than its jobs need:
    ///
    /// - no `permissions:` at the top, and a job without its own, so the repository's
    ///   default applies (read and write on everything for repositories created before
    ///   February 2023 and for most organisations' settings);
    /// - `write-all` (or `read-all`) anywhere;
    /// - a write scope granted at the workflow level, where every job gets it, instead of
    ///   in the one job that needs it.
    ///
    /// ## Why it matters
    /// Whatever runs in a job — every action and every package-manager hook — can use the
    /// token. With `contents: write` a compromised dependency pushes code; with
    /// `id-token: write` it mints cloud credentials; with `packages: write` it publishes.
    ///
    /// ## Example
    /// ```yaml
    /// on: push
    /// permissions: write-all
    /// ```
    ///
    /// ## Remediation
    /// Start from nothing and grant per job:
    ///
    /// ```yaml
    /// permissions:
    ///   contents: read
    /// jobs:
    ///   release:
    ///     permissions:
    ///       contents: write
    /// ```
    ///
    /// `jobzero scan --fix` adds `permissions: contents: read` at the top of a workflow
    /// whose jobs without permissions of their own use only actions known to need no
    /// write access and no token in their scripts.
    ///
    /// ## References
    /// - CWE-250
    /// - [GitHub: permissions for the GITHUB_TOKEN](https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token)
    /// - [zizmor: excessive-permissions](https://docs.zizmor.sh/audits/#excessive-permissions)
    pub static RULE = {
        id: "pipeline/excessive-permissions",
        code: "CI004",
        title: "workflow token has more permissions than needed",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Actions that read the repository or the runner only.
const READ_ONLY_ACTIONS: &[&str] = &[
    "actions/checkout",
    "actions/cache",
    "actions/upload-artifact",
    "actions/download-artifact",
    "actions/setup-node",
    "actions/setup-python",
    "actions/setup-go",
    "actions/setup-java",
    "actions/setup-dotnet",
    "dtolnay/rust-toolchain",
    "swatinem/rust-cache",
    "taiki-e/install-action",
    "astral-sh/setup-uv",
    "pnpm/action-setup",
    "ruby/setup-ruby",
    "erlef/setup-beam",
    "gradle/actions/setup-gradle",
    "docker/setup-buildx-action",
    "docker/setup-qemu-action",
    "golangci/golangci-lint-action",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(w) = &cx.workflow else { return };
    let top = w.root.get("permissions");
    for (node, route) in all_permissions(cx) {
        if let Some(text) = node.as_text() {
            let text = text.trim();
            if text == "write-all" || text == "read-all" {
                let severity = if text == "write-all" {
                    Severity::High
                } else {
                    Severity::Medium
                };
                out.push(
                    cx.at(&RULE, node, &route)
                        .severity(severity)
                        .message(format!("`{route}: {text}` grants every scope"))
                        .evidence(evidence(&route, text)),
                );
            }
        }
    }
    match top {
        None => {
            let bare: Vec<&crate::model::Job<'_>> = w
                .jobs
                .iter()
                .filter(|j| j.get("permissions").is_none() && j.uses().is_none())
                .collect();
            for job in &bare {
                out.push(
                    cx.at(&RULE, job.key, &job.route)
                        .message(format!(
                            "job `{}` runs with the repository's default token permissions: neither it nor the workflow has a `permissions:` block",
                            job.id
                        ))
                        .evidence(evidence(&job.route, "default permissions")),
                );
            }
            if !bare.is_empty()
                && let Some(fix) = minimal_permissions_fix(cx)
            {
                out.fix(fix);
            }
        }
        Some(top) if top.kind() == Kind::Mapping => {
            for (k, v) in top.entries() {
                let (Some(scope), Some(level)) = (k.as_text(), v.as_text()) else {
                    continue;
                };
                if level.trim() == "write" && w.jobs.len() > 1 {
                    let route = format!("permissions.{scope}");
                    out.push(
                        cx.at(&RULE, k, &route)
                            .severity(if scope == "contents" || scope == "id-token" { Severity::Medium } else { Severity::Low })
                            .message(format!(
                                "`{scope}: write` at the workflow level is given to every job ({} of them); grant it in the job that needs it",
                                w.jobs.len()
                            ))
                            .evidence(evidence(&route, "write")),
                    );
                }
            }
        }
        Some(_) => {}
    }
}

fn all_permissions<'a>(cx: &Cx<'a>) -> Vec<(Node<'a>, String)> {
    let mut out = Vec::new();
    if let Some(w) = &cx.workflow {
        if let Some(p) = w.root.get("permissions") {
            out.push((p, "permissions".to_owned()));
        }
        for job in &w.jobs {
            if let Some(p) = job.get("permissions") {
                out.push((p, format!("{}.permissions", job.route)));
            }
        }
    }
    out
}

/// `permissions: contents: read` before `jobs:`, when every job without its own
/// permissions visibly needs no more.
fn minimal_permissions_fix(cx: &Cx<'_>) -> Option<Fix> {
    let w = cx.workflow.as_ref()?;
    let jobs_key = key_node(w.root, "jobs")?;
    if jobs_key.column() != 1 {
        return None;
    }
    for job in w.jobs.iter().filter(|j| j.get("permissions").is_none()) {
        if job.uses().is_some() {
            return None;
        }
        for step in &job.steps {
            if let Some((script, _)) = step.run() {
                let s = script.to_ascii_lowercase();
                if [
                    "github_token",
                    "github.token",
                    "gh ",
                    "git push",
                    "git tag",
                    "secrets.",
                ]
                .iter()
                .any(|n| s.contains(n))
                {
                    return None;
                }
            }
            if step.uses().is_some() && !READ_ONLY_ACTIONS.iter().any(|a| step.uses_action(a)) {
                return None;
            }
            if step.get("env").is_some_and(|e| {
                e.entries().any(|(_, v)| {
                    v.as_str()
                        .is_some_and(|v| v.contains("secrets.") || v.contains("github.token"))
                })
            }) {
                return None;
            }
        }
    }
    let at = cx.src.offset(jobs_key.line(), 1);
    Some(Fix {
        rule: RULE.id,
        title: "add `permissions: contents: read` at the top of the workflow".to_owned(),
        edits: vec![Edit {
            start: at,
            end: at,
            text: lines_at(cx.src, at, "permissions:\n  contents: read\n\n"),
        }],
    })
}
