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
    let mut text = hub.get_text(&path, "review")?;
    if format == "json" {
        let value: serde_json::Value = serde_json::from_str(&text)?;
        text = serde_json::to_string_pretty(&value)? + "\n";
    }
    crate::write::emit(&text, output)?;
    Ok(Outcome::Clean)
}
