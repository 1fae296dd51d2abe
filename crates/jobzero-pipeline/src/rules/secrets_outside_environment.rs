use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::source::expressions;

declare_rule! {
    /// ## What it finds
    /// A job that reads repository or organisation secrets (`${{ secrets.NAME }}`, other
    /// than `GITHUB_TOKEN`) without an `environment:`, in a workflow that also runs on
    /// pushes or pull requests. Informational: it points at where deployment protection
    /// is missing.
    ///
    /// ## Why it matters
    /// Secrets of an environment are only released to jobs that pass its protection rules
    /// (required reviewers, allowed branches, wait timers). Repository secrets go to any
    /// job of any branch that references them, including a branch an attacker with write
    /// access pushed a modified workflow to.
    ///
    /// ## Example
    /// ```yaml
    /// jobs:
    ///   deploy:
    ///     steps:
    ///       - run: ./deploy.sh
    ///         env:
    ///           AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
    /// ```
    ///
    /// ## Remediation
    /// Move deployment credentials into an environment with protection rules and add
    /// `environment: production` to the job (better: use OIDC and no stored secret).
    ///
    /// ## References
    /// - CWE-284
    /// - [GitHub: deployment environments](https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment)
    /// - [zizmor: secrets-outside-env](https://docs.zizmor.sh/audits/#secrets-outside-env)
    pub static RULE = {
        id: "pipeline/secrets-outside-environment",
        code: "CI027",
        title: "secrets used by a job without a protected environment",
        family: Family::Pipeline,
        severity: Severity::Info,
        confidence: Confidence::Low,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(w) = &cx.workflow else { return };
    let busy = ["push", "pull_request", "pull_request_target"]
        .iter()
        .any(|t| w.has_trigger(t));
    if !busy {
        return;
    }
    let all = cx.scalars();
    for job in &w.jobs {
        if job.get("environment").is_some() || job.uses().is_some() {
            continue;
        }
        let prefix = format!("{}.", job.route);
        let mut names: Vec<String> = Vec::new();
        for (node, route) in &all {
            if !route.starts_with(&prefix) {
                continue;
            }
            let Some(text) = node.as_str() else { continue };
            for e in expressions(text) {
                let body = e.body.trim();
                for part in
                    body.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                {
                    if let Some(name) = part.strip_prefix("secrets.")
                        && !name.eq_ignore_ascii_case("GITHUB_TOKEN")
                        && !names.iter().any(|n| n == name)
                    {
                        names.push(name.to_owned());
                    }
                }
            }
        }
        if names.is_empty() {
            continue;
        }
        names.sort();
        out.push(
            cx.at(&RULE, job.key, &job.route)
                .message(format!(
                    "job `{}` reads {} without an `environment:`",
                    job.id,
                    names
                        .iter()
                        .map(|n| format!("`secrets.{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .evidence(evidence(&job.route, &names.join(","))),
        );
    }
}
