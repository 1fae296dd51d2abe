use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::fix::{Fix, add_to_mapping};
use crate::model::{Step, key_node};

declare_rule! {
    /// ## What it finds
    /// An `actions/checkout` step that leaves `persist-credentials` at its default, `true`,
    /// which writes the job's token into `.git/config` for the rest of the job. Medium when
    /// the same job uploads an artifact (the token can be uploaded with the workspace,
    /// "ArtiPACKED"), high when the upload includes the whole workspace; low otherwise.
    ///
    /// ## Why it matters
    /// Every later step, third-party action and build script can read the token from
    /// disk, and an uploaded workspace publishes it to anyone who can download the
    /// artifact — for a public repository, anyone.
    ///
    /// ## Example
    /// ```yaml
    /// - uses: actions/checkout@v4
    /// - uses: actions/upload-artifact@v4
    ///   with:
    ///     path: .
    /// ```
    ///
    /// ## Remediation
    /// Add `persist-credentials: false` to the checkout, and pass a token explicitly to the
    /// one step that pushes. `jobzero scan --fix` adds the input.
    ///
    /// ## References
    /// - CWE-522
    /// - [Palo Alto Unit 42: ArtiPACKED](https://unit42.paloaltonetworks.com/github-repo-artifacts-leak-tokens/)
    /// - [zizmor: artipacked](https://docs.zizmor.sh/audits/#artipacked)
    pub static RULE = {
        id: "pipeline/persisted-credentials",
        code: "CI005",
        title: "checkout persists the job's token on disk",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

/// The strongest artifact upload among `steps`: 2 for the whole workspace, 1 for any.
fn upload_exposure(steps: &[Step<'_>]) -> u8 {
    let mut exposure = 0;
    for step in steps {
        if step.uses_action("actions/upload-artifact")
            || step.uses_action("actions/upload-pages-artifact")
        {
            let path = step.with("path").and_then(|p| p.as_str()).unwrap_or(
                if step.uses_action("actions/upload-pages-artifact") {
                    "_site"
                } else {
                    ""
                },
            );
            let whole = path.lines().any(|p| {
                let p = p.trim();
                matches!(
                    p,
                    "." | "./"
                        | "*"
                        | "**"
                        | "${{ github.workspace }}"
                        | "${{ github.workspace }}/"
                )
            });
            exposure = exposure.max(if whole { 2 } else { 1 });
        }
    }
    exposure
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let mut groups: Vec<&[Step<'_>]> = Vec::new();
    if let Some(w) = &cx.workflow {
        groups.extend(w.jobs.iter().map(|j| j.steps.as_slice()));
    }
    if let Some(a) = &cx.action {
        groups.push(a.steps.as_slice());
    }
    for steps in groups {
        let exposure = upload_exposure(steps);
        for step in steps {
            if !step.uses_action("actions/checkout") {
                continue;
            }
            let persisted = step
                .with("persist-credentials")
                .is_none_or(|v| v.as_str().is_some_and(|s| s.trim() != "false"));
            if !persisted {
                continue;
            }
            let (severity, why) = match exposure {
                2 => (
                    Severity::High,
                    "and the job uploads its whole workspace as an artifact",
                ),
                1 => (Severity::Medium, "and the job uploads an artifact"),
                _ => (Severity::Low, "where every later step can read it"),
            };
            let (_, node) = step.uses().unwrap_or(("", step.node));
            let route = format!("{}.uses", step.route);
            out.push(
                cx.at(&RULE, node, &route)
                    .severity(severity)
                    .message(format!(
                        "{} keeps the token in `.git/config` (`persist-credentials` is not `false`) {why}",
                        step.label()
                    ))
                    .evidence(evidence(&route, "actions/checkout persist-credentials")),
            );
            if step.with("persist-credentials").is_none()
                && let Some(uses_key) = key_node(step.node, "uses")
                && let Some(edit) = add_to_mapping(
                    cx.src,
                    step.node,
                    "with",
                    uses_key,
                    &[("persist-credentials".to_owned(), "false".to_owned())],
                )
            {
                out.fix(Fix {
                    rule: RULE.id,
                    title: format!("set `persist-credentials: false` on {}", step.label()),
                    edits: vec![edit],
                });
            }
        }
    }
}
