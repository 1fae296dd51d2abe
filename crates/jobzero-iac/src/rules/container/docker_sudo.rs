use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::shell::commands;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dockerfile `RUN` that runs a command through `sudo` (or `doas`), in shell form,
    /// exec form, heredocs and `sh -c '…'` scripts. Installing the `sudo` package, or
    /// mentioning it in an argument, is not reported.
    ///
    /// ## Why it matters
    /// `sudo` in a build means the image ships a user allowed to become root, usually
    /// without a password (`NOPASSWD`): a process that runs as the "unprivileged" user can
    /// take root back, which defeats the `USER` switch. `sudo` also behaves unpredictably
    /// without a TTY and through signal forwarding.
    ///
    /// ## Example
    /// ```dockerfile
    /// USER app
    /// RUN sudo apt-get install -y curl
    /// ```
    ///
    /// ## Remediation
    /// Run the privileged steps as root before switching users (`USER root` … `USER app`),
    /// and remove `sudo` and its `sudoers` entries from the image; use `gosu` or `su-exec`
    /// in an entrypoint that must drop privileges:
    /// `RUN apt-get install -y curl` then `USER app`.
    ///
    /// ## References
    /// - CWE-250
    /// - [Docker: USER](https://docs.docker.com/build/building/best-practices/#user)
    /// - Checkov CKV2_DOCKER_1
    pub static RULE = {
        id: "iac/docker-sudo",
        code: "IAC148",
        title: "sudo used in a Dockerfile RUN",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(d) = cx.docker else { return };
    for i in d.instructions.iter().filter(|i| i.keyword == "RUN") {
        let cmds = commands(&i.script());
        let Some(c) = cmds.iter().find(|c| c.sudo) else {
            continue;
        };
        let name = if c.name().is_empty() { "a command" } else { c.name() };
        out.push(cx.instruction(&RULE, i).message(format!(
            "`RUN` runs `{name}` through `sudo`, so the image keeps a way back to root"
        )));
    }
}
