use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A third-party action doing what a tool already on GitHub's runners does:
    /// `softprops/action-gh-release`, `ncipollo/release-action`,
    /// `marvinpinto/action-automatic-releases` (`gh release`), `peter-evans/create-pull-request`
    /// for a simple branch (`gh pr create`), `actions-rs/toolchain` (`rustup`), and the
    /// like.
    ///
    /// ## Why it matters
    /// Each action is another publisher with code running next to the job's token; one
    /// fewer is one less supply-chain dependency to pin, review and update.
    ///
    /// ## Example
    /// ```yaml
    /// - uses: softprops/action-gh-release@v2
    /// ```
    ///
    /// ## Remediation
    /// Use the preinstalled tool in a `run:` step: `gh release create "$TAG" dist/*`.
    ///
    /// ## References
    /// - CWE-1357
    /// - [zizmor: superfluous-actions](https://docs.zizmor.sh/audits/#superfluous-actions)
    pub static RULE = {
        id: "pipeline/superfluous-action",
        code: "CI028",
        title: "third-party action replaceable by a preinstalled tool",
        family: Family::Pipeline,
        severity: Severity::Info,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

const SUPERFLUOUS: &[(&str, &str)] = &[
    ("softprops/action-gh-release", "`gh release create`"),
    ("ncipollo/release-action", "`gh release create`"),
    (
        "marvinpinto/action-automatic-releases",
        "`gh release create`",
    ),
    ("svenstaro/upload-release-action", "`gh release upload`"),
    ("actions/create-release", "`gh release create`"),
    ("actions/upload-release-asset", "`gh release upload`"),
    ("actions-rs/toolchain", "`rustup`"),
    ("actions-rs/cargo", "`cargo`"),
    ("thollander/actions-comment-pull-request", "`gh pr comment`"),
    (
        "peter-evans/create-or-update-comment",
        "`gh pr comment` / `gh issue comment`",
    ),
    (
        "actions-ecosystem/action-add-labels",
        "`gh pr edit --add-label`",
    ),
    ("andymckay/labeler", "`gh issue edit --add-label`"),
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (_, step) in cx.steps() {
        let Some((action, instead)) = SUPERFLUOUS.iter().find(|(a, _)| step.uses_action(a)) else {
            continue;
        };
        let (_, node) = step.uses().unwrap_or(("", step.node));
        let route = format!("{}.uses", step.route);
        out.push(
            cx.at(&RULE, node, &route)
                .message(format!(
                    "`{action}` does what {instead} on the runner already does"
                ))
                .evidence(evidence(&route, action)),
        );
    }
}
