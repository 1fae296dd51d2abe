//! The `secrets` family: hard-coded credentials in files.
//!
//! Detectors are data (`rules/*.toml`, see [`definition`]); the [`engine`] runs them all in
//! one keyword pass per file. A secret never leaves this crate whole: findings carry its
//! redacted form (at most four leading characters and the length) and a keyed hash of it as
//! evidence for the fingerprint.

pub mod concat;
pub mod definition;
pub mod encoded;
pub mod engine;
pub mod history;
pub mod placeholder;
pub mod validate;

use globset::GlobSet;
use hmac::{Hmac, KeyInit, Mac};
use jobzero_core::config::SecretsConfig;
use jobzero_core::redact::redact;
use jobzero_core::suppress::glob_set;
use jobzero_core::{
    Confidence, Family, FileOutput, Finding, Location, RuleMeta, ScanError, Scanner, SourceFile,
};
use regex::Regex;
use sha2::Sha256;

use crate::engine::{Candidate, ENGINE};

/// The family's rules, in definition order.
pub fn rules() -> &'static [&'static RuleMeta] {
    definition::RULES.as_slice()
}

/// Inline markers other secrets scanners honour; a secret on such a line was reviewed and
/// allowed there, so it is counted as suppressed by the tool (`tool`), not reported.
const FOREIGN_ALLOW_MARKERS: [&str; 4] = [
    "pragma: allowlist secret",
    "gitleaks:allow",
    "betterleaks:allow",
    "kingfisher:allow",
];

fn foreign_allowed(bytes: &[u8], at: usize) -> bool {
    let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
    let line = String::from_utf8_lossy(&bytes[start..end]);
    FOREIGN_ALLOW_MARKERS.iter().any(|m| line.contains(m))
}

/// The default key of the fingerprint hash; `[secrets] fingerprint-key` replaces it.
const DEFAULT_FINGERPRINT_KEY: &str = "jobzero secret fingerprint v1";
/// Characters of context kept on each side of a secret in a snippet.
const SNIPPET_CONTEXT: usize = 60;

/// A `[secrets]` setting that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// An `allow` regex that does not compile.
    #[error("invalid `[secrets] allow` regex `{pattern}`: {message}")]
    Allow {
        /// The regex as written.
        pattern: String,
        /// Why.
        message: String,
    },
    /// An `allow-paths` glob that does not compile.
    #[error("invalid `[secrets] allow-paths` glob `{glob}`: {message}")]
    AllowPath {
        /// The glob.
        glob: String,
        /// Why.
        message: String,
    },
}

/// The secrets scanner.
#[derive(Debug)]
pub struct SecretsScanner {
    allow: Vec<Regex>,
    allow_paths: GlobSet,
    key: Vec<u8>,
}

impl SecretsScanner {
    /// A scanner with the `[secrets]` settings of `jobzero.toml`.
    pub fn new(config: &SecretsConfig) -> Result<SecretsScanner, ConfigError> {
        let allow = config
            .allow
            .iter()
            .map(|p| {
                Regex::new(p).map_err(|e| ConfigError::Allow {
                    pattern: p.clone(),
                    message: e.to_string(),
                })
            })
            .collect::<Result<_, _>>()?;
        let allow_paths = glob_set(&config.allow_paths).map_err(|e| ConfigError::AllowPath {
            glob: e.glob.clone(),
            message: e.source.to_string(),
        })?;
        Ok(SecretsScanner {
            allow,
            allow_paths,
            key: config
                .fingerprint_key
                .as_deref()
                .unwrap_or(DEFAULT_FINGERPRINT_KEY)
                .as_bytes()
                .to_vec(),
        })
    }

