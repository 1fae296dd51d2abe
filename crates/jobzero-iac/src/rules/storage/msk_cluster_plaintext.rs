use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Found, Switch, find, switch};

declare_rule! {
    /// ## What it finds
    /// An Amazon MSK (Kafka) cluster that accepts unencrypted traffic: `client_broker` set to
    /// `PLAINTEXT` or `TLS_PLAINTEXT`, or `in_cluster = false`, in
    /// `encryption_info.encryption_in_transit` of `aws_msk_cluster`; `ClientBroker` or
    /// `InCluster` of `EncryptionInfo.EncryptionInTransit` of a CloudFormation
    /// `AWS::MSK::Cluster`. The defaults (`TLS`, in-cluster encryption on) are not reported.
    ///
    /// ## Why it matters
    /// Kafka carries the events between services, often including personal data and tokens.
    /// A plaintext listener lets anyone on the network path read and alter them, and a client
    /// that forgets TLS silently falls back to it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_msk_cluster" "events" {
    ///   cluster_name           = "events"
    ///   kafka_version          = "3.6.0"
    ///   number_of_broker_nodes = 3
    ///   encryption_info {
    ///     encryption_in_transit {
    ///       client_broker = "TLS_PLAINTEXT"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `client_broker = "TLS"` and keep `in_cluster = true`; move clients to the TLS
    /// bootstrap brokers (port 9094, or 9098 with IAM).
    ///
    /// ## References
    /// - CWE-319
    /// - [AWS: Amazon MSK encryption](https://docs.aws.amazon.com/msk/latest/developerguide/msk-encryption.html)
    /// - Checkov CKV_AWS_81
    pub static RULE = {
        id: "iac/msk-cluster-plaintext",
        code: "IAC038",
        title: "managed Kafka cluster accepts unencrypted connections",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_msk_cluster", "AWS::MSK::Cluster"]) {
        let (client, cluster) = if r.rtype == "aws_msk_cluster" {
            (
                "encryption_info.encryption_in_transit.client_broker",
                "encryption_info.encryption_in_transit.in_cluster",
            )
        } else {
            (
                "EncryptionInfo.EncryptionInTransit.ClientBroker",
                "EncryptionInfo.EncryptionInTransit.InCluster",
            )
        };
        if let Found::Value(n) = find(&r.body, client)
            && let Some(mode) = n.as_str()
            && mode.to_ascii_uppercase().contains("PLAINTEXT")
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "cluster `{}` sets the client-broker encryption to `{n}`, so clients can connect without TLS",
                r.addr
            )));
        }
        if let Switch::Off(n) = switch(&r.body, cluster) {
            out.push(cx.at(&RULE, r, n).message(format!(
                "cluster `{}` turns in-cluster encryption off (`{n}`), so brokers replicate data in clear",
                r.addr
            )));
        }
    }
}
