//! The IAM family's rules, one per file.

use jobzero_core::check::Sink;
use jobzero_core::rule::RetiredRule;

use crate::audit::Cx;

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
        service_wildcard,
        data_exfiltration,
        credentials_exposure,
        role_assumable_without_mfa,
    ];
}

/// Runs every rule on one policy.
pub fn check_all(cx: &Cx<'_>, out: &mut Sink) {
    for rule in RULES {
        (rule.check)(cx, out);
    }
}

/// The IaC family's rules that judged policy documents: the iam family, which reads the same
/// policies out of Terraform and CloudFormation, reports their findings now.
pub static RETIRED: &[RetiredRule] = &[
    RetiredRule {
        id: "iac/s3-bucket-policy-public",
        code: "IAC013",
        replaced_by: "iam/public-access",
        since: "0.2.0",
    },
    RetiredRule {
        id: "iac/sqs-queue-policy-public",
        code: "IAC034",
        replaced_by: "iam/public-access",
        since: "0.2.0",
    },
    RetiredRule {
        id: "iac/sns-topic-policy-public",
        code: "IAC036",
        replaced_by: "iam/public-access",
        since: "0.2.0",
    },
    RetiredRule {
        id: "iac/ecr-repository-policy-public",
        code: "IAC051",
        replaced_by: "iam/public-access",
        since: "0.2.0",
    },
    RetiredRule {
        id: "iac/kms-key-policy-public",
        code: "IAC054",
        replaced_by: "iam/public-access",
        since: "0.2.0",
    },
    RetiredRule {
        id: "iac/glacier-vault-policy-public",
        code: "IAC059",
        replaced_by: "iam/public-access",
        since: "0.2.0",
    },
    RetiredRule {
        id: "iac/iam-policy-admin-access",
        code: "IAC095",
        replaced_by: "iam/full-admin-access",
        since: "0.2.0",
    },
    RetiredRule {
        id: "iac/iam-policy-privilege-escalation",
        code: "IAC097",
        replaced_by: "iam/privilege-escalation",
        since: "0.2.0",
    },
    RetiredRule {
        id: "iac/iam-role-trusts-anyone",
        code: "IAC100",
        replaced_by: "iam/trust-any-principal",
        since: "0.2.0",
    },
    RetiredRule {
        id: "iac/iam-role-cross-account-without-external-id",
        code: "IAC101",
        replaced_by: "iam/trust-cross-account-without-external-id",
        since: "0.2.0",
    },
    RetiredRule {
        id: "iac/iam-policy-service-wildcard",
        code: "IAC096",
        replaced_by: "iam/service-wildcard",
        since: "0.2.0",
    },
    RetiredRule {
        id: "iac/iam-policy-data-exfiltration",
        code: "IAC098",
        replaced_by: "iam/data-exfiltration",
        since: "0.2.0",
    },
    RetiredRule {
        id: "iac/iam-policy-credentials-exposure",
        code: "IAC099",
        replaced_by: "iam/credentials-exposure",
        since: "0.2.0",
    },
    RetiredRule {
        id: "iac/iam-role-assumable-without-mfa",
        code: "IAC102",
        replaced_by: "iam/role-assumable-without-mfa",
        since: "0.2.0",
    },
];
