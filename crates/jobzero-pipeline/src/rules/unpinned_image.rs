use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::uses::{Image, Uses};

declare_rule! {
    /// ## What it finds
    /// A container image without a digest: a job's `container:`, its `services:`, or a
    /// `uses: docker://…` step. High when the image has no tag or `latest`, medium when it
    /// has another tag.
    ///
    /// ## Why it matters
    /// Tags are mutable. Whoever can push to the image's repository changes what runs in
    /// the job — with its token, its secrets and its network position.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:latest
    /// ```
    ///
    /// ## Remediation
    /// Pin the digest and keep the tag for readers: `image: postgres:17@sha256:…`.
    ///
    /// ## References
    /// - CWE-829
    /// - [zizmor: unpinned-images](https://docs.zizmor.sh/audits/#unpinned-images)
    pub static RULE = {
        id: "pipeline/unpinned-image",
        code: "CI014",
        title: "container image not pinned to a digest",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let mut images = Vec::new();
    if let Some(w) = &cx.workflow {
        for job in &w.jobs {
            if let Some(c) = job.get("container") {
                let node = c.get("image").unwrap_or(c);
                let route = if c.get("image").is_some() {
                    format!("{}.container.image", job.route)
                } else {
                    format!("{}.container", job.route)
                };
                images.push((node, route));
            }
            if let Some(services) = job.get("services") {
                for (k, v) in services.entries() {
                    if let Some(i) = v.get("image") {
                        images.push((
                            i,
                            format!("{}.services.{}.image", job.route, k.as_str().unwrap_or("?")),
                        ));
                    }
                }
            }
        }
    }
    for (_, step) in cx.steps() {
        if let Some((text, node)) = step.uses()
            && matches!(Uses::parse(text), Some(Uses::Docker(_)))
        {
            images.push((node, format!("{}.uses", step.route)));
        }
    }
    if let Some(a) = &cx.action
        && a.using.is_some_and(|u| u.eq_ignore_ascii_case("docker"))
        && let Some(image) = a.root.get("runs").and_then(|r| r.get("image"))
        && image.as_str().is_some_and(|i| i.starts_with("docker://"))
    {
        images.push((image, "runs.image".to_owned()));
    }
    for (node, route) in images {
        let Some(text) = node.as_text() else { continue };
        let reference = text.trim().trim_start_matches("docker://");
        if reference.is_empty() || reference.contains("${{") {
            continue;
        }
        let image = Image::parse(reference);
        if image.is_digest_pinned() {
            continue;
        }
        let (severity, message) = match image.tag {
            None | Some("latest") => (
                Severity::High,
                format!("`{reference}` follows the floating `latest` tag"),
            ),
            Some(tag) => (
                Severity::Medium,
                format!(
                    "`{reference}` is pinned to the tag `{tag}`, which can be re-pushed; add its digest"
                ),
            ),
        };
        out.push(
            cx.at(&RULE, node, &route)
                .severity(severity)
                .message(message)
                .evidence(evidence(&route, reference)),
        );
    }
}
