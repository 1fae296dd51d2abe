//! Helpers shared by the Kubernetes rules: the security settings a container inherits from its
//! pod, pod-template metadata, host paths, capabilities, image references, RBAC rule items and
//! the wording of messages.

use crate::kube;
use crate::model::Resource;
use crate::node::{Node, Val};

/// "container `web` of Deployment `api`", for messages.
pub(crate) fn container_of(r: &Resource, c: &Node) -> String {
    format!("container `{}` of {} `{}`", kube::name(c), r.rtype, r.name)
}

/// "container `web` of Deployment `api`" or "containers `web`, `sidecar` of Deployment `api`".
pub(crate) fn containers_of(r: &Resource, names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let noun = if quoted.len() == 1 {
        "container"
    } else {
        "containers"
    };
    format!("{noun} {} of {} `{}`", quoted.join(", "), r.rtype, r.name)
}

/// "Deployment `api`", for messages.
pub(crate) fn object(r: &Resource) -> String {
    format!("{} `{}`", r.rtype, r.name)
}

/// `securityContext.<key>` of a container or a pod spec, unless absent or `null`.
pub(crate) fn own<'a>(n: &'a Node, key: &str) -> Option<&'a Node> {
    n.get_direct("securityContext")
        .and_then(|s| s.get_direct(key))
        .filter(|v| !v.is_null())
}

/// The `securityContext.<key>` that applies to container `c` of the pod spec `spec`: the
/// container's own, else the pod's (for the settings containers inherit from their pod:
/// `runAsUser`, `runAsNonRoot`, `seccompProfile`, `appArmorProfile`, `seLinuxOptions`).
pub(crate) fn inherited<'a>(spec: &'a Node, c: &'a Node, key: &str) -> Option<&'a Node> {
    own(c, key).or_else(|| own(spec, key))
}

/// Whether the pod is meant for Windows nodes, where the Linux settings (users, capabilities,
/// seccomp, read-only root file system) do not apply.
pub(crate) fn is_windows(spec: &Node) -> bool {
    let os = spec
        .get_direct("os")
        .and_then(|o| o.get_direct("name"))
        .and_then(Node::as_str);
    let selector = spec
        .get_direct("nodeSelector")
        .and_then(|s| s.get_direct("kubernetes.io/os"))
        .and_then(Node::as_str);
    os.or(selector)
        .is_some_and(|o| o.eq_ignore_ascii_case("windows"))
}

/// The metadata of the pods a workload creates (where pod annotations live).
pub(crate) fn pod_metadata(r: &Resource) -> Option<&Node> {
    match r.rtype.as_str() {
        "Pod" => r.at("metadata"),
        "CronJob" => r.at("spec.jobTemplate.spec.template.metadata"),
        "PodTemplate" => r.at("template.metadata"),
        _ => r.at("spec.template.metadata"),
    }
}

/// The pod annotation `key` of a workload (annotation keys hold dots and slashes, so they
/// are looked up directly, not by a dotted path).
pub(crate) fn pod_annotation<'a>(r: &'a Resource, key: &str) -> Option<&'a Node> {
    pod_metadata(r)?.get_direct("annotations")?.get_direct(key)
}

/// The annotation `key` of the object itself (a Service, an Ingress).
pub(crate) fn object_annotation<'a>(r: &'a Resource, key: &str) -> Option<&'a Node> {
    r.at("metadata")?.get_direct("annotations")?.get_direct(key)
}

/// A scalar as text: strings as written, booleans and numbers as YAML would print them.
pub(crate) fn text(n: &Node) -> Option<String> {
    match &n.val {
        Val::Str(s) => Some(s.clone()),
        Val::Bool(b) => Some(b.to_string()),
        Val::Num(x) => Some(x.to_string()),
        _ => None,
    }
}

/// The known strings of the list (or single string) `key` of `n`, each with its node.
pub(crate) fn items_of<'a>(n: &'a Node, key: &str) -> Vec<(&'a str, &'a Node)> {
    let Some(v) = n.get_direct(key) else {
        return Vec::new();
    };
    match &v.val {
        Val::List(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(|s| (s, i)))
            .collect(),
        Val::Str(s) => vec![(s.as_str(), v)],
        _ => Vec::new(),
    }
}

/// A Linux capability by its canonical name: upper case, without the `CAP_` prefix.
pub(crate) fn capability(s: &str) -> String {
    let up = s.trim().to_ascii_uppercase();
    if let Some(rest) = up.strip_prefix("CAP_") {
        return rest.to_owned();
    }
    up
}

/// The capabilities container `c` adds, canonical, each with its node.
pub(crate) fn added_capabilities(c: &Node) -> Vec<(String, &Node)> {
    own(c, "capabilities")
        .map(|caps| items_of(caps, "add"))
        .unwrap_or_default()
        .into_iter()
        .map(|(s, n)| (capability(s), n))
        .collect()
}

/// Container runtime sockets: whoever can write to one controls every container of the node.
pub(crate) const RUNTIME_SOCKETS: &[&str] = &[
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock",
    "/run/cri-dockerd.sock",
    "/run/k3s/containerd/containerd.sock",
    "/var/run/podman/podman.sock",
    "/run/podman/podman.sock",
];

