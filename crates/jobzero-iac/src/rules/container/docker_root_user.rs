use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, Out};

declare_rule! {
    /// ## What it finds
    /// A Dockerfile whose final stage runs as root: no `USER` instruction after its `FROM`,
    /// or a last `USER` of `root` or `0`. Images built `FROM scratch` and distroless
    /// `:nonroot` images are not reported when they set no user, since their base already
    /// runs unprivileged or has nothing to run as root.
    ///
    /// ## Why it matters
    /// A process that runs as root inside the container is root on the host as soon as a
    /// kernel or runtime bug lets it out, and can rewrite its own image's binaries in the
    /// meantime.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY . /app
    /// CMD ["python", "/app/main.py"]
    /// ```
    ///
    /// ## Remediation
    /// Create an unprivileged user and switch to it before the command:
    /// `RUN useradd --system app` then `USER app`.
    ///
    /// ## References
    /// - CWE-250
    /// - [Docker: USER](https://docs.docker.com/reference/dockerfile/#user)
    /// - Checkov CKV_DOCKER_3, CKV_DOCKER_8
    pub static RULE = {
        id: "iac/docker-root-user",
        code: "IAC140",
        title: "container image runs as root",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Out) {
    let Some(d) = cx.docker else { return };
    let Some(stage) = d.stages.last() else { return };
    let last_user = d.final_stage().filter(|i| i.keyword == "USER").last();
    match last_user {
        Some(u) => {
            let user = u.args.split(':').next().unwrap_or("").trim();
            if user == "root" || user == "0" {
                out.push(cx.instruction(&RULE, u).message(format!(
                    "the final stage switches to `{user}` and never back to an unprivileged user"
                )));
            }
        }
        None => {
            let base = stage.image.to_ascii_lowercase();
            if base == "scratch" || base.contains("nonroot") || stage.from_stage {
                return;
            }
            let Some(from) = d.instructions.get(stage.instruction) else {
                return;
            };
            out.push(cx.instruction(&RULE, from).message(format!(
                "the final stage (`FROM {}`) sets no `USER`, so it runs as root",
                stage.image
            )));
        }
    }
}
