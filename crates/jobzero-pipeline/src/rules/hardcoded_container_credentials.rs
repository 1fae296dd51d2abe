use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A literal password in the `credentials:` of a job's `container:` or of one of its
    /// `services:`, instead of a `${{ secrets.… }}` reference. The password is redacted in
    /// every output.
    ///
    /// ## Why it matters
    /// The workflow file is readable by everyone who can read the repository, forever in
    /// its history; a registry password in it is a published password.
    ///
    /// ## Example
    /// ```yaml
    /// container:
    ///   image: registry.example.com/build:1
    ///   credentials:
    ///     username: ci
    ///     password: hunter2
    /// ```
    ///
    /// ## Remediation
    /// Rotate the password, store it as a secret and reference it:
    /// `password: ${{ secrets.REGISTRY_PASSWORD }}`.
    ///
    /// ## References
    /// - CWE-798
    /// - [zizmor: hardcoded-container-credentials](https://docs.zizmor.sh/audits/#hardcoded-container-credentials)
    pub static RULE = {
        id: "pipeline/hardcoded-container-credentials",
        code: "CI010",
        title: "container registry password written in the workflow",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(w) = &cx.workflow else { return };
    for job in &w.jobs {
        let mut places = Vec::new();
        if let Some(c) = job.get("container") {
            places.push((c, format!("{}.container", job.route)));
        }
        if let Some(services) = job.get("services") {
            for (k, v) in services.entries() {
                places.push((
                    v,
                    format!("{}.services.{}", job.route, k.as_str().unwrap_or("?")),
                ));
            }
        }
        for (node, route) in places {
            let Some(password) = node.get("credentials").and_then(|c| c.get("password")) else {
                continue;
            };
            let Some(text) = password.as_text() else {
                continue;
            };
            if !jobzero_secrets::literal::is_literal_credential(text) {
                continue;
            }
            let route = format!("{route}.credentials.password");
            let redacted = jobzero_core::redact::redact(text.trim());
            let line = cx.src.line_text(password.line());
            let mut location_snippet = jobzero_core::redact::redact_in(line, text.trim());
            if location_snippet == line {
                location_snippet = format!("password: {redacted}");
            }
            let mut b = cx
                .at(&RULE, password, &route)
                .message(format!(
                    "registry password `{redacted}` is written in the workflow"
                ))
                .evidence(evidence(&route, &redacted));
            b = b.location({
                let (l, c) = (password.line(), password.column());
                jobzero_core::finding::Location::lines(&cx.src.path, l, l)
                    .columns(c, c)
                    .route(route.clone())
                    .snippet(location_snippet)
            });
            out.push(b);
        }
    }
}
