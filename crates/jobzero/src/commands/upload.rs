//! `jobzero upload` (and the upload of `jobzero scan --upload`).

use std::path::Path;

use anyhow::Context;
use serde_json::{Value, json};

use crate::Outcome;
use crate::cli::HubArgs;
use crate::hub_client::Hub;

pub fn run(
    report: &Path,
    service: &str,
    commit: Option<&str>,
    complete: bool,
    hub: &HubArgs,
) -> anyhow::Result<Outcome> {
    let text = std::fs::read_to_string(report)
        .with_context(|| format!("{}: cannot read the report", report.display()))?;
    let value: Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: not a JSON report (write one with `jobzero scan --format json -o FILE`)",
            report.display()
        )
    })?;
    send(&Hub::from_args(hub)?, &value, service, commit, complete)?;
    Ok(Outcome::Clean)
}

/// Posts a report and prints what the hub changed.
pub fn send(
    hub: &Hub,
    report: &Value,
    service: &str,
    commit: Option<&str>,
    complete: bool,
) -> anyhow::Result<()> {
    send_with(hub, report, None, service, commit, complete)
}

/// [`send`] with the inventory of the scanned lockfiles.
pub fn send_with(
    hub: &Hub,
    report: &Value,
    inventory: Option<&[Value]>,
    service: &str,
    commit: Option<&str>,
    complete: bool,
) -> anyhow::Result<()> {
    if report.get("findings").and_then(Value::as_array).is_none() {
        anyhow::bail!("not a jobzero JSON report: it has no `findings` list");
    }
    let mut body =
        json!({"service": service, "commit": commit, "complete": complete, "report": report});
    if let Some(items) = inventory {
        body["inventory"] = Value::Array(items.to_vec());
    }
    let out = hub.post("/api/v1/uploads", &body, "upload")?;
    let n = |k: &str| out.get(k).and_then(Value::as_i64).unwrap_or(0);
    crate::write::note(&format!(
        "uploaded to {} (upload #{}): {} new, {} still open, {} reopened, {} resolved",
        hub.url(),
        n("upload"),
        n("opened"),
        n("seen"),
        n("reopened"),
        n("resolved")
    ));
    Ok(())
}
