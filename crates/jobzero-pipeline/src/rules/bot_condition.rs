use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An `if:` that trusts a run because `github.actor` or `github.triggering_actor` is a
    /// bot (`github.actor == 'dependabot[bot]'`), in a workflow that pull requests or
    /// comments can start.
    ///
    /// ## Why it matters
    /// The actor is whoever caused the latest event, not who wrote the code: an attacker can
    /// get Dependabot to update their own fork's pull request, or comment after the bot, and
    /// the condition passes for the attacker's code — typically into an auto-merge or a
    /// privileged step.
    ///
    /// ## Example
    /// ```yaml
    /// on: pull_request_target
    /// jobs:
    ///   automerge:
    ///     if: github.actor == 'dependabot[bot]'
    /// ```
    ///
    /// ## Remediation
    /// Check the pull request's author instead, which no later event changes:
    /// `github.event.pull_request.user.login == 'dependabot[bot]'`, and prefer
    /// `dependabot/fetch-metadata` for Dependabot logic.
    ///
    /// ## References
    /// - CWE-290
    /// - [Synacktiv: GitHub Actions exploitation, Dependabot](https://www.synacktiv.com/en/publications/github-actions-exploitation-dependabot)
    /// - [zizmor: bot-conditions](https://docs.zizmor.sh/audits/#bot-conditions)
    pub static RULE = {
        id: "pipeline/bot-condition",
        code: "CI013",
        title: "spoofable bot actor check",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::CODE_ANALYSIS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(w) = &cx.workflow else { return };
    if !w.outsiders_can_trigger() {
        return;
    }
    for (node, route) in cx.scalars() {
        if !(route.ends_with(".if")) {
            continue;
        }
        let Some(text) = node.as_str() else { continue };
        // `github['actor']` is `github.actor` written as an index.
        let lower = text
            .to_ascii_lowercase()
            .replace(' ', "")
            .replace("github['actor']", "github.actor")
            .replace("github[\"actor\"]", "github.actor")
            .replace("github['triggering_actor']", "github.triggering_actor")
            .replace("github[\"triggering_actor\"]", "github.triggering_actor");
        let spoofable = ["github.actor==", "github.triggering_actor=="]
            .iter()
            .any(|a| {
                lower.match_indices(a).any(|(i, _)| {
                    let rest = &lower[i + a.len()..];
                    rest.starts_with('\'')
                        && rest[1..]
                            .split('\'')
                            .next()
                            .is_some_and(|n| n.ends_with("[bot]"))
                })
            })
            || [
                "'[bot]'==github.actor",
                "[bot]'==github.actor",
                "[bot]'==github.triggering_actor",
                "endswith(github.actor,'[bot]')",
                "endswith(github.triggering_actor,'[bot]')",
                "contains(github.actor,'[bot]')",
                "contains(github.triggering_actor,'[bot]')",
            ]
            .iter()
            .any(|p| lower.contains(p));
        if spoofable {
            out.push(
                cx.at(&RULE, node, &route)
                    .message(format!(
                        "`{}` trusts the latest event's actor, which an attacker can make a bot",
                        text.trim()
                    ))
                    .evidence(evidence(&route, text.trim())),
            );
        }
    }
}
