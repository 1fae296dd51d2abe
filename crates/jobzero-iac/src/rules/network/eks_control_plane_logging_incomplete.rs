use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::node::Node;

use super::common::{known_strings, listing};

declare_rule! {
    /// ## What it finds
    /// An EKS cluster that does not send its `api` and `audit` control-plane logs to
    /// CloudWatch: `aws_eks_cluster` whose `enabled_cluster_log_types` is missing or lacks one
    /// of them, CloudFormation `AWS::EKS::Cluster` whose `Logging.ClusterLogging.EnabledTypes`
    /// is missing or lacks one of them.
    ///
    /// ## Why it matters
    /// The Kubernetes audit log is the only record of who read secrets, created pods or
    /// changed RBAC in the cluster; EKS keeps it nowhere unless it is exported.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.cluster.arn
    ///   vpc_config {
    ///     subnet_ids = var.private_subnets
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Enable at least the `api` and `audit` log types (and `authenticator` to trace IAM
    /// identities): `enabled_cluster_log_types = ["api", "audit", "authenticator"]`.
    ///
    /// ## References
    /// - CWE-778
    /// - [AWS: send control plane logs to CloudWatch Logs](https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html)
    /// - Checkov CKV_AWS_37
    pub static RULE = {
        id: "iac/eks-control-plane-logging-incomplete",
        code: "IAC088",
        title: "an EKS cluster without API and audit logs",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

/// The log types the rule requires.
const REQUIRED: &[&str] = &["api", "audit"];

fn lacking(enabled: &[&str]) -> Vec<&'static str> {
    REQUIRED
        .iter()
        .copied()
        .filter(|t| !enabled.iter().any(|e| e.eq_ignore_ascii_case(t)))
        .collect()
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_eks_cluster"]) {
        match r.body.get_direct("enabled_cluster_log_types") {
            None => out.push(cx.missing(&RULE, r, "enabled_cluster_log_types").message(
                format!(
                    "EKS cluster `{}` exports no control-plane logs (no `enabled_cluster_log_types`)",
                    r.addr
                ),
            )),
            Some(n) if n.is_null() => out.push(cx.at(&RULE, r, n).message(format!(
                "EKS cluster `{}` exports no control-plane logs",
                r.addr
            ))),
            Some(n) => {
                let Some(enabled) = known_strings(n) else {
                    continue;
                };
                let missing = lacking(&enabled);
                if !missing.is_empty() {
                    out.push(cx.at(&RULE, r, n).message(format!(
                        "EKS cluster `{}` does not export the {} control-plane log{}",
                        r.addr,
                        listing(&missing),
                        if missing.len() > 1 { "s" } else { "" }
                    )));
                }
            }
        }
    }
    for r in cx.of(&["AWS::EKS::Cluster"]) {
        let Some(types) = r.at("Logging.ClusterLogging.EnabledTypes") else {
            if r.body.get_direct("Logging").is_some_and(|l| !l.is_known()) {
                continue;
            }
            out.push(
                cx.missing(&RULE, r, "Logging.ClusterLogging.EnabledTypes")
                    .message(format!(
                        "EKS cluster `{}` exports no control-plane logs (no `Logging.ClusterLogging.EnabledTypes`)",
                        r.addr
                    )),
            );
            continue;
        };
        if !types.is_known() {
            continue;
        }
        let items = types.items();
        let enabled: Option<Vec<&str>> = items
            .iter()
            .map(|i| i.get_direct("Type").and_then(Node::as_str))
            .collect();
        let Some(enabled) = enabled else {
            continue;
        };
        let missing = lacking(&enabled);
        if !missing.is_empty() {
            out.push(cx.at(&RULE, r, types).message(format!(
                "EKS cluster `{}` does not export the {} control-plane log{}",
                r.addr,
                listing(&missing),
                if missing.len() > 1 { "s" } else { "" }
            )));
        }
    }
}
