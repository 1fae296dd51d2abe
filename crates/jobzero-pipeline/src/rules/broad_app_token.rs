use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// `actions/create-github-app-token` (or `tibdex/github-app-token`) without any
    /// `permission-*` input, so the token gets every permission the app's installation has,
    /// on every repository it can reach unless `repositories` narrows it.
    ///
    /// ## Why it matters
    /// GitHub App installations are usually granted broad permissions for all their uses;
    /// a token minted in one workflow with all of them turns any compromise of that
    /// workflow into a compromise of everything the app can touch.
    ///
    /// ## Example
    /// ```yaml
    /// - uses: actions/create-github-app-token@v1
    ///   with:
    ///     app-id: ${{ vars.APP_ID }}
    ///     private-key: ${{ secrets.APP_KEY }}
    /// ```
    ///
    /// ## Remediation
    /// Ask for what the job needs: `permission-contents: write`,
    /// `permission-pull-requests: write`, and restrict `repositories:`.
    ///
    /// ## References
    /// - CWE-250
    /// - [actions/create-github-app-token: permissions](https://github.com/actions/create-github-app-token#permission-permission-name)
    /// - [zizmor: github-app](https://docs.zizmor.sh/audits/#github-app)
    pub static RULE = {
        id: "pipeline/broad-app-token",
        code: "CI021",
        title: "app token with all of the GitHub App installation's permissions",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (_, step) in cx.steps() {
        let known = step.uses_action("actions/create-github-app-token")
            || step.uses_action("tibdex/github-app-token");
        if !known {
            continue;
        }
        let scoped = step.get("with").is_some_and(|w| {
            w.entries().any(|(k, _)| {
                k.as_str()
                    .is_some_and(|k| k.starts_with("permission-") || k == "permissions")
            })
        });
        if scoped {
            continue;
        }
        let (_, node) = step.uses().unwrap_or(("", step.node));
        let route = format!("{}.uses", step.route);
        out.push(
            cx.at(&RULE, node, &route)
                .message(format!(
                    "{} mints an app token with every permission of the installation",
                    step.label()
                ))
                .evidence(evidence(&route, "app token without permission-*")),
        );
    }
}
