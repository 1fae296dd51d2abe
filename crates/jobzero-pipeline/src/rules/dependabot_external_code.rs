use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dependabot update with `insecure-external-code-execution: allow`.
    ///
    /// ## Why it matters
    /// Dependabot then runs the package manager's code execution paths (`setup.py`,
    /// Gradle and Mix scripts) of the dependencies it resolves, with access to the private
    /// registry credentials configured for the update: a malicious package version reads
    /// them.
    ///
    /// ## Example
    /// ```yaml
    /// updates:
    ///   - package-ecosystem: pip
    ///     directory: /
    ///     insecure-external-code-execution: allow
    /// ```
    ///
    /// ## Remediation
    /// Remove the option (the default is `deny`); make the manifest resolvable without
    /// running code.
    ///
    /// ## References
    /// - CWE-829
    /// - [GitHub: insecure-external-code-execution](https://docs.github.com/en/code-security/dependabot/working-with-dependabot/dependabot-options-reference#insecure-external-code-execution--)
    /// - [zizmor: dependabot-execution](https://docs.zizmor.sh/audits/#dependabot-execution)
    pub static RULE = {
        id: "pipeline/dependabot-external-code",
        code: "CI030",
        title: "dependency updates allowed to run dependencies' code",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_VULN,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (i, update) in cx.dependabot_updates().into_iter().enumerate() {
        let Some(v) = update.get("insecure-external-code-execution") else {
            continue;
        };
        if v.as_str().is_some_and(|s| s.trim() == "allow") {
            let route = format!("updates[{i}].insecure-external-code-execution");
            let eco = update
                .get("package-ecosystem")
                .and_then(|e| e.as_str())
                .unwrap_or("?");
            out.push(
                cx.at(&RULE, v, &route)
                    .message(format!("the `{eco}` update runs dependencies' code with registry credentials in reach"))
                    .evidence(evidence(&route, eco)),
            );
        }
    }
}
