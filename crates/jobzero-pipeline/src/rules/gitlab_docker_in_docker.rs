use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::gitlab;

declare_rule! {
    /// ## What it finds
    /// A GitLab CI job (or the global/default configuration) using the Docker-in-Docker
    /// service (`docker:dind`, `docker:*-dind`), which only works on a runner in
    /// privileged mode; high when TLS between the job and the daemon is switched off
    /// (`DOCKER_TLS_CERTDIR: ""` or `DOCKER_HOST: tcp://…:2375`).
    ///
    /// ## Why it matters
    /// A privileged container is root on the runner host: any job on that runner — a merge
    /// request's included — can escape, read other jobs' credentials and persist. Without
    /// TLS, other containers on the network can drive the daemon.
    ///
    /// ## Example
    /// ```yaml
    /// build:
    ///   services:
    ///     - docker:24-dind
    ///   variables:
    ///     DOCKER_TLS_CERTDIR: ""
    /// ```
    ///
    /// ## Remediation
    /// Build images without a daemon (Kaniko, Buildah, BuildKit rootless) on unprivileged
    /// runners; if DinD is unavoidable, keep TLS on and run it on dedicated, ephemeral
    /// runners that no untrusted pipeline can use.
    ///
    /// ## References
    /// - CWE-250
    /// - [GitLab: Docker-in-Docker](https://docs.gitlab.com/ci/docker/using_docker_build/#use-docker-in-docker)
    pub static RULE = {
        id: "pipeline/gitlab-docker-in-docker",
        code: "CI044",
        title: "job needs a privileged Docker-in-Docker runner",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

fn tls_off(vars: Option<jobzero_core::yaml::Node<'_>>) -> bool {
    let Some(vars) = vars else { return false };
    let get = |k: &str| {
        vars.get(k)
            .and_then(|v| v.get("value").or(Some(v)))
            .and_then(|v| v.as_str())
    };
    get("DOCKER_TLS_CERTDIR").is_some_and(|v| v.trim().is_empty())
        || get("DOCKER_HOST").is_some_and(|v| v.contains(":2375"))
}

/// The jobs that get their services from `scope` through `extends:` (and `scope` itself),
/// so that variables set on an extending job count for the template's services.
fn jobs_using<'y>(
    root: jobzero_core::yaml::Node<'y>,
    scope: jobzero_core::yaml::Node<'y>,
) -> Vec<jobzero_core::yaml::Node<'y>> {
    gitlab::jobs(root)
        .into_iter()
        .map(|j| j.node)
        .filter(|&j| {
            gitlab::inherited(root, j, "services")
                .is_some_and(|s| s.line() == scope.get("services").map_or(0, |t| t.line()))
        })
        .collect()
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.src.kind != crate::source::Kind::GitlabCi {
        return;
    }
    let Some(root) = cx.src.root() else { return };
    let global_tls_off = tls_off(root.get("variables"));
    let mut scopes = vec![(root, String::new())];
    if let Some(d) = root.get("default") {
        scopes.push((d, "default".to_owned()));
    }
    scopes.extend(
        gitlab::jobs(root)
            .into_iter()
            .map(|j| (j.node, j.name.to_owned())),
    );
    for (scope, prefix) in scopes {
        let Some(services) = scope.get("services") else {
            continue;
        };
        for (i, s) in services.items().enumerate() {
            let name_node = s.get("name").unwrap_or(s);
            let Some(name) = name_node.as_text() else {
                continue;
            };
            let image = name.split('@').next().unwrap_or(name);
            let is_dind = image.starts_with("docker:") && image.contains("dind")
                || image.contains("/docker:") && image.contains("dind");
            if !is_dind {
                continue;
            }
            let insecure = global_tls_off
                || tls_off(scope.get("variables"))
                || jobs_using(root, scope)
                    .iter()
                    .any(|j| tls_off(gitlab::inherited(root, *j, "variables")));
            let route = if prefix.is_empty() {
                format!("services[{i}]")
            } else {
                format!("{prefix}.services[{i}]")
            };
            let (severity, extra) = if insecure {
                (Severity::High, ", with TLS to the daemon switched off")
            } else {
                (Severity::Medium, "")
            };
            out.push(
                cx.at(&RULE, name_node, &route)
                    .severity(severity)
                    .message(format!("`{name}` requires a privileged runner{extra}"))
                    .evidence(evidence(&route, name)),
            );
        }
    }
}
