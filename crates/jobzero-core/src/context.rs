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

use serde::{Deserialize, Serialize};

use crate::config::{DataClassification, Exposure, ServiceConfig};
use crate::finding::Finding;
use crate::severity::Severity;

/// One cell of the severity matrix: in a context (an exposure, some data classifications),
/// findings under these expectations move by `steps` (positive raises, negative lowers; never
/// below low or above critical), for the stated reason.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Adjustment {
    /// The service exposure this applies to; absent: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure: Option<Exposure>,
    /// The data classifications this applies to; empty: any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_classification: Vec<DataClassification>,
    /// Expectation ids (`JZ-TLS`…) whose findings move.
    pub expectations: Vec<String>,
    /// Steps up (positive) or down (negative).
    pub steps: i8,
    /// Why, recorded as the finding's `severity_reason`.
    pub reason: String,
}

/// The default matrix, the table above.
pub fn default_matrix() -> Vec<Adjustment> {
    let list = |ids: &[&str]| ids.iter().map(|s| (*s).to_owned()).collect();
    vec![
        Adjustment {
            exposure: Some(Exposure::Internet),
            data_classification: Vec::new(),
            expectations: list(&[
                "JZ-NET-EXPOSED",
                "JZ-TLS",
                "JZ-DATA-PUBLIC",
                "JZ-SUPPLY-VULN",
                "JZ-CODE-ANALYSIS",
            ]),
            steps: 1,
            reason: "the service is internet-facing".to_owned(),
        },
        Adjustment {
            exposure: Some(Exposure::Internal),
            data_classification: Vec::new(),
            expectations: list(&["JZ-NET-EXPOSED", "JZ-SUPPLY-VULN", "JZ-CODE-ANALYSIS"]),
            steps: -1,
            reason: "the service is internal only".to_owned(),
        },
        Adjustment {
            exposure: None,
            data_classification: vec![
                DataClassification::Confidential,
                DataClassification::Restricted,
            ],
            expectations: list(&["JZ-ENC-REST", "JZ-DATA-PUBLIC", "JZ-LOG-AUDIT"]),
            steps: 1,
            reason: "the service handles confidential or restricted data".to_owned(),
        },
    ]
}

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
/// exposure and data classification, by the default matrix; and the reason when it differs.
pub fn judge(
    base: Severity,
    expectation: &str,
    exposure: Option<Exposure>,
    data_classification: Option<DataClassification>,
) -> (Severity, String) {
    judge_with(
        &default_matrix(),
        base,
        expectation,
        exposure,
        data_classification,
    )
}

/// [`judge`] by a matrix of the caller's (the hub's configurable policy).
pub fn judge_with(
    matrix: &[Adjustment],
    base: Severity,
    expectation: &str,
    exposure: Option<Exposure>,
    data_classification: Option<DataClassification>,
) -> (Severity, String) {
    let mut severity = base;
    let mut reasons = Vec::new();
    for a in matrix {
        let context = a.exposure.is_none_or(|e| exposure == Some(e))
            && (a.data_classification.is_empty()
                || data_classification.is_some_and(|d| a.data_classification.contains(&d)));
        if !context || !a.expectations.iter().any(|e| e == expectation) {
            continue;
        }
        let before = severity;
        for _ in 0..a.steps.unsigned_abs() {
            severity = if a.steps > 0 {
                severity.raised()
            } else {
                severity.lowered()
            };
        }
        if severity != before {
            reasons.push(a.reason.as_str());
        }
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
