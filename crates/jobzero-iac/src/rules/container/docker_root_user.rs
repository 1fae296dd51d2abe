use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::dockerfile::{Dockerfile, Instruction};

declare_rule! {
    /// ## What it finds
    /// A Dockerfile whose final stage runs as root: no `USER` instruction after its `FROM`,
    /// or a last `USER` of `root` or `0`. A stage built `FROM` an earlier stage inherits that
    /// stage's `USER`. Distroless `:nonroot` bases are not reported; a `FROM scratch` image
    /// without `USER` is, at low severity: its binary runs as uid 0, though the image has no
    /// shell or tools to abuse.
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

/// The last `USER` that applies to stage `index`: its own, or the one it inherits from the
/// earlier stage it is built `FROM`.
fn effective_user(d: &Dockerfile, index: usize) -> Option<&Instruction> {
    let mut stage = index;
    // Each step goes to an earlier stage, so the walk ends.
    for _ in 0..=d.stages.len() {
        let own = d
            .instructions
            .iter()
            .rev()
            .find(|i| i.keyword == "USER" && i.stage == Some(stage));
        if own.is_some() {
            return own;
        }
        let s = d.stages.get(stage)?;
        if !s.from_stage {
            return None;
        }
        stage = d.stages[..stage].iter().rposition(|p| {
            p.alias
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case(&s.image))
        })?;
    }
    None
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(d) = cx.docker else { return };
    let Some(last) = d.stages.len().checked_sub(1) else {
        return;
    };
    match effective_user(d, last) {
        Some(u) => {
            let user = u.args.split(':').next().unwrap_or("").trim();
            if user == "root" || user == "0" {
                out.push(cx.instruction(&RULE, u).message(format!(
                    "the final stage runs as `{user}` (set on line {}) and never switches to an unprivileged user",
                    u.line
                )));
            }
        }
        None => {
            // The root of the chain of stages decides what the image starts from.
            let mut base = &d.stages[last];
            let mut guard = 0;
            while base.from_stage && guard <= d.stages.len() {
                guard += 1;
                match d.stages.iter().find(|p| {
                    p.alias
                        .as_deref()
                        .is_some_and(|a| a.eq_ignore_ascii_case(&base.image))
                }) {
                    Some(p) => base = p,
                    None => break,
                }
            }
            let image = base.image.to_ascii_lowercase();
            if image.contains("nonroot") || image.contains(":non-root") {
                return;
            }
            let Some(from) = d.instructions.get(d.stages[last].instruction) else {
                return;
            };
            let scratch = image == "scratch";
            let b = cx.instruction(&RULE, from).message(format!(
                "the final stage (`FROM {}`) sets no `USER`, so {} runs as root (uid 0)",
                d.stages[last].image,
                if scratch { "its binary" } else { "it" }
            ));
            // An empty image has no shell or tools to abuse, but still runs as uid 0.
            out.push(if scratch { b.severity(Severity::Low) } else { b });
        }
    }
}
