use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dependabot update without a `cooldown:`, or with `default-days` under 7.
    ///
    /// ## Why it matters
    /// Malicious releases of popular packages are usually found and pulled within days.
    /// Without a cooldown, Dependabot proposes them within hours, and a busy team merges
    /// them; waiting a few days lets the ecosystem catch them first.
    ///
    /// ## Example
    /// ```yaml
    /// updates:
    ///   - package-ecosystem: npm
    ///     directory: /
    ///     schedule: { interval: daily }
    /// ```
    ///
    /// ## Remediation
    /// Wait a week before proposing a new release:
    ///
    /// ```yaml
    ///     cooldown:
    ///       default-days: 7
    /// ```
    ///
    /// ## References
    /// - CWE-1357
    /// - [GitHub: Dependabot cooldown](https://docs.github.com/en/code-security/dependabot/working-with-dependabot/dependabot-options-reference#cooldown-)
    /// - [zizmor: dependabot-cooldown](https://docs.zizmor.sh/audits/#dependabot-cooldown)
    pub static RULE = {
        id: "pipeline/dependabot-cooldown",
        code: "CI031",
        title: "dependency updates proposed the day a release is published",
        family: Family::Pipeline,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (i, update) in cx.dependabot_updates().into_iter().enumerate() {
        let eco = update
            .get("package-ecosystem")
            .and_then(|e| e.as_str())
            .unwrap_or("?");
        let route = format!("updates[{i}]");
        let days = update
            .get("cooldown")
            .and_then(|c| c.get("default-days"))
            .and_then(|d| d.as_str())
            .and_then(|d| d.trim().parse::<u32>().ok());
        let message = match (update.get("cooldown"), days) {
            (None, _) => format!("the `{eco}` update has no `cooldown:`"),
            (Some(_), Some(d)) if d < 7 => format!("the `{eco}` update waits only {d} days"),
            (Some(_), None) => format!("the `{eco}` update's cooldown has no `default-days`"),
            _ => continue,
        };
        let at = update.get("cooldown").unwrap_or(update);
        out.push(
            cx.at(&RULE, at, &route)
                .message(message)
                .evidence(evidence(&route, eco)),
        );
    }
}
