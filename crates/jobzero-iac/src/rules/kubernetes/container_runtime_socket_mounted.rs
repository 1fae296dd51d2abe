use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{RUNTIME_SOCKETS, host_paths, is_runtime_socket, object};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A pod (a Pod, or the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet,
    /// Job, CronJob or PodTemplate) with a `hostPath` volume on a container runtime socket
    /// (`/var/run/docker.sock`, `/run/containerd/containerd.sock`, `/var/run/crio/crio.sock`,
    /// `/run/k3s/containerd/containerd.sock`, `/var/run/cri-dockerd.sock`, Podman's socket) or
    /// on a directory that holds one (`/var/run`, `/run`, `/run/containerd`, ...).
    ///
    /// ## Why it matters
    /// The runtime socket is an unauthenticated root API on the node: whoever can write to it
    /// starts a privileged container with the node's file system mounted, reads every other
    /// container's environment and secrets, and owns the node. A compromised build agent or
    /// monitoring tool with the socket is a compromised node.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: docker
    ///     hostPath:
    ///       path: /var/run/docker.sock
    /// ```
    ///
    /// ## Remediation
    /// Remove the socket mount: build images with a daemonless builder (BuildKit rootless,
    /// Kaniko, Buildah), and read container metadata from the Kubernetes API or the kubelet
    /// instead of the runtime.
    ///
    /// ## References
    /// - CWE-250
    /// - [Kubernetes: Pod Security Standards (baseline)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    /// - [Docker: protect the Docker daemon socket](https://docs.docker.com/engine/security/protect-access/)
    /// - Checkov CKV_K8S_27
    pub static RULE = {
        id: "iac/container-runtime-socket-mounted",
        code: "IAC117",
        title: "pod mounts the node's container runtime socket",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        for hp in host_paths(spec) {
            if !is_runtime_socket(&hp.path) {
                continue;
            }
            let what = if RUNTIME_SOCKETS.contains(&hp.path.as_str()) {
                "the container runtime socket"
            } else {
                "the directory of the container runtime socket"
            };
            out.push(cx.at(&RULE, r, hp.node).message(format!(
                "{} mounts {what} `{}` (volume `{}`), which gives its containers root on the node",
                object(r),
                hp.path,
                hp.volume
            )));
        }
    }
}
