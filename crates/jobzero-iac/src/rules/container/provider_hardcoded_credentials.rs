use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use jobzero_secrets::literal::{is_filler, is_literal};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Terraform `provider` block that holds a literal credential: `aws`/`awscc`
    /// `access_key`, `secret_key`, `token`; `azurerm`/`azuread` `client_secret`; `google`
    /// `credentials` given as inline JSON, `access_token`; the `token`, `api_key`,
    /// `password` or private-key arguments of `github`, `gitlab`, `kubernetes`, `helm`,
    /// `vault`, `cloudflare`, `datadog`, `digitalocean`, `linode`, `openstack`, `oci`,
    /// `panos`, `postgresql`, `mysql`, `snowflake`, `tfe` and others. A value that comes
    /// from a variable counts when the variable's default (or `terraform.tfvars`) is the
    /// literal; variables without a value, `file(...)`, environment lookups and dummy values
    /// such as `test` or `mock_access_key` (LocalStack setups) are not reported.
    ///
    /// ## Why it matters
    /// Provider credentials are usually the most powerful in the code base: they create and
    /// delete the whole infrastructure. Committed, they are readable by everyone with access
    /// to the repository, its forks and its CI logs, and they keep working until someone
    /// rotates them.
    ///
    /// ## Example
    /// ```hcl
    /// provider "aws" {
    ///   region     = "eu-west-1"
    ///   access_key = "AKIAIOSFODNN7EXAMPLE"
    ///   secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Remove the credential from the code, rotate it, and let the provider find credentials
    /// in its environment: an assumed role or OIDC federation in CI, an instance or workload
    /// identity, `AWS_PROFILE`/`GITHUB_TOKEN`-style environment variables, or a secrets
    /// manager data source.
    ///
    /// ## References
    /// - CWE-798
    /// - [Terraform AWS provider: authentication](https://registry.terraform.io/providers/hashicorp/aws/latest/docs#authentication-and-configuration)
    /// - Checkov CKV_AWS_41, CKV_LIN_1, CKV_OCI_1, CKV_OPENSTACK_1, CKV_PAN_1
    pub static RULE = {
        id: "iac/provider-hardcoded-credentials",
        code: "IAC153",
        title: "credentials hard-coded in a Terraform provider block",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

/// Providers and the arguments that hold their credentials.
const PROVIDERS: &[(&str, &[&str])] = &[
    ("provider.aws", &["access_key", "secret_key", "token"]),
    ("provider.awscc", &["access_key", "secret_key", "token"]),
    ("provider.alicloud", &["access_key", "secret_key", "security_token"]),
    ("provider.azurerm", &["client_secret", "client_certificate_password"]),
    ("provider.azuread", &["client_secret", "client_certificate_password"]),
    ("provider.azuredevops", &["personal_access_token", "client_secret"]),
    ("provider.google", &["credentials", "access_token"]),
    ("provider.google-beta", &["credentials", "access_token"]),
    ("provider.github", &["token"]),
    ("provider.gitlab", &["token"]),
    ("provider.kubernetes", &["token", "password", "client_key"]),
    (
        "provider.helm",
        &["kubernetes.token", "kubernetes.password", "kubernetes.client_key"],
    ),
    ("provider.vault", &["token"]),
    ("provider.consul", &["token"]),
    ("provider.nomad", &["secret_id"]),
    ("provider.cloudflare", &["api_token", "api_key"]),
    ("provider.datadog", &["api_key", "app_key"]),
    ("provider.newrelic", &["api_key", "admin_api_key"]),
    ("provider.digitalocean", &["token", "spaces_secret_key"]),
    ("provider.linode", &["token"]),
    ("provider.hcloud", &["token"]),
    ("provider.heroku", &["api_key"]),
    ("provider.openstack", &["password", "token", "application_credential_secret"]),
    ("provider.oci", &["private_key", "private_key_password"]),
    ("provider.panos", &["password", "api_key"]),
    ("provider.postgresql", &["password"]),
    ("provider.mysql", &["password"]),
    ("provider.snowflake", &["password", "private_key"]),
    ("provider.tfe", &["token"]),
    ("provider.pagerduty", &["token"]),
    ("provider.opsgenie", &["api_key"]),
    ("provider.okta", &["api_token", "private_key"]),
    ("provider.auth0", &["client_secret", "api_token"]),
    ("provider.grafana", &["auth"]),
    ("provider.vsphere", &["password"]),
    ("provider.fastly", &["api_key"]),
    ("provider.scaleway", &["secret_key"]),
    ("provider.rancher2", &["token_key", "secret_key"]),
];

/// Whether the literal in `attr` is the credential itself, not a path to it.
fn is_credential(attr: &str, value: &str) -> bool {
    let last = attr.rsplit('.').next().unwrap_or(attr);
    match last {
        // A file path or the key's JSON; only the JSON is the secret.
        "credentials" => value.trim_start().starts_with('{'),
        // A path or the PEM text.
        "private_key" | "client_key" => value.contains("PRIVATE KEY"),
        _ => true,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, attrs) in PROVIDERS {
        for r in cx.of(&[*rtype]) {
            for attr in *attrs {
                let Some(node) = r.at(attr) else { continue };
                let Some(value) = node.as_str() else { continue };
                if !is_literal(value) || is_filler(value) || !is_credential(attr, value) {
                    continue;
                }
                out.push(cx.at(&RULE, r, node).message(format!(
                    "`{}` sets `{attr}` to a hard-coded credential",
                    r.addr
                )));
            }
        }
    }
}
