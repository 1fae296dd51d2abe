//! The pipeline family's rules, one per file.

use jobzero_core::RuleMeta;

use crate::audit::{Cx, Out};

mod adhoc_package;
mod archived_action;
mod bot_condition;
mod broad_app_token;
mod cache_poisoning;
mod dangerous_trigger;
mod dependabot_cooldown;
mod dependabot_external_code;
mod excessive_permissions;
mod forbidden_action;
mod github_env;
mod gitlab_docker_in_docker;
mod gitlab_hardcoded_variable;
mod gitlab_script_injection;
mod gitlab_unpinned_image;
mod gitlab_unpinned_include;
mod hardcoded_container_credentials;
mod insecure_commands;
mod insecure_url;
mod invalid_expression;
mod known_vulnerable_action;
mod missing_concurrency;
mod obfuscation;
mod overprovisioned_secrets;
mod persisted_credentials;
mod secrets_inherit;
mod secrets_outside_environment;
mod self_hosted_runner;
mod superfluous_action;
mod template_injection;
mod typosquatted_action;
mod undocumented_permissions;
mod unnamed_definition;
mod unpinned_action;
mod unpinned_image;
mod unpinned_tool;
mod unredacted_secret;
mod unrestricted_auto_merge;
mod unsafe_shell;
mod unsound_condition;
mod unsound_contains;
mod untrusted_publishing;

pub use adhoc_package::ADHOC_PACKAGE;
pub use archived_action::ARCHIVED_ACTION;
pub use bot_condition::BOT_CONDITION;
pub use broad_app_token::BROAD_APP_TOKEN;
pub use cache_poisoning::CACHE_POISONING;
pub use dangerous_trigger::DANGEROUS_TRIGGER;
pub use dependabot_cooldown::DEPENDABOT_COOLDOWN;
pub use dependabot_external_code::DEPENDABOT_EXTERNAL_CODE;
pub use excessive_permissions::EXCESSIVE_PERMISSIONS;
pub use forbidden_action::FORBIDDEN_ACTION;
pub use github_env::GITHUB_ENV;
pub use gitlab_docker_in_docker::GITLAB_DOCKER_IN_DOCKER;
pub use gitlab_hardcoded_variable::GITLAB_HARDCODED_VARIABLE;
pub use gitlab_script_injection::GITLAB_SCRIPT_INJECTION;
pub use gitlab_unpinned_image::GITLAB_UNPINNED_IMAGE;
pub use gitlab_unpinned_include::GITLAB_UNPINNED_INCLUDE;
pub use hardcoded_container_credentials::HARDCODED_CONTAINER_CREDENTIALS;
pub use insecure_commands::INSECURE_COMMANDS;
pub use insecure_url::INSECURE_URL;
pub use invalid_expression::INVALID_EXPRESSION;
pub use known_vulnerable_action::KNOWN_VULNERABLE_ACTION;
pub use missing_concurrency::MISSING_CONCURRENCY;
pub use obfuscation::OBFUSCATION;
pub use overprovisioned_secrets::OVERPROVISIONED_SECRETS;
pub use persisted_credentials::PERSISTED_CREDENTIALS;
pub use secrets_inherit::SECRETS_INHERIT;
pub use secrets_outside_environment::SECRETS_OUTSIDE_ENVIRONMENT;
pub use self_hosted_runner::SELF_HOSTED_RUNNER;
pub use superfluous_action::SUPERFLUOUS_ACTION;
pub use template_injection::TEMPLATE_INJECTION;
pub use typosquatted_action::TYPOSQUATTED_ACTION;
pub use undocumented_permissions::UNDOCUMENTED_PERMISSIONS;
pub use unnamed_definition::UNNAMED_DEFINITION;
pub use unpinned_action::UNPINNED_ACTION;
pub use unpinned_image::UNPINNED_IMAGE;
pub use unpinned_tool::UNPINNED_TOOL;
pub use unredacted_secret::UNREDACTED_SECRET;
pub use unrestricted_auto_merge::UNRESTRICTED_AUTO_MERGE;
pub use unsafe_shell::UNSAFE_SHELL;
pub use unsound_condition::UNSOUND_CONDITION;
pub use unsound_contains::UNSOUND_CONTAINS;
pub use untrusted_publishing::UNTRUSTED_PUBLISHING;

