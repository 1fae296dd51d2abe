use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::instructions::{base_image, image_tag};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dockerfile `FROM` whose base image has a version tag other than `latest` but no
    /// `@sha256:` digest: `FROM python:3.12-slim`. `ARG`s declared before the first `FROM`
    /// are substituted with their defaults; `scratch`, earlier build stages and bases that
    /// depend on a build argument without a default are not reported. Untagged and `latest`
    /// bases are reported by `iac/docker-base-image-latest` instead.
    ///
    /// ## Why it matters
    /// Tags are mutable: publishers move `3.12-slim` to every patch release, and anyone who
    /// controls the repository (or compromises it) can point it at a different image. Two
    /// builds of the same commit can then ship different software, and a malicious push
    /// reaches your image without a code review.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ```
    ///
    /// ## Remediation
    /// Pin the digest next to the tag and let a bot (Renovate, Dependabot) propose updates:
    /// `FROM python:3.12-slim@sha256:…`.
    ///
    /// ## References
    /// - CWE-1357
    /// - CWE-494
    /// - [Docker: pin base image versions](https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
    pub static RULE = {
        id: "iac/docker-base-image-unpinned",
        code: "IAC142",
        title: "base image is not pinned to a digest",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(d) = cx.docker else { return };
    for (index, stage) in d.stages.iter().enumerate() {
        let Some(image) = base_image(d, index) else {
            continue;
        };
        let (tag, digest) = image_tag(&image);
        let Some(tag) = tag else { continue };
        if digest || tag == "latest" {
            continue;
        }
        let Some(from) = d.instructions.get(stage.instruction) else {
            continue;
        };
        out.push(cx.instruction(&RULE, from).message(format!(
            "base image `{image}` is pinned by the mutable tag `{tag}` only, not by a digest"
        )));
    }
}
