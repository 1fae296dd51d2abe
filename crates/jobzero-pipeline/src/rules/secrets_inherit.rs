use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A job calling a reusable workflow with `secrets: inherit`.
    ///
    /// ## Why it matters
    /// The called workflow receives every secret of the caller, whether it needs them or
    /// not; a compromised or careless callee (or one of its actions) can leak all of them.
    ///
    /// ## Example
    /// ```yaml
    /// jobs:
    ///   call:
    ///     uses: org/shared/.github/workflows/build.yml@v1
    ///     secrets: inherit
    /// ```
    ///
    /// ## Remediation
    /// Pass only the secrets the callee declares: `secrets: { NPM_TOKEN: ${{ secrets.NPM_TOKEN }} }`.
    ///
    /// ## References
    /// - CWE-200
    /// - [GitHub: passing secrets to reusable workflows](https://docs.github.com/en/actions/sharing-automations/reusing-workflows#passing-inputs-and-secrets-to-a-reusable-workflow)
    /// - [zizmor: secrets-inherit](https://docs.zizmor.sh/audits/#secrets-inherit)
    pub static RULE = {
        id: "pipeline/secrets-inherit",
        code: "CI008",
        title: "reusable workflow inherits every secret",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(w) = &cx.workflow else { return };
    for job in &w.jobs {
        let Some((uses, _)) = job.uses() else {
            continue;
        };
        let Some(secrets) = job.get("secrets") else {
            continue;
        };
        if secrets.as_str().is_some_and(|s| s.trim() == "inherit") {
            let route = format!("{}.secrets", job.route);
            out.push(
                cx.at(&RULE, secrets, &route)
                    .message(format!("job `{}` passes every secret to `{uses}`", job.id))
                    .evidence(evidence(&route, uses)),
            );
        }
    }
}
