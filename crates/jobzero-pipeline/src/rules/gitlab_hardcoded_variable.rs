use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::gitlab;

declare_rule! {
    /// ## What it finds
    /// A GitLab CI `variables:` entry (global or per job) whose name says it holds a
    /// credential (`*PASSWORD*`, `*TOKEN*`, `*SECRET*`, `*API_KEY*`, `*PRIVATE_KEY*`,
    /// `*ACCESS_KEY*`) and whose value is a literal rather than a reference to a masked
    /// CI/CD variable (`$NAME`). The value is redacted in every output.
    ///
    /// ## Why it matters
    /// `.gitlab-ci.yml` is readable by everyone with access to the repository and stays in
    /// its history; variables written there are neither masked in job logs nor protected to
    /// protected branches.
    ///
    /// ## Example
    /// ```yaml
    /// variables:
    ///   REGISTRY_PASSWORD: s3cr3t-value
    /// ```
    ///
    /// ## Remediation
    /// Rotate the credential and define it as a masked, protected CI/CD variable in the
    /// project or group settings (or use OIDC `id_tokens:`).
    ///
    /// ## References
    /// - CWE-798
    /// - [GitLab: CI/CD variable security](https://docs.gitlab.com/ci/variables/#cicd-variable-security)
    pub static RULE = {
        id: "pipeline/gitlab-hardcoded-variable",
        code: "CI042",
        title: "credential written in GitLab CI variables",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

/// Values that are not credentials: what the secrets family does not take for one, and the
/// short or numeric values (ports, counts) that variables with such names also hold.
fn placeholder(v: &str) -> bool {
    !jobzero_secrets::literal::is_literal_credential(v)
        || v.chars().count() < 6
        || v.chars().all(|c| c.is_ascii_digit())
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.src.kind != crate::source::Kind::GitlabCi {
        return;
    }
    let Some(root) = cx.src.root() else { return };
    let mut scopes = vec![(root, String::new())];
    scopes.extend(
        gitlab::jobs(root)
            .into_iter()
            .map(|j| (j.node, j.name.to_owned())),
    );
    for (scope, prefix) in scopes {
        let Some(vars) = scope.get("variables") else {
            continue;
        };
        for (k, v) in vars.entries() {
            let Some(name) = k.as_text() else { continue };
            if !jobzero_secrets::names::is_secret_name(name) {
                continue;
            }
            let value_node = v.get("value").unwrap_or(v);
            let Some(value) = value_node.as_text() else {
                continue;
            };
            let value = value.trim();
            if placeholder(value) {
                continue;
            }
            let route = if prefix.is_empty() {
                format!("variables.{name}")
            } else {
                format!("{prefix}.variables.{name}")
            };
            let redacted = jobzero_core::redact::redact(value);
            let line = cx.src.line_text(value_node.line());
            let snippet = jobzero_core::redact::redact_in(line, value);
            let location = jobzero_core::finding::Location::lines(
                &cx.src.path,
                value_node.line(),
                value_node.line(),
            )
            .columns(value_node.column(), value_node.column())
            .route(route.clone())
            .snippet(if snippet == line {
                format!("{name}: {redacted}")
            } else {
                snippet
            });
            out.push(
                jobzero_core::Finding::builder(&RULE)
                    .location(location)
                    .message(format!("`{name}` holds a literal credential `{redacted}`"))
                    .evidence(evidence(&route, &redacted)),
            );
        }
    }
}
