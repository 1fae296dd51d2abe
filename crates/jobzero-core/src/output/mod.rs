//! Output formats. Each writes a whole [`Report`](crate::report::Report).

pub mod gitlab;
pub mod human;
pub mod json;
pub mod sarif;

use std::str::FromStr;

/// A `--format` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Coloured text with code frames and a summary.
    Human,
    /// The versioned JSON report (`docs/report.schema.json`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
    Sarif,
    /// GitLab's security report (`artifacts: reports: sast:`).
    GitlabSast,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "human" => Ok(Format::Human),
            "json" => Ok(Format::Json),
            "sarif" => Ok(Format::Sarif),
            "gitlab-sast" => Ok(Format::GitlabSast),
            other => Err(format!(
                "unknown format `{other}` (expected human, json, sarif or gitlab-sast)"
            )),
        }
    }
}
