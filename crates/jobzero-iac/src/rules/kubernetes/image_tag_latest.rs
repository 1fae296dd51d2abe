use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{ImageRef, container_of, image_ref};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
    /// CronJob or PodTemplate) whose `image` has no tag or the tag `latest`, and no
    /// `@sha256:` digest. Templated references (`${IMAGE}`, `{{ .Values.image }}`) are skipped.
    ///
    /// ## Why it matters
    /// `latest` is whatever was pushed last: a node that pulls the image today may run other
    /// code than the node that pulled it yesterday, a rollback does not roll back, and whoever
    /// can push to the repository changes production without a review or a deployment.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:latest
    /// ```
    ///
    /// ## Remediation
    /// Reference an immutable version: a release tag at least, and preferably its digest.
    ///
    /// ```yaml
    /// image: example/app:1.4.2@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945
    /// ```
    ///
    /// ## References
    /// - CWE-1357
    /// - [Kubernetes: configuration best practices, container images](https://kubernetes.io/docs/concepts/configuration/overview/#container-images)
    /// - Checkov CKV_K8S_14
    pub static RULE = {
        id: "iac/image-tag-latest",
        code: "IAC122",
        title: "container image uses the latest tag or no tag",
        family: Family::Iac,
        severity: Severity::Medium,
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
            let why = match image_ref(image) {
                Some(ImageRef::Untagged) => "has no tag, so it runs `latest`",
                Some(ImageRef::Tag("")) => "has an empty tag, so it runs `latest`",
                Some(ImageRef::Tag("latest")) => "uses the moving tag `latest`",
                _ => continue,
            };
            out.push(cx.at(&RULE, r, node).message(format!(
                "{} runs image `{}`, which {why}",
                container_of(r, c),
                image.trim()
            )));
        }
    }
}
