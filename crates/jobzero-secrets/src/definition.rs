//! Detector definitions: one TOML file per detector in `rules/`, with its documentation and
//! its test cases beside the pattern.
//!
//! Data rather than Rust, unlike the other families' rules: a secret detector is a keyword
//! list, a pattern and a few thresholds, and hundreds of them read best (and are reviewed
//! best) as data, as Gitleaks and Kingfisher do. Each file still carries the same documented
//! sections as every other rule, and the registry meta-tests check them the same way.

use std::sync::LazyLock;

use jobzero_core::rule::{Family, RuleMeta};
use jobzero_core::{Confidence, Severity, expectation};
use serde::Deserialize;

/// A detector as written in its TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// `secret/<name>`.
    pub id: String,
    /// `SEC` and three or four digits.
    pub code: String,
    /// Lowercase-first, no final period.
    pub title: String,
    /// Default severity.
    pub severity: Severity,
    /// Confidence when the pattern matches (raised by a passing validator).
    pub confidence: Confidence,
    /// Expectation id (`JZ-SECRET-HARDCODED`, `JZ-CRED-LONGTERM`).
    pub expectation: String,
    /// Lowercase keywords; the pattern runs only on lines where one appears.
    pub keywords: Vec<String>,
    /// A Rust regex; the named group `secret`, else group 1, else the whole match is the
    /// secret.
    pub pattern: String,
    /// Minimum Shannon entropy of the secret, in bits per character.
    #[serde(default)]
    pub entropy: Option<f64>,
    /// A structural check: `github-checksum`, `jwt`, `pem`, `base64`.
    #[serde(default)]
    pub validate: Option<String>,
    /// The pattern may span lines (private keys).
    #[serde(default)]
    pub multiline: bool,
    /// Skip the placeholder filter (for formats whose real values look like placeholders).
    #[serde(default)]
    pub allow_placeholders: bool,
    /// Globs of the files the detector applies to (`**/.netrc`); empty means every file.
    #[serde(default)]
    pub files: Vec<String>,
    /// Globs of files the detector does not apply to.
    #[serde(default)]
    pub files_excluded: Vec<String>,
    /// A regex the file must match somewhere for the detector to run (`(?m)^kind: Secret$`).
    #[serde(default)]
    pub requires: Option<String>,
    /// Regexes the secret must all match (a digit and a letter: random values have both).
    #[serde(default)]
    pub secret_must_match: Vec<String>,
    /// Regexes the secret must not match (dotted identifiers: code, not credentials).
    #[serde(default)]
    pub secret_must_not_match: Vec<String>,
    /// Regexes that, matching the line of a candidate, make it not a secret
    /// (`hashed_secret`: a hash of a secret is not one).
    #[serde(default)]
    pub line_must_not_match: Vec<String>,
    /// A broad detector (a credential assigned to a secret-looking name) that yields to any
    /// specific detector matching the same text.
    #[serde(default)]
    pub generic: bool,
    /// A detector that does not know the issuer: one tool's credential setting
    /// (`TWINE_PASSWORD`, `docker login -p`, Terraform's `credentials` block) or a token format
    /// many issuers share (a JWT). It yields to a provider's detector matching the same text,
    /// and the generic detectors yield to it.
    #[serde(default)]
    pub tool: bool,
    /// How `scan --verify` asks the issuer whether the secret is live.
    #[serde(default)]
    pub verify: Option<crate::verify_spec::VerifySpec>,
    /// `## What it finds`.
    pub what: String,
    /// `## Why it matters`.
    pub why: String,
    /// `## Example`.
    pub example: String,
    /// `## Remediation`.
    pub remediation: String,
    /// `## References`: URLs and CWE ids.
    pub references: Vec<String>,
    /// Texts the detector must report.
    pub positives: Vec<String>,
    /// Texts it must not report.
    pub negatives: Vec<String>,
}

/// A definition that could not be loaded: a bug in the repository, reported by the tests.
#[derive(Debug, Clone, thiserror::Error)]
#[error("rules/{file}: {message}")]
pub struct DefinitionError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

mod generated {
    include!(concat!(env!("OUT_DIR"), "/definitions.rs"));
}

/// The rendered documentation of a definition, in the sections every rule has.
pub fn render_docs(d: &Definition) -> String {
    let references: String = d.references.iter().map(|r| format!("- {r}\n")).collect();
    let verify = d.verify.as_ref().map_or_else(String::new, |v| {
        let host = if v.url == "{secret}" {
            v.hosts.join(", ")
        } else {
            v.url
                .trim_start_matches("https://")
                .split(['/', '?'])
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        format!(
            "\n\n`jobzero scan --verify` asks the issuer (`{host}`, provider `{}`) whether the secret is live, with one read-only request.",
            v.provider
        )
    });
    format!(
        "## What it finds\n{}{verify}\n\n## Why it matters\n{}\n\n## Example\n{}\n\n## Remediation\n{}\n\n## References\n{}",
        d.what.trim(),
        d.why.trim(),
        d.example.trim(),
        d.remediation.trim(),
        references
    )
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn load(file: &str, text: &str) -> Result<(Definition, &'static RuleMeta), DefinitionError> {
    let err = |message: String| DefinitionError {
        file: file.to_owned(),
        message,
    };
    let d: Definition = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    let expectation = expectation::find(&d.expectation)
        .ok_or_else(|| err(format!("unknown expectation `{}`", d.expectation)))?;
    let meta: &'static RuleMeta = Box::leak(Box::new(RuleMeta {
        id: leak(d.id.clone()),
        code: leak(d.code.clone()),
        title: leak(d.title.clone()),
        family: Family::Secrets,
        severity: d.severity,
        confidence: d.confidence,
        expectation,
        dynamic_ids: false,
        docs: leak(render_docs(&d)),
    }));
    Ok((d, meta))
}

/// The definitions that load, with their rule metadata, and the errors of those that do not.
pub type Loaded = (Vec<(Definition, &'static RuleMeta)>, Vec<DefinitionError>);

/// Every definition that loads, with its rule metadata, in file order; and the errors.
pub static LOADED: LazyLock<Loaded> = LazyLock::new(|| {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for (file, text) in generated::DEFINITIONS {
        match load(file, text) {
            Ok(pair) => ok.push(pair),
            Err(e) => errors.push(e),
        }
    }
    (ok, errors)
});

/// The rule metadata of every detector, in file order.
pub static RULES: LazyLock<Vec<&'static RuleMeta>> =
    LazyLock::new(|| LOADED.0.iter().map(|(_, meta)| *meta).collect());
