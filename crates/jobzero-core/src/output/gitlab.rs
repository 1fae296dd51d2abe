//! `--format gitlab-sast`: GitLab's security report format (schema 15.x, report type `sast`),
//! which `artifacts: reports: sast:` turns into merge-request widgets and the vulnerability
//! report. Every family's findings go in one report: GitLab shows each with its identifiers
//! (the jobzero rule, its CWE) whatever kind of scanner found it.

use std::time::SystemTime;

use serde_json::{Value, json};

use crate::finding::Finding;
use crate::report::Report;
use crate::severity::{Confidence, Severity};

/// The schema version written; GitLab accepts the 15.x versions.
pub const SCHEMA_VERSION: &str = "15.2.1";

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

fn confidence(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "High",
        Confidence::Medium => "Medium",
        Confidence::Low => "Low",
    }
}

fn seconds(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A UUID-shaped id from the finding's fingerprint: stable across scans, as GitLab tracks
/// a vulnerability by it.
fn id(f: &Finding) -> String {
    let hex: String = f
        .fingerprint
        .chars()
        .filter(char::is_ascii_hexdigit)
        .chain(std::iter::repeat('0'))
        .take(32)
        .collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn identifiers(f: &Finding) -> Vec<Value> {
    let mut out = vec![json!({
        "type": "jobzero_rule",
        "name": format!("{} {}", f.code, f.rule),
        "value": f.rule,
    })];
    for r in &f.references {
        if let Some(n) = r.strip_prefix("CWE-").filter(|n| n.parse::<u32>().is_ok()) {
            out.push(json!({
                "type": "cwe",
                "name": r,
                "value": n,
                "url": format!("https://cwe.mitre.org/data/definitions/{n}.html"),
            }));
        } else if r.starts_with("CVE-") || r.starts_with("GHSA-") {
            out.push(json!({
                "type": if r.starts_with("CVE-") { "cve" } else { "ghsa" },
                "name": r,
                "value": r,
            }));
        }
    }
    out
}

fn vulnerability(f: &Finding) -> Value {
    let loc = &f.location;
    let start = loc.start_line.max(1);
    let mut v = json!({
        "id": id(f),
        "name": f.title,
        "description": f.message,
        "severity": severity(f.effective_severity),
        "confidence": confidence(f.confidence),
        "solution": f.remediation,
        "location": {
            "file": loc.path,
            "start_line": start,
            "end_line": loc.end_line.max(start),
        },
        "identifiers": identifiers(f),
    });
    let links: Vec<Value> = f
        .references
        .iter()
        .filter(|r| r.starts_with("https://"))
        .map(|r| json!({ "url": r }))
        .collect();
    if !links.is_empty() {
        v["links"] = Value::Array(links);
    }
    v
}

/// The report as GitLab's SAST report JSON; `started` and `finished` bound the scan.
pub fn render(report: &Report, started: SystemTime, finished: SystemTime) -> String {
    let tool = json!({
        "id": "jobzero",
        "name": "jobzero",
        "version": report.tool.version,
        "vendor": { "name": "jobzero" },
    });
    let doc = json!({
        "version": SCHEMA_VERSION,
        "scan": {
            "analyzer": tool,
            "scanner": tool,
            "type": "sast",
            "start_time": crate::days::utc_timestamp(seconds(started)),
            "end_time": crate::days::utc_timestamp(seconds(finished)),
            "status": "success",
        },
        "vulnerabilities": report.findings.iter().map(vulnerability).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
