use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::uses::Uses;

declare_rule! {
    /// ## What it finds
    /// A `uses:` of an action or reusable workflow the organisation has forbidden in
    /// `jobzero.toml`:
    ///
    /// ```toml
    /// [pipeline]
    /// forbid = ["tj-actions/*", "some-org/deploy-action"]
    /// ```
    ///
    /// Without a `forbid` list the rule reports nothing.
    ///
    /// ## Why it matters
    /// Some publishers were compromised, some actions duplicate a sanctioned internal one,
    /// some need a review the organisation has not done. A list checked on every scan is
    /// the control; a wiki page is not.
    ///
    /// ## Example
    /// ```yaml
    /// - uses: tj-actions/changed-files@v46
    /// ```
    ///
    /// ## Remediation
    /// Replace the action with the sanctioned alternative, or get it reviewed and removed
    /// from the list.
    ///
    /// ## References
    /// - CWE-829
    /// - [zizmor: forbidden-uses](https://docs.zizmor.sh/audits/#forbidden-uses)
    pub static RULE = {
        id: "pipeline/forbidden-action",
        code: "CI034",
        title: "action forbidden by the organisation",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

fn forbidden<'c>(cx: &'c Cx<'_>, owner: &str, repo: &str) -> Option<&'c str> {
    let slug = format!("{owner}/{repo}").to_ascii_lowercase();
    let owner_glob = format!("{}/*", owner.to_ascii_lowercase());
    cx.config
        .forbid
        .iter()
        .find(|p| {
            let p = p.to_ascii_lowercase();
            p == slug || p == owner_glob
        })
        .map(String::as_str)
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.config.forbid.is_empty() {
        return;
    }
    let all = cx.all_uses();
    for (text, node, route) in all {
        let Some(Uses::Repository(r)) = Uses::parse(text) else {
            continue;
        };
        let Some(pattern) = forbidden(cx, r.owner, r.repo) else {
            continue;
        };
        out.push(
            cx.at(&RULE, node, &route)
                .message(format!(
                    "`{text}` is forbidden by `[pipeline] forbid` (`{pattern}`)"
                ))
                .evidence(evidence(&route, &r.slug())),
        );
    }
}
