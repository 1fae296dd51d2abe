//! The weekly security review, computed from the audit log so any past week is reproduced
//! exactly: the findings' states at the end of the week are replayed from their events, and
//! the week's flows (new, resolved, reopened, escalations, launches blocked) are the events
//! inside it.
//!
//! Definitions (also printed in the review):
//! - *open*: open at the end of the week (an acceptance past its date counts as open);
//! - *overdue*: open past its deadline at the end of the week;
//! - *time to fix*: from a deadline cycle's opening to its resolution, for resolutions in the
//!   week; median and 90th percentile, by effective severity at opening;
//! - *SLA compliance*: share of the week's resolutions made by their deadline;
//! - *recurrence rate*: share of the week's openings that were reopenings;
//! - *launches blocked*: gate decisions of the week that said no-go;
//! - *riskiest services*: open findings weighted critical 10, high 5, medium 2, low 1, doubled
//!   when overdue.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;

use crate::error::HubError;
use crate::store::Store;

mod render;

pub use crate::calendar::{IsoWeek, date};
pub use crate::html::STYLE;
pub use render::{html, html_body, markdown};

use crate::calendar::WEEK;

const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "info"];

/// The headline numbers of one week.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    /// The week.
    pub week: String,
    /// Open at its end.
    pub open: i64,
    /// Opened for the first time in it.
    pub new: i64,
    /// Resolved in it.
    pub resolved: i64,
    /// Reopened in it.
    pub reopened: i64,
    /// Open past their deadline at its end.
    pub overdue: i64,
    /// Escalation steps delivered in it.
    pub escalations_sent: i64,
    /// No-go gate decisions in it.
    pub launches_blocked: i64,
    /// Resolutions made by their deadline, in % (none resolved: 100).
    pub sla_compliance: f64,
    /// Median days to fix of its resolutions.
    pub median_days_to_fix: Option<f64>,
    /// Reopenings among its openings, in %.
    pub recurrence_rate: f64,
}

/// Time to fix by severity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeToFix {
    /// Effective severity.
    pub severity: String,
    /// Resolutions in the week.
    pub resolved: i64,
    /// Median days.
    pub median_days: f64,
    /// 90th percentile days.
    pub p90_days: f64,
}

/// A risk acceptance ending soon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expiring {
    /// Finding.
    pub finding: i64,
    /// Service.
    pub service: String,
    /// Team.
    pub team: String,
    /// When the acceptance ends.
    pub until: i64,
}

/// A service by risk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskyService {
    /// Service.
    pub service: String,
    /// Team.
    pub team: String,
    /// Weighted score.
    pub score: i64,
    /// Open findings.
    pub open: i64,
    /// Overdue findings.
    pub overdue: i64,
}

/// The whole review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// The week.
    pub week: String,
    /// Its start and end (Unix seconds, end exclusive).
    pub from: i64,
    /// End.
    pub to: i64,
    /// This week's numbers.
    pub headline: Headline,
    /// The 12 weeks ending with it, oldest first.
    pub trend: Vec<Headline>,
    /// Open findings by team and effective severity.
    pub open_by_team: BTreeMap<String, BTreeMap<String, i64>>,
    /// Time to fix by severity.
    pub time_to_fix: Vec<TimeToFix>,
    /// Acceptances ending within 14 days of the week's end.
    pub expiring_acceptances: Vec<Expiring>,
    /// Open findings by team and expectation (0 everywhere: the team meets them all).
    pub expectations_by_team: BTreeMap<String, BTreeMap<String, i64>>,
    /// The ten riskiest services.
    pub riskiest_services: Vec<RiskyService>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Open,
    Accepted,
    Resolved,
}

#[derive(Clone)]
struct Life {
    state: State,
    cycle_start: i64,
    due: Option<i64>,
    severity: String,
    accepted_until: Option<i64>,
}

struct Meta {
    service: String,
    expectation: String,
}

#[derive(Default)]
struct Flows {
    new: i64,
    resolved: i64,
    reopened: i64,
    escalations: i64,
    blocked: i64,
    fixes: Vec<(String, i64, bool)>,
}

fn percentile(sorted: &[i64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index into a short list"
    )]
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    #[allow(clippy::cast_precision_loss, reason = "seconds to days")]
    let days = sorted.get(i).copied().unwrap_or(0) as f64 / 86_400.0;
    (days * 10.0).round() / 10.0
}

#[allow(clippy::cast_precision_loss, reason = "counts to percentages")]
fn pct(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        return 100.0;
    }
    ((part as f64 / whole as f64) * 1000.0).round() / 10.0
}

