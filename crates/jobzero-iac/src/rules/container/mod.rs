//! Dockerfiles, hard-coded secrets in infrastructure code, and pinning.

mod ecs;
mod instructions;
mod secrets;
mod shell;

jobzero_core::rule_set! {
    /// The group's rules, in code order.
    pub static RULES: super::Check = [
        docker_root_user,
        docker_base_image_latest,
        docker_base_image_unpinned,
        docker_add_remote_url,
        docker_add_local_file,
        docker_curl_pipe_shell,
        docker_secret_in_env_or_arg,
        docker_copies_secret_file,
        docker_sudo,
        docker_tls_verification_disabled,
        docker_package_verification_disabled,
        docker_ssh_port_exposed,
        docker_world_writable,
        provider_hardcoded_credentials,
        hardcoded_database_password,
        variable_default_secret,
        lambda_environment_secret,
        instance_user_data_secret,
        ecs_task_secret_in_environment,
        codebuild_environment_secret,
        ecs_task_privileged,
        ecs_task_host_network,
        ecs_task_host_process_namespace,
        ecs_task_root_user,
        ecs_task_writable_root_fs,
        codebuild_privileged_mode,
        module_source_unpinned,
        lambda_runtime_deprecated,
    ];
}
