use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::instructions::{base_image, image_tag};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dockerfile `FROM` whose base image has no tag or the tag `latest`, and no
    /// `@sha256:` digest: `FROM python`, `FROM node:latest`. `ARG`s declared before the first
    /// `FROM` are substituted with their defaults; `scratch`, earlier build stages and bases
    /// that depend on a build argument without a default are not reported.
    ///
    /// ## Why it matters
    /// `latest` is whatever the publisher pushed last: a rebuild of the same commit can pull a
    /// new major version, a different distribution, or an image someone replaced after taking
    /// over the account, and nothing in the repository shows that it changed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:latest
    /// COPY . /app
    /// ```
    ///
    /// ## Remediation
    /// Name an explicit version tag, and better, pin the digest it resolved to (with a bot
    /// such as Renovate or Dependabot to update it):
    /// `FROM node:22.11-alpine@sha256:…`.
    ///
    /// ## References
    /// - CWE-1357
    /// - [Docker: image digests](https://docs.docker.com/reference/dockerfile/#from)
    /// - Checkov CKV_DOCKER_7
    pub static RULE = {
        id: "iac/docker-base-image-latest",
        code: "IAC141",
        title: "base image uses the latest tag or no tag",
        family: Family::Iac,
        severity: Severity::Medium,
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
        if digest || tag.is_some_and(|t| t != "latest") {
            continue;
        }
        let Some(from) = d.instructions.get(stage.instruction) else {
            continue;
        };
        let what = if tag.is_some() {
            "the moving `latest` tag"
        } else {
            "no tag, so `latest`"
        };
        out.push(cx.instruction(&RULE, from).message(format!(
            "base image `{image}` uses {what}, and no digest pins it"
        )));
    }
}
