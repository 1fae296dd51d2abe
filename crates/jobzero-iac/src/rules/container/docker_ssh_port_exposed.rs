use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::shell::split_words;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dockerfile `EXPOSE` that includes the SSH port 22: `EXPOSE 22`, `EXPOSE 22/tcp`, or
    /// a range that contains it (`EXPOSE 20-25`). Ports given by a variable are not
    /// reported.
    ///
    /// ## Why it matters
    /// An SSH server in a container is a second way in that bypasses the orchestrator's
    /// access control and audit (`kubectl exec`, ECS Exec), usually with long-lived keys or
    /// passwords baked into the image; once the port is published, internet-wide scanners
    /// find it within minutes.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 22 8080
    /// ```
    ///
    /// ## Remediation
    /// Remove the SSH server and the `EXPOSE`, and debug through the platform instead
    /// (`docker exec`, `kubectl exec`, ECS Exec, SSM Session Manager).
    ///
    /// ## References
    /// - CWE-284
    /// - [Docker: EXPOSE](https://docs.docker.com/reference/dockerfile/#expose)
    /// - Checkov CKV_DOCKER_1
    pub static RULE = {
        id: "iac/docker-ssh-port-exposed",
        code: "IAC151",
        title: "container image exposes the SSH port",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

/// Whether an `EXPOSE` word (`22`, `22/tcp`, `20-25/tcp`) covers TCP port 22.
fn covers_ssh(word: &str) -> bool {
    let (ports, proto) = word.split_once('/').unwrap_or((word, "tcp"));
    if !proto.eq_ignore_ascii_case("tcp") {
        return false;
    }
    let (from, to) = ports.split_once('-').unwrap_or((ports, ports));
    match (from.trim().parse::<u32>(), to.trim().parse::<u32>()) {
        (Ok(a), Ok(b)) => a <= 22 && 22 <= b,
        _ => false,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(d) = cx.docker else { return };
    for i in d.instructions.iter().filter(|i| i.keyword == "EXPOSE") {
        let Some(word) = split_words(&i.args).into_iter().find(|w| covers_ssh(w)) else {
            continue;
        };
        out.push(cx.instruction(&RULE, i).message(format!(
            "`EXPOSE {word}` publishes the SSH port 22 of the container"
        )));
    }
}