    /// The keyed hash of a secret, as hex: the evidence its fingerprint is computed from.
    pub fn keyed_hash(&self, secret: &str) -> String {
        let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key) {
            Ok(mac) => mac,
            // HMAC accepts keys of any length; this arm is unreachable in practice.
            Err(_) => return String::new(),
        };
        mac.update(secret.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Reports a secret found in a rewritten view of the file (decoded, joined): the finding
    /// points at `span` of the original, and the secret itself, not the text at `span`,
    /// identifies it.
    fn push_hidden(
        &self,
        path: &str,
        bytes: &[u8],
        span: (usize, usize),
        inner: &Candidate,
        how: &str,
        out: &mut FileOutput,
    ) {
        if self.is_allowed(&inner.secret) {
            return;
        }
        let outer = Candidate {
            start: span.0,
            end: span.1,
            secret: String::from_utf8_lossy(&bytes[span.0..span.1]).into_owned(),
            ..inner.clone()
        };
        if let Some(mut f) = self.finding(path, bytes, &outer) {
            let title = ENGINE.detectors[inner.detector].meta.title;
            f.message = format!("{title} `{}` {how}", redact(&inner.secret));
            f.fingerprint =
                jobzero_core::finding::fingerprint(&f.rule, path, &self.keyed_hash(&inner.secret));
            out.findings.push(f);
        }
    }

    /// Whether `[secrets] allow` accepts this value.
    pub(crate) fn is_allowed(&self, secret: &str) -> bool {
        self.allow.iter().any(|r| r.is_match(secret))
    }

    pub(crate) fn finding(&self, path: &str, bytes: &[u8], c: &Candidate) -> Option<Finding> {
        let detector = &ENGINE.detectors[c.detector];
        let (line, col) = position(bytes, c.start);
        let (end_line, end_col) = position(bytes, c.end);
        let redacted = redact(&c.secret);
        let line_start = memchr::memrchr(b'\n', &bytes[..c.start]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &bytes[c.end..]).map_or(bytes.len(), |i| c.end + i);
        let before = String::from_utf8_lossy(&bytes[line_start..c.start]);
        let after = String::from_utf8_lossy(&bytes[c.end..line_end]);
        let before: String = {
            let n = before.chars().count();
            let kept: String = before
                .chars()
                .skip(n.saturating_sub(SNIPPET_CONTEXT))
                .collect();
            if n > SNIPPET_CONTEXT {
                format!("…{kept}")
            } else {
                kept
            }
        };
        let after: String = {
            let kept: String = after.chars().take(SNIPPET_CONTEXT).collect();
            if after.chars().count() > SNIPPET_CONTEXT {
                format!("{kept}…")
            } else {
                kept
            }
        };
        let snippet = format!("{before}{redacted}{after}");
        let confidence = match c.verdict {
            Some(validate::Verdict::Valid) => Confidence::High,
            Some(validate::Verdict::Unverified) => Confidence::Low,
            _ => detector.meta.confidence,
        };
        Finding::builder(detector.meta)
            .message(format!("{} `{redacted}`", detector.meta.title))
            .confidence(confidence)
            .location(
                Location::lines(path, line, end_line)
                    .columns(col, end_col)
                    .snippet(snippet),
            )
            .evidence(self.keyed_hash(&c.secret))
            .build()
            .ok()
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn position(bytes: &[u8], at: usize) -> (u32, u32) {
    let at = at.min(bytes.len());
    let line = memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1;
    let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&bytes[line_start..at])
        .chars()
        .count()
        + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

impl Scanner for SecretsScanner {
    fn family(&self) -> Family {
        Family::Secrets
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        rules()
    }

    fn wants(&self, path: &str) -> bool {
        !self.allow_paths.is_match(path)
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut FileOutput) {
        if let Some(e) = definition::LOADED.1.first() {
            // A broken built-in definition is a bug; say so rather than scan with a hole.
            out.errors
                .push(ScanError::new(file.path, None, e.to_string()));
            return;
        }
        let bytes = file.bytes;
        for c in ENGINE.scan(file.path, bytes) {
            if self.is_allowed(&c.secret) {
                continue;
            }
            if let Some(f) = self.finding(file.path, bytes, &c) {
                if foreign_allowed(bytes, c.start) {
                    out.tool_suppressed.push(f);
                } else {
                    out.findings.push(f);
                }
            }
        }
        // Literals concatenated on one line: the finding points at the whole expression.
        for j in concat::joined(bytes) {
            let plain: Vec<String> = ENGINE
                .scan(file.path, &bytes[j.start..j.end])
                .into_iter()
                .map(|c| c.secret)
                .collect();
            for c in ENGINE.scan(file.path, &j.line) {
                let (inner_start, inner_end) = j.inner;
                let spans_join = c.start < inner_end && inner_start < c.end;
                if spans_join && !plain.contains(&c.secret) {
                    self.push_hidden(
                        file.path,
                        bytes,
                        (j.start, j.end),
                        &c,
                        "split across concatenated strings",
                        out,
                    );
                }
            }
        }
        // One level of base64: the finding points at the encoded run.
        for run in encoded::runs(bytes) {
            for c in ENGINE.scan(file.path, &run.text) {
                self.push_hidden(
                    file.path,
                    bytes,
                    (run.start, run.end),
                    &c,
                    "in base64-encoded data",
                    out,
                );
            }
        }
    }
}
