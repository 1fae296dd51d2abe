//! `jobzero upload` (and the upload of `jobzero scan --upload`).

use std::path::Path;

use anyhow::Context;
use jobzero_core::Report;
use jobzero_hub::api::{UploadOutcome, UploadRequest};

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
    let report: Report = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: not a jobzero JSON report ({e}); write one with `jobzero scan --format json -o FILE`",
            report.display(),
            e.line(),
            e.column()
        )
    })?;
    send(&Hub::from_args(hub)?, report, service, commit, complete)?;
    Ok(Outcome::Clean)
}

/// Posts a report (its inventory included) and prints what the hub changed.
pub fn send(
    hub: &Hub,
    report: Report,
    service: &str,
    commit: Option<&str>,
    complete: bool,
) -> anyhow::Result<()> {
    let request = UploadRequest {
        service: service.to_owned(),
        commit: commit.map(str::to_owned),
        complete,
        report,
        inventory: None,
    };
    let out: UploadOutcome = hub.post("/api/v1/uploads", &request, "upload")?;
    crate::write::note(&format!(
        "uploaded to {} (upload #{}): {} new, {} still open, {} reopened, {} resolved",
        hub.url(),
        out.upload,
        out.opened,
        out.seen,
        out.reopened,
        out.resolved
    ));
    Ok(())
}