/// Computes the review of `week` (and its 12-week trend) from the audit log.
pub async fn compute(store: &Store, week: IsoWeek) -> Result<Review, HubError> {
    let mut teams: HashMap<String, String> = HashMap::new();
    for r in sqlx::query("SELECT name, team FROM services")
        .fetch_all(&store.pool)
        .await?
    {
        teams.insert(r.try_get("name")?, r.try_get("team")?);
    }
    let mut meta: HashMap<i64, Meta> = HashMap::new();
    for r in sqlx::query("SELECT id, service, expectation FROM findings")
        .fetch_all(&store.pool)
        .await?
    {
        meta.insert(
            r.try_get("id")?,
            Meta {
                service: r.try_get("service")?,
                expectation: r.try_get("expectation")?,
            },
        );
    }
    let weeks: Vec<IsoWeek> = {
        let mut w = vec![week];
        for _ in 0..11 {
            let prev = w.last().copied().unwrap_or(week).previous();
            w.push(prev);
        }
        w.reverse();
        w
    };
    let end = week.end();
    let rows = sqlx::query(
        "SELECT at, action, subject, after_state FROM audit_events WHERE at < $1 AND action IN \
         ('finding.opened', 'finding.reopened', 'finding.resolved', 'finding.accepted', \
          'finding.acceptance_expired', 'gate.decided', 'escalation.sent') ORDER BY seq",
    )
    .bind(end)
    .fetch_all(&store.pool)
    .await?;

    let mut lives: HashMap<i64, Life> = HashMap::new();
    let mut trend = Vec::new();
    let mut week_index = 0usize;
    let mut flows = Flows::default();
    let mut snapshot: Option<(HashMap<i64, Life>, Flows)> = None;
    let mut next_row = 0usize;
    while week_index < weeks.len() {
        let w = weeks[week_index];
        // Apply every event before this week's end.
        while let Some(r) = rows.get(next_row) {
            let at: i64 = r.try_get("at")?;
            if at >= w.end() {
                break;
            }
            next_row += 1;
            let action: String = r.try_get("action")?;
            let subject: String = r.try_get("subject")?;
            let after: Option<Value> = r
                .try_get::<Option<String>, _>("after_state")?
                .and_then(|t| serde_json::from_str(&t).ok());
            let in_week = at >= w.start();
            let id = subject
                .strip_prefix("finding:")
                .and_then(|i| i.parse::<i64>().ok());
            let field = |k: &str| after.as_ref().and_then(|a| a.get(k)).cloned();
            match (action.as_str(), id) {
                ("finding.opened", Some(id)) => {
                    lives.insert(
                        id,
                        Life {
                            state: State::Open,
                            cycle_start: at,
                            due: field("due_at").and_then(|v| v.as_i64()),
                            severity: field("effective_severity")
                                .and_then(|v| v.as_str().map(str::to_owned))
                                .unwrap_or_else(|| "info".to_owned()),
                            accepted_until: None,
                        },
                    );
                    if in_week {
                        flows.new += 1;
                    }
                }
                ("finding.reopened", Some(id)) => {
                    if let Some(l) = lives.get_mut(&id) {
                        l.state = State::Open;
                        l.cycle_start = at;
                        l.due = field("due_at").and_then(|v| v.as_i64());
                        l.accepted_until = None;
                    }
                    if in_week {
                        flows.reopened += 1;
                    }
                }
                ("finding.resolved", Some(id)) => {
                    if let Some(l) = lives.get_mut(&id) {
                        if in_week {
                            flows.resolved += 1;
                            flows.fixes.push((
                                l.severity.clone(),
                                at - l.cycle_start,
                                l.due.is_none_or(|d| at <= d),
                            ));
                        }
                        l.state = State::Resolved;
                    }
                }
                ("finding.accepted", Some(id)) => {
                    if let Some(l) = lives.get_mut(&id) {
                        l.state = State::Accepted;
                        l.accepted_until = field("until").and_then(|v| v.as_i64());
                    }
                }
                ("finding.acceptance_expired", Some(id)) => {
                    if let Some(l) = lives.get_mut(&id) {
                        l.state = State::Open;
                        l.accepted_until = None;
                    }
                }
                ("gate.decided", _)
                    if in_week && field("go").and_then(|v| v.as_bool()) == Some(false) =>
                {
                    flows.blocked += 1;
                }
                ("escalation.sent", _) if in_week => flows.escalations += 1,
                _ => {}
            }
        }
        let t = w.end();
        let is_open = |l: &Life| {
            l.state == State::Open
                || (l.state == State::Accepted && l.accepted_until.is_some_and(|u| u <= t))
        };
        let open = i64::try_from(lives.values().filter(|l| is_open(l)).count()).unwrap_or(0);
        let overdue = i64::try_from(
            lives
                .values()
                .filter(|l| is_open(l) && l.due.is_some_and(|d| d < t))
                .count(),
        )
        .unwrap_or(0);
        let mut all_fixes: Vec<i64> = flows.fixes.iter().map(|f| f.1).collect();
        all_fixes.sort_unstable();
        let within = i64::try_from(flows.fixes.iter().filter(|f| f.2).count()).unwrap_or(0);
        trend.push(Headline {
            week: w.to_string(),
            open,
            new: flows.new,
            resolved: flows.resolved,
            reopened: flows.reopened,
            overdue,
            escalations_sent: flows.escalations,
            launches_blocked: flows.blocked,
            sla_compliance: pct(within, flows.resolved),
            median_days_to_fix: (!all_fixes.is_empty()).then(|| percentile(&all_fixes, 0.5)),
            recurrence_rate: if flows.new + flows.reopened == 0 {
                0.0
            } else {
                pct(flows.reopened, flows.new + flows.reopened)
            },
        });
        week_index += 1;
        if week_index == weeks.len() {
            snapshot = Some((lives.clone(), std::mem::take(&mut flows)));
        } else {
            flows = Flows::default();
        }
    }
    let (lives, flows) = snapshot.unwrap_or_default();
    let t = end;
    let is_open = |l: &Life| {
        l.state == State::Open
            || (l.state == State::Accepted && l.accepted_until.is_some_and(|u| u <= t))
    };
    let team_of = |id: &i64| {
        meta.get(id)
            .and_then(|m| teams.get(&m.service))
            .cloned()
            .unwrap_or_else(|| "(unknown)".to_owned())
    };
    let mut open_by_team: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let mut expectations_by_team: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let mut risk: BTreeMap<String, RiskyService> = BTreeMap::new();
    for team in teams.values() {
        open_by_team.entry(team.clone()).or_default();
        expectations_by_team.entry(team.clone()).or_default();
    }
    let mut ids: Vec<&i64> = lives.keys().collect();
    ids.sort_unstable();
    for id in ids {
        let Some(l) = lives.get(id) else { continue };
        let team = team_of(id);
        if let Some(m) = meta.get(id) {
            // Every expectation a team has findings for appears, with 0 when all are closed.
            *expectations_by_team
                .entry(team.clone())
                .or_default()
                .entry(m.expectation.clone())
                .or_default() += i64::from(is_open(l));
        }
        if !is_open(l) {
            continue;
        }
        *open_by_team
            .entry(team.clone())
            .or_default()
            .entry(l.severity.clone())
            .or_default() += 1;
        let service = meta.get(id).map_or_else(String::new, |m| m.service.clone());
        let overdue = l.due.is_some_and(|d| d < t);
        let weight = match l.severity.as_str() {
            "critical" => 10,
            "high" => 5,
            "medium" => 2,
            "low" => 1,
            _ => 0,
        } * if overdue { 2 } else { 1 };
        let entry = risk.entry(service.clone()).or_insert_with(|| RiskyService {
            service,
            team: team.clone(),
            score: 0,
            open: 0,
            overdue: 0,
        });
        entry.score += weight;
        entry.open += 1;
        entry.overdue += i64::from(overdue);
    }
    let mut riskiest: Vec<RiskyService> = risk.into_values().filter(|r| r.score > 0).collect();
    riskiest.sort_by(|a, b| b.score.cmp(&a.score).then(a.service.cmp(&b.service)));
    riskiest.truncate(10);
    let mut time_to_fix = Vec::new();
    for s in SEVERITIES {
        let mut xs: Vec<i64> = flows
            .fixes
            .iter()
            .filter(|f| f.0 == s)
            .map(|f| f.1)
            .collect();
        if xs.is_empty() {
            continue;
        }
        xs.sort_unstable();
        time_to_fix.push(TimeToFix {
            severity: s.to_owned(),
            resolved: i64::try_from(xs.len()).unwrap_or(0),
            median_days: percentile(&xs, 0.5),
            p90_days: percentile(&xs, 0.9),
        });
    }
    let mut expiring: Vec<Expiring> = lives
        .iter()
        .filter(|(_, l)| l.state == State::Accepted)
        .filter_map(|(id, l)| {
            let until = l.accepted_until?;
            (until > t && until <= t + 2 * WEEK).then(|| Expiring {
                finding: *id,
                service: meta.get(id).map_or_else(String::new, |m| m.service.clone()),
                team: team_of(id),
                until,
            })
        })
        .collect();
    expiring.sort_by(|a, b| a.until.cmp(&b.until).then(a.finding.cmp(&b.finding)));
    let headline = trend.last().cloned().unwrap_or_default();
    Ok(Review {
        week: week.to_string(),
        from: week.start(),
        to: week.end(),
        headline,
        trend,
        open_by_team,
        time_to_fix,
        expiring_acceptances: expiring,
        expectations_by_team,
        riskiest_services: riskiest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles() {
        assert_eq!(percentile(&[86_400, 2 * 86_400, 10 * 86_400], 0.5), 2.0);
    }
}
