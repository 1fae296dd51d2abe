use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::gitlab;
use crate::uses::is_commit_sha;

declare_rule! {
    /// ## What it finds
    /// A GitLab CI `include:` of configuration from outside the repository that can change
    /// under the pipeline: a `remote:` URL without an `integrity:` hash, a `project:` with no
    /// `ref:` or a branch or tag instead of a commit SHA, a `component:` at `~latest` or a
    /// version that is not a SHA.
    ///
    /// ## Why it matters
    /// Included configuration is pipeline code. Whoever can change the remote file, push to
    /// the other project or re-tag the component changes what runs in this project's
    /// pipelines, with its CI/CD variables and deploy credentials.
    ///
    /// ## Example
    /// ```yaml
    /// include:
    ///   - project: platform/ci-templates
    ///     file: /build.yml
    ///   - remote: https://example.com/ci/lint.yml
    /// ```
    ///
    /// ## Remediation
    /// Pin `ref:` to a commit SHA, add `integrity: sha256-…` to remote includes, and pin
    /// components to a SHA.
    ///
    /// ## References
    /// - CWE-829
    /// - [GitLab: include](https://docs.gitlab.com/ci/yaml/#include)
    /// - [GitLab: include:integrity](https://docs.gitlab.com/ci/yaml/#includeintegrity)
    pub static RULE = {
        id: "pipeline/gitlab-unpinned-include",
        code: "CI040",
        title: "pipeline configuration included from a movable source",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.src.kind != crate::source::Kind::GitlabCi {
        return;
    }
    let Some(root) = cx.src.root() else { return };
    for (kind, node, route) in gitlab::includes(root) {
        let message = match kind {
            "remote" => {
                let url = node
                    .as_text()
                    .or_else(|| node.get("remote")?.as_text())
                    .unwrap_or("");
                if node.get("integrity").is_some() {
                    continue;
                }
                format!("remote include `{url}` has no `integrity:` hash")
            }
            "project" => {
                let project = node.get("project").and_then(|p| p.as_text()).unwrap_or("?");
                match node.get("ref").and_then(|r| r.as_text()) {
                    None => {
                        format!("include of `{project}` follows its default branch (no `ref:`)")
                    }
                    Some(r) if is_commit_sha(r.trim()) => continue,
                    Some(r) => format!(
                        "include of `{project}` is pinned to `{r}`, which can move; use a commit SHA"
                    ),
                }
            }
            "component" => {
                let c = node
                    .get("component")
                    .and_then(|c| c.as_text())
                    .unwrap_or("");
                match c.rsplit_once('@') {
                    Some((_, v)) if is_commit_sha(v.trim()) => continue,
                    Some((_, v)) => format!(
                        "component `{c}` is pinned to `{v}`, which can move; use a commit SHA"
                    ),
                    None => format!("component `{c}` has no version"),
                }
            }
            _ => continue,
        };
        out.push(
            cx.at(&RULE, node, &route)
                .message(message.clone())
                .evidence(evidence(&route, &message)),
        );
    }
}
