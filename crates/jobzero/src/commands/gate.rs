//! `jobzero gate`: go / no-go for a launch.

use std::fmt::Write as _;

use jobzero_hub::api::Decision;

use crate::Outcome;
use crate::cli::{HubArgs, ListFormat};
use crate::hub_client::{Hub, date};

pub fn run(
    service: &str,
    release: Option<&str>,
    format: ListFormat,
    hub: &HubArgs,
) -> anyhow::Result<Outcome> {
    let hub = Hub::from_args(hub)?;
    let mut path = format!("/api/v1/services/{}/gate", encode(service));
    if let Some(r) = release {
        let _ = write!(path, "?release={}", encode(r));
    }
    let d: Decision = hub.get(&path, "gate")?;
    match format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&d)?),
        ListFormat::Human => print!("{}", human(&d, service, release)),
    }
    Ok(if d.go {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn human(d: &Decision, service: &str, release: Option<&str>) -> String {
    let release = release.map(|r| format!(" {r}")).unwrap_or_default();
    let mut out = if d.go {
        format!(
            "GO: {service}{release} may launch (no open finding at or above {}, none overdue)\n",
            d.threshold
        )
    } else {
        format!(
            "NO-GO: {service}{release} is blocked by {} finding(s):\n",
            d.blocking.len()
        )
    };
    for b in &d.blocking {
        let line = b.line.map(|l| format!(":{l}")).unwrap_or_default();
        let due = b
            .due_at
            .map_or_else(|| "no deadline".to_owned(), |t| format!("due {}", date(t)));
        let contact = b
            .owner_contact
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  #{} {} {} — {}{line}\n      {}; owner {}{contact}; {due}; {}",
            b.id,
            b.effective_severity,
            b.rule,
            b.path,
            b.title,
            b.owner,
            b.reasons.join(", ")
        );
    }
    out
}

/// Percent-encodes a path segment or query value.
fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
