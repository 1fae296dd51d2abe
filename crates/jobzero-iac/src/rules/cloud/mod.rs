//! Azure and Google Cloud resources of Terraform modules.

mod util;

jobzero_core::rule_set! {
    /// The group's rules, in code order.
    pub static RULES: super::Check = [
        azure_storage_account_insecure_transport,
        azure_storage_public_blob_access,
        azure_storage_account_network_open,
        azure_nsg_open_admin_port,
        azure_database_firewall_open,
        azure_database_insecure_transport,
        azure_sql_auditing_disabled,
        azure_sql_threat_detection_disabled,
        azure_key_vault_purge_protection_disabled,
        azure_key_vault_network_open,
        azure_vm_password_authentication,
        azure_app_service_insecure_transport,
        azure_aks_rbac_disabled,
        azure_aks_api_server_open,
        azure_aks_logging_disabled,
        azure_activity_log_retention_short,
        azure_security_center_alerts_off,
        gcp_public_access_grant,
        gcp_firewall_open_admin_port,
        gcp_sql_authorized_network_open,
        gcp_sql_ssl_not_required,
        gcp_instance_serial_port_enabled,
        gcp_instance_project_ssh_keys_allowed,
        gcp_instance_default_service_account_full_scope,
        gcp_gke_legacy_abac,
        gcp_gke_control_plane_open,
        gcp_gke_basic_auth,
        gcp_gke_logging_disabled,
        gcp_gke_node_metadata_exposed,
        gcp_iam_basic_role,
    ];
}
