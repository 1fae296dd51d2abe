//! The IAM family's rules, one per file.

use jobzero_core::check::Sink;

use crate::scanner::Cx;

mod util;

/// A rule's check.
pub(crate) type Check = fn(&Cx<'_>, &mut Sink);

jobzero_core::rule_set! {
    /// Every rule of the family, in code order.
    pub static RULES: Check = [
        policy_grammar_error,
        unknown_action,
        wildcard_matches_no_action,
        invalid_condition_operator,
        unknown_condition_key,
        allow_with_not_element,
        full_admin_access,
        passrole_any_resource,
        privilege_escalation,
        trust_any_principal,
        trust_cross_account_without_external_id,
        public_access,
        redundant_statement,
        action_resource_mismatch,
        condition_type_mismatch,
        trust_principal_type_mismatch,
        sensitive_action_without_mfa,
        control_policy_grammar,
    ];
}

/// Runs every rule on one policy.
pub fn check_all(cx: &Cx<'_>, out: &mut Sink) {
    for rule in RULES {
        (rule.check)(cx, out);
    }
}
