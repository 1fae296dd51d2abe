use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{ImageRef, container_of, image_ref};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
    /// CronJob or PodTemplate) whose `image` names a version tag (`app:1.4.2`) but no
    /// `@sha256:` digest. Images without a tag or with `latest` are left to
    /// `iac/image-tag-latest`; templated references are skipped.
    ///
    /// ## Why it matters
    /// A tag is a mutable pointer: whoever can push to the repository (a compromised CI
    /// token, a hijacked upstream account) can move `1.4.2` to other content, and every node
    /// that pulls it next runs that content. A digest names exactly the bytes that were
    /// reviewed and scanned.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.4.2
    /// ```
    ///
    /// ## Remediation
    /// Append the digest of the reviewed image to its reference (tools like Renovate keep both
    /// the tag and the digest current).
    ///
    /// ```yaml
    /// image: example/app:1.4.2@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945
    /// ```
    ///
    /// ## References
    /// - CWE-494
    /// - [Kubernetes: images, image names](https://kubernetes.io/docs/concepts/containers/images/#image-names)
    /// - Checkov CKV_K8S_43
    pub static RULE = {
        id: "iac/image-not-pinned-by-digest",
        code: "IAC123",
        title: "container image is not pinned by digest",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        for c in kube::containers(spec) {
            let Some(node) = c.get_direct("image") else {
                continue;
            };
            let Some(image) = node.as_str() else {
                continue;
            };
            let Some(ImageRef::Tag(tag)) = image_ref(image) else {
                continue;
            };
            if tag == "latest" || tag.is_empty() {
                continue;
            }
            out.push(cx.at(&RULE, r, node).message(format!(
                "{} runs image `{}` by its tag `{tag}`, not by digest",
                container_of(r, c),
                image.trim()
            )));
        }
    }
}
