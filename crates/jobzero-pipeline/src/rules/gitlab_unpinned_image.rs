use jobzero_core::yaml::Node;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::gitlab;
use crate::uses::Image;

declare_rule! {
    /// ## What it finds
    /// A GitLab CI `image:` or `services:` entry (global, in `default:` or in a job)
    /// without a digest: high for no tag or `latest`, medium for another tag. Images given
    /// by a CI/CD variable are not reported.
    ///
    /// ## Why it matters
    /// Tags are mutable: whoever can push to the image's repository changes what runs in
    /// the job, with its variables and credentials.
    ///
    /// ## Example
    /// ```yaml
    /// build:
    ///   image: node:latest
    /// ```
    ///
    /// ## Remediation
    /// Pin the digest: `image: node:22@sha256:…`.
    ///
    /// ## References
    /// - CWE-829
    /// - [GitLab: image](https://docs.gitlab.com/ci/yaml/#image)
    pub static RULE = {
        id: "pipeline/gitlab-unpinned-image",
        code: "CI041",
        title: "job image not pinned to a digest",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

fn images<'y>(node: Node<'y>, route: &str, out: &mut Vec<(Node<'y>, String)>) {
    let join = |k: &str| {
        if route.is_empty() {
            k.to_owned()
        } else {
            format!("{route}.{k}")
        }
    };
    if let Some(image) = node.get("image") {
        match image.get("name") {
            Some(name) => out.push((name, join("image.name"))),
            None => out.push((image, join("image"))),
        }
    }
    if let Some(services) = node.get("services") {
        for (i, s) in services.items().enumerate() {
            match s.get("name") {
                Some(name) => out.push((name, format!("{}[{i}].name", join("services")))),
                None => out.push((s, format!("{}[{i}]", join("services")))),
            }
        }
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.src.kind != crate::source::Kind::GitlabCi {
        return;
    }
    let Some(root) = cx.src.root() else { return };
    let mut all = Vec::new();
    images(root, "", &mut all);
    if let Some(d) = root.get("default") {
        images(d, "default", &mut all);
    }
    for job in gitlab::jobs(root) {
        images(job.node, job.name, &mut all);
    }
    for (node, route) in all {
        let Some(text) = node.as_text() else { continue };
        let text = text.trim();
        if text.is_empty() || text.contains('$') {
            continue;
        }
        let image = Image::parse(text);
        if image.is_digest_pinned() {
            continue;
        }
        let (severity, message) = match image.tag {
            None | Some("latest") => (
                Severity::High,
                format!("`{text}` follows the floating `latest` tag"),
            ),
            Some(tag) => (
                Severity::Medium,
                format!(
                    "`{text}` is pinned to the tag `{tag}`, which can be re-pushed; add its digest"
                ),
            ),
        };
        out.push(
            cx.at(&RULE, node, &route)
                .severity(severity)
                .message(message)
                .evidence(evidence(&route, text)),
        );
    }
}
