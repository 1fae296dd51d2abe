//! Effective severity: the base severity judged in the service's context.
//!
//! The same weakness matters more on an internet-facing service that handles restricted
//! data than on an internal tool. The adjustments are deliberately few and each is recorded
//! as the finding's `severity_reason`:
//!
//! | context | expectations affected | change |
//! |---|---|---|
//! | `exposure = "internet"` | network exposure, TLS, public data, vulnerable dependencies, code analysis | one step up |
//! | `exposure = "internal"` | network exposure, vulnerable dependencies, code analysis | one step down (never below low) |
//! | `data-classification = "confidential"` or `"restricted"` | encryption at rest, public data, audit logging | one step up |
//!
//! Hard-coded secrets are never lowered: a leaked credential is as usable from inside.

use crate::config::{DataClassification, Exposure, ServiceConfig};
use crate::finding::Finding;

const EXPOSURE_SENSITIVE: [&str; 5] = [
    "JZ-NET-EXPOSED",
    "JZ-TLS",
    "JZ-DATA-PUBLIC",
    "JZ-SUPPLY-VULN",
    "JZ-CODE-ANALYSIS",
];
const INTERNAL_LOWERED: [&str; 3] = ["JZ-NET-EXPOSED", "JZ-SUPPLY-VULN", "JZ-CODE-ANALYSIS"];
const DATA_SENSITIVE: [&str; 3] = ["JZ-ENC-REST", "JZ-DATA-PUBLIC", "JZ-LOG-AUDIT"];

/// Sets the finding's effective severity from its base severity and the service's context.
pub fn apply(finding: &mut Finding, service: &ServiceConfig) {
    let expectation = finding.expectation.as_str();
    let mut severity = finding.severity;
    let mut reasons = Vec::new();
    match service.exposure {
        Some(Exposure::Internet) if EXPOSURE_SENSITIVE.contains(&expectation) => {
            severity = severity.raised();
            reasons.push("the service is internet-facing");
        }
        Some(Exposure::Internal) if INTERNAL_LOWERED.contains(&expectation) => {
            severity = severity.lowered();
            reasons.push("the service is internal only");
        }
        _ => {}
    }
    if matches!(
        service.data_classification,
        Some(DataClassification::Confidential | DataClassification::Restricted)
    ) && DATA_SENSITIVE.contains(&expectation)
    {
        severity = severity.raised();
        reasons.push("the service handles confidential or restricted data");
    }
    finding.set_effective_severity(severity, reasons.join("; "));
}