/// Every rule of the family, in code order.
pub static RULES: &[&RuleMeta] = &[
    &UNPINNED_ACTION,
    &TEMPLATE_INJECTION,
    &DANGEROUS_TRIGGER,
    &EXCESSIVE_PERMISSIONS,
    &PERSISTED_CREDENTIALS,
    &CACHE_POISONING,
    &SELF_HOSTED_RUNNER,
    &SECRETS_INHERIT,
    &OVERPROVISIONED_SECRETS,
    &HARDCODED_CONTAINER_CREDENTIALS,
    &INSECURE_COMMANDS,
    &GITHUB_ENV,
    &BOT_CONDITION,
    &UNPINNED_IMAGE,
    &UNSOUND_CONTAINS,
    &UNSOUND_CONDITION,
    &OBFUSCATION,
    &KNOWN_VULNERABLE_ACTION,
    &UNRESTRICTED_AUTO_MERGE,
    &UNTRUSTED_PUBLISHING,
    &BROAD_APP_TOKEN,
    &ARCHIVED_ACTION,
    &TYPOSQUATTED_ACTION,
    &UNPINNED_TOOL,
    &ADHOC_PACKAGE,
    &INSECURE_URL,
    &SECRETS_OUTSIDE_ENVIRONMENT,
    &SUPERFLUOUS_ACTION,
    &MISSING_CONCURRENCY,
    &DEPENDABOT_EXTERNAL_CODE,
    &DEPENDABOT_COOLDOWN,
    &UNREDACTED_SECRET,
    &UNSAFE_SHELL,
    &FORBIDDEN_ACTION,
    &INVALID_EXPRESSION,
    &UNDOCUMENTED_PERMISSIONS,
    &UNNAMED_DEFINITION,
    &GITLAB_UNPINNED_INCLUDE,
    &GITLAB_UNPINNED_IMAGE,
    &GITLAB_HARDCODED_VARIABLE,
    &GITLAB_SCRIPT_INJECTION,
    &GITLAB_DOCKER_IN_DOCKER,
];

/// A rule's check.
type Check = fn(&Cx<'_>, &mut Out);

/// Every check, in the order of [`RULES`].
const CHECKS: &[Check] = &[
    unpinned_action::check,
    template_injection::check,
    dangerous_trigger::check,
    excessive_permissions::check,
    persisted_credentials::check,
    cache_poisoning::check,
    self_hosted_runner::check,
    secrets_inherit::check,
    overprovisioned_secrets::check,
    hardcoded_container_credentials::check,
    insecure_commands::check,
    github_env::check,
    bot_condition::check,
    unpinned_image::check,
    unsound_contains::check,
    unsound_condition::check,
    obfuscation::check,
    known_vulnerable_action::check,
    unrestricted_auto_merge::check,
    untrusted_publishing::check,
    broad_app_token::check,
    archived_action::check,
    typosquatted_action::check,
    unpinned_tool::check,
    adhoc_package::check,
    insecure_url::check,
    secrets_outside_environment::check,
    superfluous_action::check,
    missing_concurrency::check,
    dependabot_external_code::check,
    dependabot_cooldown::check,
    unredacted_secret::check,
    unsafe_shell::check,
    forbidden_action::check,
    invalid_expression::check,
    undocumented_permissions::check,
    unnamed_definition::check,
    gitlab_unpinned_include::check,
    gitlab_unpinned_image::check,
    gitlab_hardcoded_variable::check,
    gitlab_script_injection::check,
    gitlab_docker_in_docker::check,
];

/// Runs every rule on one file.
pub fn check_all(cx: &Cx<'_>, out: &mut Out) {
    for check in CHECKS {
        check(cx, out);
    }
}
