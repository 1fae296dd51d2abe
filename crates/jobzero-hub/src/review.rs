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
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;

use crate::error::HubError;
use crate::store::Store;

const WEEK: i64 = 7 * 86_400;
const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "info"];

/// An ISO week: `2026-W48`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IsoWeek {
    /// ISO week-numbering year.
    pub year: i32,
    /// Week, 1 to 53.
    pub week: u32,
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Monday = 0.
fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

fn year_of(days: i64) -> i64 {
    // Civil year of a day count.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(m <= 2)
}

impl IsoWeek {
    /// Parses `YYYY-Www`.
    pub fn parse(text: &str) -> Result<IsoWeek, HubError> {
        let bad = || HubError::BadRequest(format!("`{text}` is not an ISO week like 2026-W48"));
        let (y, w) = text.trim().split_once("-W").ok_or_else(bad)?;
        let week = IsoWeek {
            year: y.parse().map_err(|_| bad())?,
            week: w.parse().map_err(|_| bad())?,
        };
        if week.week == 0 || week.week > 53 || IsoWeek::containing(week.start()) != week {
            return Err(bad());
        }
        Ok(week)
    }

    /// Monday 00:00 UTC of week 1 of `year`.
    fn week_one(year: i64) -> i64 {
        let jan4 = days_from_civil(year, 1, 4);
        (jan4 - weekday(jan4)) * 86_400
    }

    /// The week containing a time.
    pub fn containing(t: i64) -> IsoWeek {
        let days = t.div_euclid(86_400);
        let thursday = days - weekday(days) + 3;
        let year = year_of(thursday);
        let week = (thursday * 86_400 - IsoWeek::week_one(year)) / WEEK + 1;
        IsoWeek {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            week: u32::try_from(week).unwrap_or(1),
        }
    }

    /// Monday 00:00 UTC.
    pub fn start(self) -> i64 {
        IsoWeek::week_one(i64::from(self.year)) + (i64::from(self.week) - 1) * WEEK
    }

    /// The next Monday 00:00 UTC (exclusive end).
    pub fn end(self) -> i64 {
        self.start() + WEEK
    }

    /// The week before.
    pub fn previous(self) -> IsoWeek {
        IsoWeek::containing(self.start() - 1)
    }
}

impl std::fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

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

/// `YYYY-MM-DD` (UTC) of a Unix time.
pub fn date(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let y = year_of(days);
    let mut m = 1;
    while m < 12 && days_from_civil(y, m + 1, 1) <= days {
        m += 1;
    }
    let d = days - days_from_civil(y, m, 1) + 1;
    format!("{y:04}-{m:02}-{d:02}")
}

/// A headline number's change from the week before, signed.
fn change(trend: &[Headline], f: impl Fn(&Headline) -> f64) -> String {
    match trend {
        [.., a, b] => {
            let d = f(b) - f(a);
            if d.abs() < f64::EPSILON {
                "±0".to_owned()
            } else if d > 0.0 {
                format!("+{}", trim(d))
            } else {
                trim(d)
            }
        }
        _ => "–".to_owned(),
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}

type Metric = (&'static str, fn(&Headline) -> f64, bool);

#[allow(clippy::cast_precision_loss, reason = "counts as chart values")]
fn metrics() -> [Metric; 10] {
    [
        ("Open findings", |h| h.open as f64, false),
        ("New", |h| h.new as f64, false),
        ("Resolved", |h| h.resolved as f64, true),
        ("Reopened", |h| h.reopened as f64, false),
        ("Overdue", |h| h.overdue as f64, false),
        ("Escalations sent", |h| h.escalations_sent as f64, false),
        ("Launches blocked", |h| h.launches_blocked as f64, false),
        ("SLA compliance %", |h| h.sla_compliance, true),
        (
            "Median days to fix",
            |h| h.median_days_to_fix.unwrap_or(0.0),
            false,
        ),
        ("Recurrence rate %", |h| h.recurrence_rate, false),
    ]
}

/// The review as Markdown.
pub fn markdown(r: &Review) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Weekly security review — {} ({} to {})\n",
        r.week,
        date(r.from),
        date(r.to - 1)
    );
    let _ = writeln!(
        out,
        "## Headline\n\n| number | this week | change | 12 weeks |\n|---|---:|---:|---|"
    );
    for (name, f, _) in metrics() {
        let values: Vec<String> = r.trend.iter().map(|h| trim(f(h))).collect();
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} |",
            trim(f(&r.headline)),
            change(&r.trend, f),
            values.join(" · ")
        );
    }
    let _ = writeln!(
        out,
        "\n## Open findings by team\n\n| team | critical | high | medium | low | info |\n|---|---:|---:|---:|---:|---:|"
    );
    for (team, counts) in &r.open_by_team {
        let c = |s: &str| counts.get(s).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "| {team} | {} | {} | {} | {} | {} |",
            c("critical"),
            c("high"),
            c("medium"),
            c("low"),
            c("info")
        );
    }
    let _ = writeln!(
        out,
        "\n## Time to fix (resolved this week)\n\n| severity | resolved | median days | p90 days |\n|---|---:|---:|---:|"
    );
    for t in &r.time_to_fix {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            t.severity,
            t.resolved,
            trim(t.median_days),
            trim(t.p90_days)
        );
    }
    let _ = writeln!(
        out,
        "\n## Riskiest services\n\n| service | team | score | open | overdue |\n|---|---|---:|---:|---:|"
    );
    for s in &r.riskiest_services {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            s.service, s.team, s.score, s.open, s.overdue
        );
    }
    let _ = writeln!(out, "\n## Risk acceptances ending within two weeks\n");
    if r.expiring_acceptances.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for e in &r.expiring_acceptances {
        let _ = writeln!(
            out,
            "- finding {} of {} ({}): ends {}",
            e.finding,
            e.service,
            e.team,
            date(e.until)
        );
    }
    let _ = writeln!(
        out,
        "\n## Security expectations by team (open findings; 0 = met)\n"
    );
    for (team, counts) in &r.expectations_by_team {
        let list: Vec<String> = counts.iter().map(|(e, n)| format!("{e} {n}")).collect();
        let _ = writeln!(
            out,
            "- **{team}**: {}",
            if list.is_empty() {
                "no findings".to_owned()
            } else {
                list.join(", ")
            }
        );
    }
    let _ = writeln!(
        out,
        "\n*Computed from the hub's audit log. Time to fix runs from a deadline cycle's opening to its resolution; SLA compliance is the share of the week's resolutions made by their deadline; recurrence rate is the share of the week's openings that were reopenings; risk weights: critical 10, high 5, medium 2, low 1, doubled when overdue.*"
    );
    out
}

