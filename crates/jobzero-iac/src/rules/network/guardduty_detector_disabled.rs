use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::{Setting, setting};

declare_rule! {
    /// ## What it finds
    /// A GuardDuty detector that is declared but switched off: `enable = false` on
    /// `aws_guardduty_detector`, `Enable: false` on CloudFormation `AWS::GuardDuty::Detector`.
    ///
    /// ## Why it matters
    /// GuardDuty is the account's threat detection: it flags stolen credentials used from
    /// unusual places, crypto-mining, reconnaissance and data exfiltration. A disabled
    /// detector looks like coverage on paper while detecting nothing.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_guardduty_detector" "main" {
    ///   enable = false
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Enable the detector (`enable = true`, the default), preferably organisation-wide from
    /// a delegated administrator account.
    ///
    /// ## References
    /// - CWE-778
    /// - [AWS: getting started with GuardDuty](https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html)
    pub static RULE = {
        id: "iac/guardduty-detector-disabled",
        code: "IAC105",
        title: "a GuardDuty detector is switched off",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, key) in [
        ("aws_guardduty_detector", "enable"),
        ("AWS::GuardDuty::Detector", "Enable"),
    ] {
        for r in cx.of(&[rtype]) {
            if let Setting::Off(n) = setting(r, key) {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "GuardDuty detector `{}` is switched off (`{key} = false`)",
                    r.addr
                )));
            }
        }
    }
}
