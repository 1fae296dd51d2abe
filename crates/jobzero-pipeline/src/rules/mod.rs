//! The pipeline family's rules, one per file.

use jobzero_core::check::Sink;

use crate::audit::Cx;

/// A rule's check.
pub(crate) type Check = fn(&Cx<'_>, &mut Sink);

jobzero_core::rule_set! {
    /// Every rule of the family, in code order.
    pub static RULES: Check = [
        unpinned_action,
        template_injection,
        dangerous_trigger,
        excessive_permissions,
        persisted_credentials,
        cache_poisoning,
        self_hosted_runner,
        secrets_inherit,
        overprovisioned_secrets,
        hardcoded_container_credentials,
        insecure_commands,
        github_env,
        bot_condition,
        unpinned_image,
        unsound_contains,
        unsound_condition,
        obfuscation,
        known_vulnerable_action,
        unrestricted_auto_merge,
        untrusted_publishing,
        broad_app_token,
        archived_action,
        typosquatted_action,
        unpinned_tool,
        adhoc_package,
        insecure_url,
        secrets_outside_environment,
        superfluous_action,
        missing_concurrency,
        dependabot_external_code,
        dependabot_cooldown,
        unredacted_secret,
        unsafe_shell,
        forbidden_action,
        invalid_expression,
        undocumented_permissions,
        unnamed_definition,
        gitlab_unpinned_include,
        gitlab_unpinned_image,
        gitlab_hardcoded_variable,
        gitlab_script_injection,
        gitlab_docker_in_docker,
        precommit_unpinned_hook,
    ];
}

/// Runs every rule on one file.
pub fn check_all(cx: &Cx<'_>, out: &mut Sink) {
    for rule in RULES {
        (rule.check)(cx, out);
    }
}
