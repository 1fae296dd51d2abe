use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::{Setting, setting};

declare_rule! {
    /// ## What it finds
    /// A DMS replication instance with a public IP address: `publicly_accessible = true` on
    /// `aws_dms_replication_instance`; `PubliclyAccessible: true` on CloudFormation
    /// `AWS::DMS::ReplicationInstance`, or no `PubliclyAccessible` at all (the service default
    /// is true; the Terraform provider defaults to false).
    ///
    /// ## Why it matters
    /// A replication instance holds credentials to the source and target databases and sees
    /// every row it copies; reachable from the internet, it exposes both databases and the
    /// data in flight.
    ///
    /// ## Example
    /// ```yaml
    /// Migration:
    ///   Type: AWS::DMS::ReplicationInstance
    ///   Properties:
    ///     ReplicationInstanceClass: dms.t3.medium
    /// ```
    ///
    /// ## Remediation
    /// Set `publicly_accessible = false` (`PubliclyAccessible: false`) and place the instance
    /// in a private replication subnet group.
    ///
    /// ## References
    /// - CWE-668
    /// - [AWS: public and private replication instances](https://docs.aws.amazon.com/dms/latest/userguide/CHAP_ReplicationInstance.PublicPrivate.html)
    /// - Checkov CKV_AWS_89
    pub static RULE = {
        id: "iac/dms-replication-instance-public",
        code: "IAC108",
        title: "a DMS replication instance is publicly accessible",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_dms_replication_instance"]) {
        if let Some(n) = r.body.get_direct("publicly_accessible")
            && n.as_bool() == Some(true)
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "replication instance `{}` is publicly accessible (`publicly_accessible = true`)",
                r.addr
            )));
        }
    }
    for r in cx.of(&["AWS::DMS::ReplicationInstance"]) {
        let b = match setting(r, "PubliclyAccessible") {
            Setting::On => match r.body.get_direct("PubliclyAccessible") {
                Some(n) => cx.at(&RULE, r, n),
                None => continue,
            },
            Setting::Absent => cx.missing(&RULE, r, "PubliclyAccessible"),
            Setting::Off(_) | Setting::Unknown => continue,
        };
        out.push(b.message(format!(
            "replication instance `{}` is publicly accessible (`PubliclyAccessible` is true or not set, and defaults to true)",
            r.addr
        )));
    }
}
