//! `jobzero review`: the weekly security review, as the hub computes it.

use std::path::Path;

use crate::Outcome;
use crate::cli::{HubArgs, ReviewFormat};
use crate::hub_client::Hub;

pub fn run(
    week: Option<&str>,
    format: ReviewFormat,
    output: Option<&Path>,
    hub: &HubArgs,
) -> anyhow::Result<Outcome> {
    let hub = Hub::from_args(hub)?;
    let format = match format {
        ReviewFormat::Markdown => "markdown",
        ReviewFormat::Html => "html",
        ReviewFormat::Json => "json",
    };
    let mut path = format!("/api/v1/review?format={format}");
    if let Some(w) = week {
        path.push_str("&week=");
        path.push_str(
            &percent_encoding::utf8_percent_encode(w, percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
        );
    }
    let answer = hub.get(&path, "review")?;
    let text = match answer {
        serde_json::Value::String(s) => s,
        other => serde_json::to_string_pretty(&other)? + "\n",
    };
    crate::write::emit(&text, output)?;
    Ok(Outcome::Clean)
}