/// Directories that hold a container runtime socket.
pub(crate) const RUNTIME_SOCKET_DIRS: &[&str] = &[
    "/var/run",
    "/run",
    "/var/run/containerd",
    "/run/containerd",
    "/var/run/crio",
    "/run/crio",
    "/var/run/docker",
    "/run/docker",
];

/// Whether a (normalised) host path is a container runtime socket or the directory of one.
pub(crate) fn is_runtime_socket(path: &str) -> bool {
    RUNTIME_SOCKETS.contains(&path) || RUNTIME_SOCKET_DIRS.contains(&path)
}

/// One `hostPath` volume of a pod spec.
pub(crate) struct HostPath<'a> {
    /// The volume's name.
    pub(crate) volume: &'a str,
    /// The `hostPath.path` node.
    pub(crate) node: &'a Node,
    /// The path without trailing slashes (`/` for the root).
    pub(crate) path: String,
}

/// Every `hostPath` volume of a pod spec whose path is known.
pub(crate) fn host_paths(spec: &Node) -> Vec<HostPath<'_>> {
    spec.all("volumes")
        .into_iter()
        .filter_map(|v| {
            let node = v.get_direct("hostPath")?.get_direct("path")?;
            let raw = node.as_str()?;
            let trimmed = raw.trim().trim_end_matches('/');
            let path = if trimmed.is_empty() {
                "/".to_owned()
            } else {
                trimmed.to_owned()
            };
            Some(HostPath {
                volume: v
                    .get_direct("name")
                    .and_then(Node::as_str)
                    .unwrap_or("(unnamed)"),
                node,
                path,
            })
        })
        .collect()
}

/// What an image reference pins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageRef<'a> {
    /// `name@sha256:...` (with or without a tag): immutable.
    Digest,
    /// `name:tag`.
    Tag(&'a str),
    /// `name` alone: `latest`.
    Untagged,
}

/// What the image reference `image` pins; `None` for an empty or templated reference.
pub(crate) fn image_ref(image: &str) -> Option<ImageRef<'_>> {
    let image = image.trim();
    if image.is_empty() || image.contains('$') || image.contains('{') {
        return None;
    }
    if image.contains('@') {
        return Some(ImageRef::Digest);
    }
    // The tag follows the last `:` of the last path component (a registry may have a port).
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, tag)) => Some(ImageRef::Tag(tag)),
        None => Some(ImageRef::Untagged),
    }
}

/// Whether an RBAC list of verbs (or resources, or API groups) holds `word` or `*`.
pub(crate) fn grants(items: &[(&str, &Node)], word: &str) -> bool {
    items
        .iter()
        .any(|(s, _)| *s == "*" || s.eq_ignore_ascii_case(word))
}

/// Whether an RBAC rule applies to the core API group (`""`, `*`, or no `apiGroups`).
pub(crate) fn core_group(rule: &Node) -> bool {
    let groups = items_of(rule, "apiGroups");
    groups.is_empty() || groups.iter().any(|(g, _)| g.is_empty() || *g == "*")
}

/// "ServiceAccount `kube-system/ci`", for messages.
pub(crate) fn subject(s: &Node) -> String {
    let kind = s
        .get_direct("kind")
        .and_then(Node::as_str)
        .unwrap_or("subject");
    let name = s
        .get_direct("name")
        .and_then(Node::as_str)
        .unwrap_or("(unnamed)");
    match s.get_direct("namespace").and_then(Node::as_str) {
        Some(ns) => format!("{kind} `{ns}/{name}`"),
        None => format!("{kind} `{name}`"),
    }
}

/// The subjects of a binding, for messages: at most three, then how many more.
pub(crate) fn subjects(list: &[&Node]) -> String {
    let mut shown: Vec<String> = list.iter().take(3).map(|s| subject(s)).collect();
    if list.len() > 3 {
        shown.push(format!("{} more", list.len() - 3));
    }
    shown.join(", ")
}

/// Findings grouped by the node they point at: a pod-level setting inherited by several
/// containers is reported once, naming every container it applies to.
pub(crate) fn group<'a>(hits: Vec<(&'a Node, &'a Node)>) -> Vec<(&'a Node, Vec<&'a str>)> {
    let mut out: Vec<(&'a Node, Vec<&'a str>)> = Vec::new();
    for (node, c) in hits {
        let name = kube::name(c);
        match out
            .iter_mut()
            .find(|(n, _)| n.route == node.route && n.pos == node.pos)
        {
            Some((_, names)) => names.push(name),
            None => out.push((node, vec![name])),
        }
    }
    out
}

/// The seccomp profile that applies to container `c`, in the order the kubelet reads it:
/// the container's `seccompProfile.type`, the pod's, the container's legacy annotation, the
/// pod's legacy annotation.
pub(crate) fn seccomp<'a>(r: &'a Resource, spec: &'a Node, c: &'a Node) -> Option<&'a Node> {
    let field = |n: &'a Node| own(n, "seccompProfile").and_then(|p| p.get_direct("type"));
    field(c)
        .or_else(|| field(spec))
        .or_else(|| {
            pod_annotation(
                r,
                &format!(
                    "container.seccomp.security.alpha.kubernetes.io/{}",
                    kube::name(c)
                ),
            )
        })
        .or_else(|| pod_annotation(r, "seccomp.security.alpha.kubernetes.io/pod"))
        .filter(|n| !n.is_null())
}
