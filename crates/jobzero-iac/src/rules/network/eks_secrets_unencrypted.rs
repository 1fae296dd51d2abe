use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;

use super::common::known_strings;

declare_rule! {
    /// ## What it finds
    /// An EKS cluster without envelope encryption of Kubernetes secrets under a KMS key you
    /// control: `aws_eks_cluster` with no `encryption_config` whose `resources` include
    /// `secrets`, CloudFormation `AWS::EKS::Cluster` with no `EncryptionConfig` item whose
    /// `Resources` include `secrets`.
    ///
    /// ## Why it matters
    /// Kubernetes secrets hold database passwords, API tokens and certificates. Without your
    /// own KMS key they are protected only by the platform's default encryption: there is no
    /// key policy to restrict decryption, no CloudTrail record of each use, and no way to
    /// revoke access by disabling the key.
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
    /// Add `encryption_config { resources = ["secrets"] provider { key_arn = aws_kms_key.eks.arn } }`.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: encrypt Kubernetes secrets with KMS on existing clusters](https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html)
    /// - Checkov CKV_AWS_58
    pub static RULE = {
        id: "iac/eks-secrets-unencrypted",
        code: "IAC090",
        title: "an EKS cluster does not encrypt secrets with a KMS key",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

/// Whether one of the encryption configurations of `r` (the list `list`, resources under
/// `resources`) covers secrets, or may.
fn covers_secrets(r: &Resource, list: &str, resources: &str) -> bool {
    if r.body.get_direct(list).is_some_and(|l| !l.is_known()) {
        return true;
    }
    r.body
        .all(list)
        .iter()
        .any(|c| match c.get_direct(resources) {
            None => false,
            Some(res) => known_strings(res)
                .is_none_or(|l| l.iter().any(|x| x.eq_ignore_ascii_case("secrets"))),
        })
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, list, resources) in [
        ("aws_eks_cluster", "encryption_config", "resources"),
        ("AWS::EKS::Cluster", "EncryptionConfig", "Resources"),
    ] {
        for r in cx.of(&[rtype]) {
            if covers_secrets(r, list, resources) {
                continue;
            }
            let b = match r.body.all(list).first() {
                Some(&c) => cx.at(&RULE, r, c),
                None => cx.missing(&RULE, r, list),
            };
            out.push(b.message(format!(
                "EKS cluster `{}` does not envelope-encrypt Kubernetes secrets with a KMS key (no `{list}` covering `secrets`)",
                r.addr
            )));
        }
    }
}
