use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::rules::util::statement_actions;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A statement without conditions whose actions, resources and principal another statement
    /// of the same effect already covers.
    ///
    /// ## Why it matters
    /// Redundant statements make a policy longer than the 6,144-character managed-policy limit
    /// sooner, and hide what the policy really grants: a reviewer narrows one statement and the
    /// other keeps granting.
    ///
    /// ## Example
    /// ```json
    /// [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    ///  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
    /// ```
    ///
    /// ## Remediation
    /// Remove the covered statement, or narrow the broader one if it grants more than meant.
    ///
    /// ## References
    /// - IAM Access Analyzer policy check: REDUNDANT_STATEMENT
    pub static RULE = {
        id: "iam/redundant-statement",
        code: "IAM013",
        title: "statement already covered by another",
        family: Family::Iam,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let st = &cx.policy.statements;
    let plain: Vec<usize> = (0..st.len())
        .filter(|&i| st[i].conditions.is_empty() && st[i].action.is_some() && st[i].resource.is_some())
        .collect();
    let actions: Vec<_> = st.iter().map(statement_actions).collect();
    for &i in &plain {
        for &j in &plain {
            if i == j || st[i].effect != st[j].effect || st[i].principal != st[j].principal {
                continue;
            }
            let res = |k: usize| -> Vec<&str> {
                st[k].resource.iter().flatten().map(|r| r.value.as_str()).collect()
            };
            let covered_resources = res(i)
                .iter()
                .all(|r| res(j).iter().any(|o| *o == "*" || crate::glob::matches_with(o, r, false)));
            let covered_actions = !actions[i].is_empty() && actions[i].is_subset(&actions[j]);
            // Of two identical statements, report the later one only.
            let identical = actions[i] == actions[j] && res(i) == res(j);
            if covered_resources && covered_actions && (!identical || i > j) {
                out.push(cx.at_statement(&RULE, &st[i], "redundant").message(format!(
                    "everything this statement grants, the statement at line {} already grants",
                    st[j].line
                )));
                break;
            }
        }
    }
}
