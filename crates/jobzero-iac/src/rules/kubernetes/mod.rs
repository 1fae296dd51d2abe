//! Kubernetes workloads, RBAC and services.

mod support;

jobzero_core::rule_set! {
    /// The group's rules, in code order.
    pub static RULES: super::Check = [
        privileged_container,
        privilege_escalation_allowed,
        container_may_run_as_root,
        host_network,
        host_pid,
        host_ipc,
        host_path_volume,
        container_runtime_socket_mounted,
        dangerous_capability_added,
        capabilities_not_dropped,
        root_filesystem_writable,
        resource_limits_missing,
        image_tag_latest,
        image_not_pinned_by_digest,
        secret_in_env_value,
        service_account_token_automounted,
        rbac_wildcard_permissions,
        cluster_admin_binding,
        rbac_binding_to_anonymous,
        rbac_secrets_read,
        rbac_pod_exec,
        rbac_escalate_bind_impersonate,
        host_port_bound,
        service_load_balancer_open,
        ingress_without_tls,
        seccomp_unconfined,
        seccomp_profile_missing,
        apparmor_unconfined,
        proc_mount_unmasked,
        unsafe_sysctls,
    ];
}
