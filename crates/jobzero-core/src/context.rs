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
use crate::severity::Severity;

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
    let (severity, reason) = judge(
        finding.severity,
        &finding.expectation,
        service.exposure,
        service.data_classification,
    );
    finding.set_effective_severity(severity, reason);
}

/// The effective severity of a base severity under an expectation, for a service with this
/// exposure and data classification, and the reason when it differs (the hub judges
/// uploaded findings by its own record of the service with the same table).
pub fn judge(
    base: Severity,
    expectation: &str,
    exposure: Option<Exposure>,
    data_classification: Option<DataClassification>,
) -> (Severity, String) {
    let mut severity = base;
    let mut reasons = Vec::new();
    match exposure {
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
        data_classification,
        Some(DataClassification::Confidential | DataClassification::Restricted)
    ) && DATA_SENSITIVE.contains(&expectation)
    {
        severity = severity.raised();
        reasons.push("the service handles confidential or restricted data");
    }
    (severity, reasons.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, Location};
    use crate::severity::Severity;

    fn finding(expectation: &str, severity: Severity) -> Finding {
        let mut f = Finding::builder(&crate::testing_rule::RULE)
            .location(Location::file("x"))
            .evidence("e")
            .severity(severity)
            .build()
            .unwrap();
        f.expectation = expectation.to_owned();
        f
    }

    fn service(exposure: Option<Exposure>, data: Option<DataClassification>) -> ServiceConfig {
        ServiceConfig {
            exposure,
            data_classification: data,
            ..ServiceConfig::default()
        }
    }

    #[test]
    fn internet_raises_exposure_sensitive_findings() {
        let mut f = finding("JZ-SUPPLY-VULN", Severity::High);
        apply(&mut f, &service(Some(Exposure::Internet), None));
        assert_eq!(f.effective_severity, Severity::Critical);
        assert_eq!(f.severity, Severity::High);
        assert_eq!(
            f.severity_reason.as_deref(),
            Some("the service is internet-facing")
        );
    }

    #[test]
    fn internal_lowers_but_never_below_low_and_never_secrets() {
        let mut f = finding("JZ-NET-EXPOSED", Severity::Low);
        apply(&mut f, &service(Some(Exposure::Internal), None));
        assert_eq!(f.effective_severity, Severity::Low);
        assert_eq!(f.severity_reason, None);
        let mut f = finding("JZ-SECRET-HARDCODED", Severity::High);
        apply(
            &mut f,
            &service(Some(Exposure::Internal), Some(DataClassification::Public)),
        );
        assert_eq!(f.effective_severity, Severity::High);
    }

    #[test]
    fn sensitive_data_raises_encryption_and_combines_reasons() {
        let mut f = finding("JZ-DATA-PUBLIC", Severity::Medium);
        apply(
            &mut f,
            &service(
                Some(Exposure::Internet),
                Some(DataClassification::Restricted),
            ),
        );
        assert_eq!(f.effective_severity, Severity::Critical);
        assert_eq!(
            f.severity_reason.as_deref(),
            Some(
                "the service is internet-facing; the service handles confidential or restricted data"
            )
        );
        let mut f = finding("JZ-ENC-REST", Severity::Medium);
        apply(&mut f, &service(None, Some(DataClassification::Internal)));
        assert_eq!(f.effective_severity, Severity::Medium);
    }
}
