use jobzero_core::config::PinPolicy;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::uses::Uses;

declare_rule! {
    /// ## What it finds
    /// A `uses:` of a step, or of a job calling a reusable workflow, that names a tag or a
    /// branch (`actions/checkout@v4`, `some/action@main`) instead of a full commit SHA, or
    /// no ref at all. Which owners must be pinned by hash is configurable in
    /// `jobzero.toml`:
    ///
    /// ```toml
    /// [pipeline.pin]
    /// "actions/*" = "ref"    # tags are accepted for GitHub's own actions
    /// "*" = "hash"           # everything else needs a commit SHA (the default)
    /// ```
    ///
    /// ## Why it matters
    /// Tags and branches move. Whoever controls the action's repository, or steals its
    /// maintainer's token, can point `v4` at new code that then runs in every workflow with
    /// its secrets and token: this is how the `tj-actions/changed-files` compromise of March
    /// 2025 leaked secrets from thousands of repositories. A commit SHA cannot be moved.
    ///
    /// ## Example
    /// ```yaml
    /// - uses: tj-actions/changed-files@v45
    /// ```
    ///
    /// ## Remediation
    /// Pin the full 40-character commit SHA and keep the tag as a comment so updaters
    /// (Dependabot, Renovate) can keep it current:
    /// `uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2`.
    ///
    /// ## References
    /// - CWE-829
    /// - [GitHub: using third-party actions](https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions)
    /// - [zizmor: unpinned-uses](https://docs.zizmor.sh/audits/#unpinned-uses)
    pub static RULE = {
        id: "pipeline/unpinned-action",
        code: "CI001",
        title: "action or reusable workflow not pinned to a commit SHA",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

/// The policy for `owner/repo`: the most specific matching pattern wins.
pub(crate) fn policy(cx: &Cx<'_>, owner: &str, repo: &str) -> PinPolicy {
    let slug = format!("{owner}/{repo}").to_ascii_lowercase();
    let owner_glob = format!("{}/*", owner.to_ascii_lowercase());
    let mut best: Option<(u8, PinPolicy)> = None;
    for (pattern, p) in &cx.config.pin {
        let pattern = pattern.to_ascii_lowercase();
        let rank = if pattern == slug {
            3
        } else if pattern == owner_glob {
            2
        } else if pattern == "*" {
            1
        } else {
            continue;
        };
        if best.is_none_or(|(r, _)| rank > r) {
            best = Some((rank, *p));
        }
    }
    best.map_or(PinPolicy::Hash, |(_, p)| p)
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let uses = cx.all_uses();
    for (text, node, route) in uses {
        let Some(Uses::Repository(r)) = Uses::parse(text) else {
            continue;
        };
        let policy = policy(cx, r.owner, r.repo);
        let message = match (policy, r.git_ref) {
            (PinPolicy::Any, _) => continue,
            (_, None) => format!("`{text}` names no ref at all"),
            (PinPolicy::Ref, Some(_)) => continue,
            (PinPolicy::Hash, Some(_)) if r.is_hash_pinned() => continue,
            (PinPolicy::Hash, Some(git_ref)) => format!(
                "`{}` is pinned to `{git_ref}`, a ref that can be moved; pin a full commit SHA",
                r.name()
            ),
        };
        out.push(
            cx.at(&RULE, node, &route)
                .message(message)
                .evidence(crate::audit::evidence(&route, text)),
        );
    }
}
