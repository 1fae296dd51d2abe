//! Reading a SARIF log, with errors that name the line.

use serde_sarif::sarif::Sarif;

/// Why a SARIF log could not be ingested.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The file is not JSON.
    #[error("not valid JSON: {message}")]
    Syntax {
        /// 1-based line.
        line: u32,
        /// The JSON parser's message.
        message: String,
    },
    /// A SARIF version other than 2.1.0.
    #[error("unsupported SARIF version `{version}` (jobzero ingests SARIF 2.1.0)")]
    Version {
        /// 1-based line of the `version` property.
        line: Option<u32>,
        /// The version as written.
        version: String,
    },
    /// JSON, but not a SARIF 2.1.0 log.
    #[error("not a valid SARIF 2.1.0 log: {message}")]
    Shape {
        /// 1-based line.
        line: u32,
        /// What is wrong.
        message: String,
    },
}

impl LoadError {
    /// The line the error is on, when known.
    pub fn line(&self) -> Option<u32> {
        match self {
            LoadError::Syntax { line, .. } | LoadError::Shape { line, .. } => Some(*line),
            LoadError::Version { line, .. } => *line,
        }
    }
}

fn line_u32(line: usize) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// serde_json's message without its " at line L column C" suffix (the line is reported
/// apart) and with quoted input values elided: a malformed log may quote a secret
/// (`invalid type: string "ghp_…"`), and error messages reach every output.
fn bare_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        if c == '"' {
            if inside {
                out.push_str("…\"");
            } else {
                out.push('"');
            }
            inside = !inside;
        } else if !inside {
            out.push(c);
        }
    }
    out
}

/// Parses a SARIF 2.1.0 log. `text` must not start with a byte-order mark.
pub fn parse(text: &str) -> Result<Sarif, LoadError> {
    match serde_json::from_str::<Sarif>(text) {
        Ok(log) if log.version.as_str() == Some("2.1.0") => Ok(log),
        Ok(log) => Err(version_error(text, &log.version)),
        Err(strict) => {
            let value: serde_json::Value =
                serde_json::from_str(text).map_err(|e| LoadError::Syntax {
                    line: line_u32(e.line()),
                    message: bare_message(&e),
                })?;
            match value.get("version") {
                Some(v) if v.as_str() == Some("2.1.0") => Err(LoadError::Shape {
                    line: line_u32(strict.line()),
                    message: bare_message(&strict),
                }),
                Some(v) => Err(version_error(text, v)),
                None => Err(LoadError::Shape {
                    line: 1,
                    message: "no `version` property: not a SARIF log".to_owned(),
                }),
            }
        }
    }
}

fn version_error(text: &str, version: &serde_json::Value) -> LoadError {
    let line = text
        .lines()
        .position(|l| l.contains("\"version\""))
        .map(|i| line_u32(i + 1));
    LoadError::Version {
        line,
        version: version
            .as_str()
            .map_or_else(|| version.to_string(), str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_log_parses() {
        let log = parse(r#"{"version": "2.1.0", "runs": []}"#).unwrap();
        assert!(log.runs.is_empty());
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("{\n  \"version\": \"2.1.0\",\n  \"runs\": [\n}").unwrap_err();
        assert!(matches!(e, LoadError::Syntax { line: 4, .. }), "{e:?}");
        let e = parse("{\n\"version\": \"2.0.0\",\n\"runs\": []}").unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(e.to_string().contains("`2.0.0`"));
        let e = parse("{\"version\": \"2.1.0\",\n\"runs\": 42}").unwrap_err();
        assert!(matches!(e, LoadError::Shape { line: 2, .. }), "{e:?}");
        let e = parse("{\"version\": \"2.1.0\", \"runs\": \"ghp_secretvalue\"}").unwrap_err();
        assert!(!e.to_string().contains("ghp_secretvalue"), "{e}");
        let e = parse("[1, 2]").unwrap_err();
        assert!(
            matches!(e, LoadError::Syntax { .. } | LoadError::Shape { .. }),
            "{e:?}"
        );
        assert!(parse("").is_err());
    }
}
