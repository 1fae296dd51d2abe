use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{host_paths, is_runtime_socket, object};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A pod (a Pod, or the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet,
    /// Job, CronJob or PodTemplate) with a `hostPath` volume: a directory or file of the node
    /// mounted into its containers. Paths that give away the node (`/`, `/etc`, `/root`,
    /// `/proc`, `/sys`, `/dev`, `/var/lib/kubelet`, `/var/lib/docker`, `/etc/kubernetes`, ...)
    /// are reported with high severity. Container runtime sockets and their directories are
    /// left to `iac/container-runtime-socket-mounted`.
    ///
    /// ## Why it matters
    /// A host path breaks the container's file system isolation: the container can read the
    /// node's credentials (kubelet certificates, other pods' service account tokens under
    /// `/var/lib/kubelet`), and with write access plant a cron job, a systemd unit or an SSH key
    /// that runs on the node. Even read-only mounts leak secrets, and symbolic links inside a
    /// mounted log directory have been used to read any file of the node.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: host
    ///     hostPath:
    ///       path: /
    /// ```
    ///
    /// ## Remediation
    /// Replace the host path with an `emptyDir`, a ConfigMap, a Secret or a persistent volume
    /// claim; node agents that truly need a host directory should mount the narrowest path,
    /// read-only.
    ///
    /// ## References
    /// - CWE-668
    /// - [Kubernetes: Pod Security Standards (baseline)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    /// - [Kubernetes: hostPath volumes](https://kubernetes.io/docs/concepts/storage/volumes/#hostpath)
    pub static RULE = {
        id: "iac/host-path-volume",
        code: "IAC116",
        title: "pod mounts a directory of the node",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

/// Host paths that give away the node: its root, configuration, credentials or kernel.
const SENSITIVE: &[&str] = &[
    "/",
    "/etc",
    "/root",
    "/home",
    "/boot",
    "/dev",
    "/proc",
    "/sys",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/var",
    "/var/lib",
    "/var/lib/kubelet",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/etc/kubernetes",
];

/// Prefixes under which every path is sensitive.
const SENSITIVE_UNDER: &[&str] = &["/etc/kubernetes/", "/var/lib/kubelet/", "/root/", "/etc/ssh/"];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        for hp in host_paths(spec) {
            if is_runtime_socket(&hp.path) {
                continue;
            }
            let sensitive = SENSITIVE.contains(&hp.path.as_str())
                || SENSITIVE_UNDER.iter().any(|p| hp.path.starts_with(p));
            let builder = cx.at(&RULE, r, hp.node);
            if sensitive {
                out.push(builder.severity(Severity::High).message(format!(
                    "{} mounts the node's `{}` (volume `{}`), which gives its containers the node's configuration or credentials",
                    object(r),
                    hp.path,
                    hp.volume
                )));
            } else {
                out.push(builder.message(format!(
                    "{} mounts the node's `{}` (volume `{}`) into its containers",
                    object(r),
                    hp.path,
                    hp.volume
                )));
            }
        }
    }
}
