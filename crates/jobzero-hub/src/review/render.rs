//! The review rendered for people: Markdown for the meeting's notes, HTML for the page.

use std::fmt::Write as _;

use crate::calendar::date;
use crate::html::{STYLE, escape, sparkline};

use super::{Headline, Review};

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

/// The review as one self-contained HTML page (inline CSS and SVG, no external resources).
pub fn html(r: &Review) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Weekly security review {}</title>\
         <style>{STYLE}</style></head><body>{}</body></html>\n",
        escape(&r.week),
        html_body(r)
    )
}

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
