use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::aws::is_open_cidr;
use crate::model::Resource;
use crate::node::Node;

use super::common::{Setting, known_strings, setting_of};

declare_rule! {
    /// ## What it finds
    /// An EKS cluster whose Kubernetes API endpoint is reachable from the whole internet: in
    /// the `vpc_config` of `aws_eks_cluster` (CloudFormation `ResourcesVpcConfig` of
    /// `AWS::EKS::Cluster`), `endpoint_public_access` (`EndpointPublicAccess`) true or absent
    /// (the default is true) with `public_access_cidrs` (`PublicAccessCidrs`) absent (the
    /// default is `0.0.0.0/0`) or containing `0.0.0.0/0`.
    ///
    /// ## Why it matters
    /// The API server is the cluster's control plane; exposed to everyone it receives
    /// credential stuffing with leaked kubeconfigs and tokens, and any authentication or
    /// Kubernetes vulnerability is exploitable from anywhere.
    ///
    /// ## Example
    /// ```hcl
    /// vpc_config {
    ///   subnet_ids             = var.private_subnets
    ///   endpoint_public_access = true
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Use the private endpoint (`endpoint_private_access = true`,
    /// `endpoint_public_access = false`) and reach it through a VPN or bastion, or restrict
    /// `public_access_cidrs` to your own ranges.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: cluster API server endpoint](https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html)
    /// - Checkov CKV_AWS_38, CKV_AWS_39
    pub static RULE = {
        id: "iac/eks-endpoint-public",
        code: "IAC089",
        title: "an EKS cluster API endpoint is open to the internet",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

fn check_one(cx: &Cx<'_>, out: &mut Sink, r: &Resource, vc: &Node, keys: [&str; 3]) {
    let [route, access_key, cidrs_key] = keys;
    if !vc.is_known() {
        return;
    }
    let access = vc.get(access_key);
    if matches!(setting_of(access), Setting::Off(_) | Setting::Unknown) {
        return;
    }
    match vc.get(cidrs_key) {
        Some(c) if !c.is_null() => {
            let Some(list) = known_strings(c) else {
                return;
            };
            let open: Vec<&str> = list.into_iter().filter(|x| is_open_cidr(x)).collect();
            if open.is_empty() {
                return;
            }
            out.push(cx.at(&RULE, r, c).message(format!(
                "EKS cluster `{}` exposes its Kubernetes API endpoint to {}",
                r.addr,
                open.join(" and ")
            )));
        }
        _ => {
            let b = match access {
                Some(a) if !a.is_null() => cx.at(&RULE, r, a),
                _ => cx.missing(&RULE, r, &format!("{route}.{access_key}")),
            };
            out.push(b.message(format!(
                "EKS cluster `{}` exposes its Kubernetes API endpoint to the whole internet (public endpoint without `{cidrs_key}`)",
                r.addr
            )));
        }
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_eks_cluster"]) {
        if let Some(vc) = r.body.get_direct("vpc_config") {
            check_one(
                cx,
                out,
                r,
                vc,
                [
                    "vpc_config",
                    "endpoint_public_access",
                    "public_access_cidrs",
                ],
            );
        }
    }
    for r in cx.of(&["AWS::EKS::Cluster"]) {
        if let Some(vc) = r.body.get_direct("ResourcesVpcConfig") {
            check_one(
                cx,
                out,
                r,
                vc,
                [
                    "ResourcesVpcConfig",
                    "EndpointPublicAccess",
                    "PublicAccessCidrs",
                ],
            );
        }
    }
}
