use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Found, contains_str, find};

declare_rule! {
    /// ## What it finds
    /// A manual RDS snapshot shared with every AWS account: `shared_accounts` containing
    /// `"all"` on `aws_db_snapshot`, `aws_db_snapshot_copy` or `aws_db_cluster_snapshot`.
    ///
    /// ## Why it matters
    /// A public snapshot is a full copy of the database that anyone with an AWS account can
    /// restore into their own account and read at leisure: every table, every row, every
    /// password hash. Public RDS snapshots are listed by the API and searched for routinely.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_snapshot" "orders" {
    ///   db_instance_identifier = aws_db_instance.orders.identifier
    ///   db_snapshot_identifier = "orders-2024-06"
    ///   shared_accounts        = ["all"]
    /// }
    /// ```
    ///
    /// ## Remediation
    /// List the account ids that need the snapshot instead of `all`; keep snapshots encrypted
    /// with a customer-managed key (encrypted snapshots cannot be made public at all).
    ///
    /// ## References
    /// - CWE-200
    /// - [AWS: sharing a DB snapshot](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html)
    pub static RULE = {
        id: "iac/rds-snapshot-public",
        code: "IAC024",
        title: "database snapshot shared with every AWS account",
        family: Family::Iac,
        severity: Severity::Critical,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "aws_db_snapshot",
        "aws_db_snapshot_copy",
        "aws_db_cluster_snapshot",
    ]) {
        if let Found::Value(n) = find(&r.body, "shared_accounts")
            && contains_str(n, "all")
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "`{}` shares the snapshot with `all` in `shared_accounts`, so any AWS account can restore the database",
                r.addr
            )));
        }
    }
}
