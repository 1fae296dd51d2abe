use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use crate::source::Kind;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A hook repository of a `.pre-commit-config.yaml` whose `rev:` is a tag or a branch
    /// (`rev: v4.6.0`, `rev: main`) instead of a full commit SHA.
    ///
    /// ## Why it matters
    /// pre-commit clones the hook repository at that revision and runs its code on every
    /// developer's machine and in CI, with their credentials at hand. A tag can be moved and a
    /// branch moves by design: whoever controls the hook repository (or takes it over)
    /// changes what runs, with no change in this repository to review.
    ///
    /// ## Example
    /// ```yaml
    /// repos:
    ///   - repo: https://github.com/pre-commit/pre-commit-hooks
    ///     rev: v4.6.0
    ///     hooks:
    ///       - id: trailing-whitespace
    /// ```
    ///
    /// ## Remediation
    /// Pin each hook repository to a commit, keeping the tag as a comment:
    /// `pre-commit autoupdate --freeze` writes `rev: 2c9f875913ee60ca25ce70243dc24d5b6415598c  # frozen: v4.6.0`.
    ///
    /// ## References
    /// - CWE-829
    /// - [pre-commit: autoupdate --freeze](https://pre-commit.com/#pre-commit-autoupdate)
    pub static RULE = {
        id: "pipeline/precommit-unpinned-hook",
        code: "CI045",
        title: "pre-commit hook repository not pinned to a commit",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

fn is_commit(rev: &str) -> bool {
    (rev.len() == 40 || rev.len() == 64) && rev.chars().all(|c| c.is_ascii_hexdigit())
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.src.kind != Kind::PreCommit {
        return;
    }
    let Some(repos) = cx.src.root().and_then(|r| r.get("repos")) else {
        return;
    };
    for (i, entry) in repos.items().enumerate() {
        let Some(repo) = entry.get("repo").and_then(|r| r.as_str()) else {
            continue;
        };
        // Hooks of this repository and pre-commit's own meta hooks are not fetched.
        if repo == "local" || repo == "meta" {
            continue;
        }
        let route = format!("repos[{i}].rev");
        let Some(rev_node) = entry.get("rev") else {
            continue;
        };
        let rev = rev_node.as_str().unwrap_or_default().trim();
        if is_commit(rev) {
            continue;
        }
        out.push(
            cx.at(&RULE, rev_node, &route)
                .message(format!(
                    "hook repository `{repo}` runs at `rev: {rev}`, a tag or branch its owner can move"
                ))
                .evidence(evidence(&route, repo)),
        );
    }
}
