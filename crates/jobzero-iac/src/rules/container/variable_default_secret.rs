use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use jobzero_secrets::names::is_secret_name;
use jobzero_secrets::literal::is_literal;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Terraform `variable` whose name is a secret's (`db_password`, `api_token`,
    /// `client_secret`, `github_token`, `private_key`) and whose `default` is a non-empty
    /// literal string. Names that only point at a secret (`…_arn`, `…_name`, `…_file`,
    /// `…_length`) and defaults that are empty, `null`, references or templates are not
    /// reported.
    ///
    /// ## Why it matters
    /// A default makes the value part of the module's code: every caller that does not
    /// override it deploys the same, publicly known secret, and the value is readable by
    /// everyone with access to the repository. `sensitive = true` only hides it from the
    /// plan output, not from the code or the state.
    ///
    /// ## Example
    /// ```hcl
    /// variable "db_password" {
    ///   type      = string
    ///   sensitive = true
    ///   default   = "Sup3r-S3cret-Pw"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Remove the default so callers must pass the value (from a secrets manager, a CI
    /// secret or `TF_VAR_db_password`), and rotate the value that was committed:
    /// `variable "db_password" { type = string  sensitive = true }`.
    ///
    /// ## References
    /// - CWE-798
    /// - [Terraform: protect sensitive input variables](https://developer.hashicorp.com/terraform/tutorials/configuration-language/sensitive-variables)
    pub static RULE = {
        id: "iac/variable-default-secret",
        code: "IAC155",
        title: "secret-looking variable has a hard-coded default",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["variable"]) {
        if !is_secret_name(&r.name) {
            continue;
        }
        let Some(default) = r.body.get_direct("default") else {
            continue;
        };
        let Some(value) = default.as_str() else {
            continue;
        };
        if !is_literal(value) {
            continue;
        }
        out.push(cx.at(&RULE, r, default).message(format!(
            "variable `{}` has a hard-coded default, deployed by every caller that does not override it",
            r.name
        )));
    }
}
