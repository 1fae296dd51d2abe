use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::uses::Uses;

declare_rule! {
    /// ## What it finds
    /// A `uses:` of an action whose repository is archived or officially deprecated
    /// (`actions-rs/*`, `actions/create-release`, `actions/upload-release-asset`,
    /// `actions/setup-ruby`, …), from a list compiled into the binary.
    ///
    /// ## Why it matters
    /// An archived action gets no security fixes, runs on retired Node versions and its
    /// repository may change hands; it is dead code with the job's token.
    ///
    /// ## Example
    /// ```yaml
    /// - uses: actions-rs/toolchain@v1
    /// ```
    ///
    /// ## Remediation
    /// Move to the maintained replacement named in the finding, or to a plain command
    /// (`gh release create`, `rustup`).
    ///
    /// ## References
    /// - CWE-1104
    /// - [zizmor: archived-uses](https://docs.zizmor.sh/audits/#archived-uses)
    pub static RULE = {
        id: "pipeline/archived-action",
        code: "CI022",
        title: "action from an archived repository",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_VULN,
    }
}

/// Archived or deprecated action repositories and what replaces them. `owner/*` covers an
/// owner whose every action repository is archived.
const ARCHIVED: &[(&str, &str)] = &[
    (
        "actions-rs/*",
        "`dtolnay/rust-toolchain` or plain `rustup`/`cargo`",
    ),
    ("actions/create-release", "`gh release create`"),
    ("actions/upload-release-asset", "`gh release upload`"),
    ("actions/setup-ruby", "`ruby/setup-ruby`"),
    ("actions/setup-elixir", "`erlef/setup-beam`"),
    ("actions/setup-haskell", "`haskell-actions/setup`"),
    ("actions/labeler-v1", "`actions/labeler`"),
    ("actions/cache-v1", "`actions/cache`"),
    ("haskell/actions", "`haskell-actions/setup`"),
    ("andymckay/cancel-action", "`gh run cancel`"),
    (
        "styfle/cancel-workflow-action",
        "`concurrency:` with `cancel-in-progress`",
    ),
    (
        "jurplel/install-qt-action-v1",
        "`jurplel/install-qt-action`",
    ),
    ("mikepenz/action-gh-release", "`gh release create`"),
    (
        "ad-m/github-push-action-legacy",
        "`git push` with a scoped token",
    ),
    ("cirrus-actions/rebase", "`gh pr update-branch --rebase`"),
    (
        "marvinpinto/action-automatic-releases",
        "`gh release create`",
    ),
    ("github/super-linter", "`super-linter/super-linter`"),
    ("codecov/codecov-action-v1", "`codecov/codecov-action`"),
    ("meeDamian/github-release", "`gh release create`"),
    ("actions/setup-node-v1", "`actions/setup-node`"),
];

pub(crate) fn replacement(owner: &str, repo: &str) -> Option<&'static str> {
    let slug = format!("{owner}/{repo}").to_ascii_lowercase();
    let owner_glob = format!("{}/*", owner.to_ascii_lowercase());
    ARCHIVED
        .iter()
        .find(|(name, _)| {
            name.to_ascii_lowercase() == slug || name.to_ascii_lowercase() == owner_glob
        })
        .map(|(_, r)| *r)
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (_, step) in cx.steps() {
        let Some((text, node)) = step.uses() else {
            continue;
        };
        let Some(Uses::Repository(r)) = Uses::parse(text) else {
            continue;
        };
        let Some(instead) = replacement(r.owner, r.repo) else {
            continue;
        };
        let route = format!("{}.uses", step.route);
        out.push(
            cx.at(&RULE, node, &route)
                .message(format!(
                    "`{}/{}` is archived and gets no fixes; use {instead}",
                    r.owner, r.repo
                ))
                .evidence(evidence(&route, &r.slug())),
        );
    }
}
