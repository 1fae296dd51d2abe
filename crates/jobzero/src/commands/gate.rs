//! `jobzero gate`: go / no-go for a launch.

use std::fmt::Write as _;

use serde_json::Value;

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
    let d = hub.get(&path, "gate")?;
    let go = d.get("go").and_then(Value::as_bool).unwrap_or(false);
    match format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&d)?),
        ListFormat::Human => print!("{}", human(&d, service, release, go)),
    }
    Ok(if go {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn human(d: &Value, service: &str, release: Option<&str>, go: bool) -> String {
    let release = release.map(|r| format!(" {r}")).unwrap_or_default();
    let blocking = d
        .get("blocking")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = if go {
        format!(
            "GO: {service}{release} may launch (no open finding at or above {}, none overdue)\n",
            d.get("threshold")
                .and_then(Value::as_str)
                .unwrap_or("the threshold")
        )
    } else {
        format!(
            "NO-GO: {service}{release} is blocked by {} finding(s):\n",
            blocking.len()
        )
    };
    for b in &blocking {
        let s = |k: &str| b.get(k).and_then(Value::as_str).unwrap_or("");
        let line = b
            .get("line")
            .and_then(Value::as_i64)
            .map(|l| format!(":{l}"))
            .unwrap_or_default();
        let due = b
            .get("due_at")
            .and_then(Value::as_i64)
            .map_or_else(|| "no deadline".to_owned(), |t| format!("due {}", date(t)));
        let contact = b
            .get("owner_contact")
            .and_then(Value::as_str)
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        let reasons: Vec<&str> = b
            .get("reasons")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  #{} {} {} — {}{line}\n      {}; owner {}{contact}; {due}; {}",
            b.get("id").and_then(Value::as_i64).unwrap_or(0),
            s("effective_severity"),
            s("rule"),
            s("path"),
            s("title"),
            s("owner"),
            reasons.join(", ")
        );
    }
    out
}

/// Percent-encodes a path segment or query value.
fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
