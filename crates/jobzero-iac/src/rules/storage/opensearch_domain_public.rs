use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Val;

use super::util::{
    Found, SEARCH_DOMAINS, Switch, domain_key, find, fine_grained_access, public_statement, switch,
};

declare_rule! {
    /// ## What it finds
    /// An OpenSearch or Elasticsearch domain with an internet endpoint (no `vpc_options`, no
    /// `VPCOptions`) whose access policy allows anyone: a statement with `Effect: Allow` to the
    /// principal `*` and no condition limiting it (an `aws:SourceIp` range other than the
    /// whole internet, an account, an organisation). Policies are read from `access_policies`
    /// of `aws_opensearch_domain` and `aws_elasticsearch_domain`, from linked
    /// `aws_opensearch_domain_policy` and `aws_elasticsearch_domain_policy` resources, and
    /// from `AccessPolicies` of CloudFormation `AWS::OpenSearchService::Domain` and
    /// `AWS::Elasticsearch::Domain`. Domains with fine-grained access control (and anonymous
    /// access off) still authenticate every request and are not reported.
    ///
    /// ## Why it matters
    /// With an open policy and a public endpoint, anyone who finds the domain's URL can
    /// search, read and (with `es:*`) write or delete every index, without credentials.
    /// Exposed search clusters are among the largest sources of leaked personal data.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   domain_name = "search"
    ///   access_policies = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Principal = "*", Action = "es:*", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Put the domain in a VPC (`vpc_options`), or name IAM principals in the access policy,
    /// or turn on fine-grained access control with a master user and no anonymous access.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: identity and access management in Amazon OpenSearch Service](https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html)
    pub static RULE = {
        id: "iac/opensearch-domain-public",
        code: "IAC046",
        title: "search domain open to anyone on the internet",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

/// Whether a domain's endpoint is reachable from the internet without authentication when
/// its policy allows it: no VPC, and no fine-grained access control (or anonymous access on).
fn exposed(d: &Resource) -> bool {
    let vpc = domain_key(d, "vpc_options", "VPCOptions");
    if !matches!(find(&d.body, vpc), Found::Absent) {
        return false;
    }
    let anonymous = domain_key(
        d,
        "advanced_security_options.anonymous_auth_enabled",
        "AdvancedSecurityOptions.AnonymousAuthEnabled",
    );
    !fine_grained_access(d) || matches!(switch(&d.body, anonymous), Switch::On)
}

/// The domain a policy resource attaches to, when it can be found.
fn domain_of<'a>(cx: &Cx<'a>, policy: &Resource) -> Option<&'a Resource> {
    let target = policy.at("domain_name")?;
    match &target.val {
        Val::Ref(addr) => cx.graph.get(addr),
        Val::Str(name) => cx
            .graph
            .of(SEARCH_DOMAINS)
            .find(|d| d.str_at("domain_name") == Some(name.as_str())),
        _ => None,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for d in cx.of(SEARCH_DOMAINS) {
        let key = domain_key(d, "access_policies", "AccessPolicies");
        let Some(policy) = d.at(key) else {
            continue;
        };
        if !exposed(d) {
            continue;
        }
        let Some(p) = public_statement(cx, &RULE, d, policy) else {
            continue;
        };
        let mut f = p.finding.message(format!(
            "domain `{}` allows anyone (`Principal: *`) `{}` and has neither a VPC nor fine-grained access control, so its indices are open to the internet",
            d.addr, p.actions
        ));
        if p.full {
            f = f.severity(Severity::Critical);
        }
        out.push(f);
    }
    for r in cx.of(&[
        "aws_opensearch_domain_policy",
        "aws_elasticsearch_domain_policy",
    ]) {
        let (Some(policy), Some(d)) = (r.at("access_policies"), domain_of(cx, r)) else {
            continue;
        };
        if !exposed(d) {
            continue;
        }
        let Some(p) = public_statement(cx, &RULE, r, policy) else {
            continue;
        };
        let mut f = p.finding.message(format!(
            "`{}` allows anyone (`Principal: *`) `{}` on domain `{}`, which has neither a VPC nor fine-grained access control, so its indices are open to the internet",
            r.addr, p.actions, d.addr
        ));
        if p.full {
            f = f.severity(Severity::Critical);
        }
        out.push(f);
    }
}