/// HTML-escapes text for element content and quoted attributes.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A small inline SVG line chart of 12 values.
pub(crate) fn sparkline(values: &[f64]) -> String {
    let (w, h) = (180.0, 36.0);
    let max = values.iter().copied().fold(0.0_f64, f64::max).max(1.0);
    #[allow(clippy::cast_precision_loss, reason = "a dozen points")]
    let step = w / (values.len().max(2) - 1) as f64;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            #[allow(clippy::cast_precision_loss, reason = "a dozen points")]
            let x = i as f64 * step;
            format!("{x:.1},{:.1}", h - 2.0 - (v / max) * (h - 4.0))
        })
        .collect();
    format!(
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\"><polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" points=\"{}\"/></svg>",
        points.join(" ")
    )
}

/// The review as one self-contained HTML page (inline CSS and SVG, no external resources).
pub fn html(r: &Review) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Weekly security review {}</title>\
         <style>{STYLE}</style></head><body>{}</body></html>\n",
        escape(&r.week),
        html_body(r)
    )
}

/// The stylesheet of review pages (also served by the dashboard as a file, for its CSP).
pub const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1b1f24}\
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border-bottom:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}\
td.n{text-align:right}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}.up{color:#1a7f37}.down{color:#cf222e}\
nav a{margin-right:1rem}.go{color:#1a7f37;font-weight:bold}.nogo{color:#cf222e;font-weight:bold}\
@media print{body{margin:0}svg polyline{stroke:#000}nav{display:none}}";

/// The review's content, for a page of its own or the dashboard.
pub fn html_body(r: &Review) -> String {
    let md = markdown(r);
    let mut out = String::new();
    let _ = write!(
        out,
        "<h1>Weekly security review — {} ({} to {})</h1><h2>Headline</h2><table><tr><th>number</th><th>this week</th><th>change</th><th>12 weeks</th></tr>",
        escape(&r.week),
        date(r.from),
        date(r.to - 1)
    );
    for (name, f, higher_is_better) in metrics() {
        let values: Vec<f64> = r.trend.iter().map(f).collect();
        let delta = change(&r.trend, f);
        let class = match (
            delta.starts_with('+'),
            delta.starts_with('-'),
            higher_is_better,
        ) {
            (true, _, true) | (_, true, false) => "up",
            (true, _, false) | (_, true, true) => "down",
            _ => "",
        };
        let _ = write!(
            out,
            "<tr><td>{name}</td><td class=\"n\">{}</td><td class=\"n {class}\">{}</td><td>{}</td></tr>",
            trim(f(&r.headline)),
            escape(&delta),
            sparkline(&values)
        );
    }
    out.push_str("</table>");
    // The detailed sections, as preformatted Markdown tables converted line by line.
    let detail = md.split("\n## ").skip(2).collect::<Vec<_>>();
    for section in detail {
        let mut lines = section.lines();
        let title = lines.next().unwrap_or("");
        let _ = write!(out, "<h2>{}</h2>", escape(title));
        let mut in_table = false;
        for line in lines {
            if line.starts_with('|') {
                if line.contains("---") {
                    continue;
                }
                if !in_table {
                    out.push_str("<table>");
                    in_table = true;
                }
                out.push_str("<tr>");
                for cell in line.trim_matches('|').split('|') {
                    let _ = write!(out, "<td>{}</td>", escape(cell.trim()));
                }
                out.push_str("</tr>");
            } else {
                if in_table {
                    out.push_str("</table>");
                    in_table = false;
                }
                if !line.trim().is_empty() {
                    let _ = write!(out, "<p>{}</p>", escape(line.trim_start_matches("- ")));
                }
            }
        }
        if in_table {
            out.push_str("</table>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn iso_weeks() {
        // 2026-01-01 is a Thursday: week 1 starts Monday 2025-12-29.
        let w = IsoWeek::parse("2026-W01").unwrap();
        assert_eq!(date(w.start()), "2025-12-29");
        assert_eq!(IsoWeek::containing(w.start() + 86_400 * 6 + 3_600), w);
        assert_eq!(IsoWeek::parse("2026-W48").unwrap().to_string(), "2026-W48");
        assert_eq!(
            date(IsoWeek::parse("2026-W48").unwrap().start()),
            "2026-11-23"
        );
        assert_eq!(
            IsoWeek::parse("2020-W53").unwrap().previous().to_string(),
            "2020-W52"
        );
        assert_eq!(
            IsoWeek::parse("2021-W01").unwrap().previous().to_string(),
            "2020-W53"
        );
        assert!(IsoWeek::parse("2021-W53").is_err());
        assert!(IsoWeek::parse("2021-48").is_err());
        assert_eq!(percentile(&[86_400, 2 * 86_400, 10 * 86_400], 0.5), 2.0);
    }
}
