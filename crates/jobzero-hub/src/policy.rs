//! The organisation's policy: SLA days per effective severity and the gate threshold.

use jobzero_core::Severity;
use jobzero_core::config::{DataClassification, Exposure};
use jobzero_core::context::{Adjustment, default_matrix, judge_with};
use serde::{Deserialize, Serialize};

/// Days to fix by effective severity (`None`: no deadline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaDays {
    /// Critical findings.
    #[serde(default = "d7")]
    pub critical: u32,
    /// High findings.
    #[serde(default = "d30")]
    pub high: u32,
    /// Medium findings.
    #[serde(default = "d90")]
    pub medium: u32,
    /// Low findings.
    #[serde(default = "d180")]
    pub low: u32,
}

fn d7() -> u32 {
    7
}
fn d30() -> u32 {
    30
}
fn d90() -> u32 {
    90
}
fn d180() -> u32 {
    180
}

impl Default for SlaDays {
    fn default() -> Self {
        SlaDays {
            critical: 7,
            high: 30,
            medium: 90,
            low: 180,
        }
    }
}

/// The organisation-wide rules the hub enforces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Policy {
    /// Open findings at or above this effective severity block a launch.
    #[serde(default = "high")]
    pub gate_threshold: Severity,
    /// Days to fix.
    #[serde(default)]
    pub sla_days: SlaDays,
    /// When each escalation step goes out (`[policy.escalation]`).
    #[serde(default)]
    pub escalation: EscalationDays,
    /// The severity matrix (`[[policy.severity-matrix]]`); absent: jobzero's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_matrix: Option<Vec<Adjustment>>,
}

fn high() -> Severity {
    Severity::High
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            gate_threshold: Severity::High,
            sla_days: SlaDays::default(),
            escalation: EscalationDays::default(),
            severity_matrix: None,
        }
    }
}

impl Policy {
    /// The effective severity of a finding on a service, and why it differs.
    pub fn judge(
        &self,
        base: Severity,
        expectation: &str,
        exposure: Option<Exposure>,
        data_classification: Option<DataClassification>,
    ) -> (Severity, String) {
        match &self.severity_matrix {
            Some(m) => judge_with(m, base, expectation, exposure, data_classification),
            None => judge_with(
                &default_matrix(),
                base,
                expectation,
                exposure,
                data_classification,
            ),
        }
    }

    /// When a finding of this effective severity first seen at `from` is due.
    pub fn due(&self, severity: Severity, from: i64) -> Option<i64> {
        let days = match severity {
            Severity::Critical => self.sla_days.critical,
            Severity::High => self.sla_days.high,
            Severity::Medium => self.sla_days.medium,
            Severity::Low => self.sla_days.low,
            Severity::Info => return None,
        };
        Some(from.saturating_add(i64::from(days) * 86_400))
    }
}

/// The rank stored beside a severity so queries can compare them.
pub fn rank(severity: Severity) -> i64 {
    match severity {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

/// Days of each step, from the policy (`[policy.escalation]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EscalationDays {
    /// The reminder goes this many days before the deadline.
    #[serde(default = "two")]
    pub reminder_before: u32,
    /// The secondary is paged this many days after it.
    #[serde(default = "two")]
    pub secondary_after: u32,
    /// The security lead, after this many.
    #[serde(default = "seven")]
    pub security_lead_after: u32,
    /// The CISO, after this many.
    #[serde(default = "fourteen")]
    pub ciso_after: u32,
}

fn two() -> u32 {
    2
}
fn seven() -> u32 {
    7
}
fn fourteen() -> u32 {
    14
}

impl Default for EscalationDays {
    fn default() -> Self {
        EscalationDays {
            reminder_before: 2,
            secondary_after: 2,
            security_lead_after: 7,
            ciso_after: 14,
        }
    }
}
