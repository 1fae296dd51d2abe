//! The `secrets` family: hard-coded credentials in files.
//!
//! Detectors are data (`rules/*.toml`, see [`definition`]); the [`engine`] runs them all in
//! one keyword pass per file. A secret never leaves this crate whole: findings carry its
//! redacted form (at most four leading characters and the length) and a keyed hash of it as
//! evidence for the fingerprint.

pub mod concat;
pub mod context;
pub mod definition;
pub mod encoded;
pub mod engine;
pub mod history;
pub mod literal;
pub mod names;
pub mod placeholder;
pub mod sigv4;
pub mod validate;
pub mod verify;
pub mod verify_spec;

use globset::GlobSet;
use hmac::{Hmac, KeyInit, Mac};
use jobzero_core::config::SecretsConfig;
use jobzero_core::redact::SecretSpotter;
use jobzero_core::redact::redact;
use jobzero_core::scan::HistoryResult;
use jobzero_core::suppress::glob_set;
use jobzero_core::{
    Confidence, Family, FileOutput, Finding, Location, RuleMeta, ScanError, Scanner, Severity,
    SourceFile,
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
    /// `scan --verify`: collects the secrets to ask their issuers about after the scan.
    verifier: Option<std::sync::Arc<verify::Verifier>>,
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
            verifier: None,
        })
    }

    /// The scanner, queuing every secret its detector can verify for `verifier`.
    #[must_use]
    pub fn with_verifier(mut self, verifier: std::sync::Arc<verify::Verifier>) -> SecretsScanner {
        self.verifier = Some(verifier);
        self
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

    /// Every secret in `bytes` (the file at `path`) that `[secrets] allow` does not accept
    /// (see [`detect_all`]).
    pub fn detect(&self, path: &str, bytes: &[u8]) -> Vec<Detected> {
        detect_all(path, bytes)
            .into_iter()
            .filter(|d| !self.is_allowed(&d.candidate.secret))
            .collect()
    }

    /// Whether `[secrets] allow` accepts this value.
    pub(crate) fn is_allowed(&self, secret: &str) -> bool {
        self.allow.iter().any(|r| r.is_match(secret))
    }

    /// The finding of one detected secret; `all` is every secret of the file, each redacted
    /// in the snippet too when it shares the line.
    pub(crate) fn finding(
        &self,
        path: &str,
        bytes: &[u8],
        d: &Detected,
        all: &[Detected],
    ) -> Option<Finding> {
        let c = &d.candidate;
        let (start, end) = d.span;
        let detector = &ENGINE.detectors[c.detector];
        let (line, col) = position(bytes, start);
        let (end_line, end_col) = position(bytes, end);
        let redacted = redact(&c.secret);
        let snippet = snippet(bytes, d.span, all);
        let confidence = match c.verdict {
            Some(validate::Verdict::Valid) => Confidence::High,
            Some(validate::Verdict::Unverified) => Confidence::Low,
            _ => detector.meta.confidence,
        };
        let mut message = match d.hidden {
            Some(how) => format!("{} `{redacted}` {how}", detector.meta.title),
            None => format!("{} `{redacted}`", detector.meta.title),
        };
        let mut confidence = confidence;
        let mut severity = detector.meta.severity;
        let generic = detector.def.generic || detector.def.tool;
        // A generic finding says what made it fire: the name the value is assigned to and how
        // random the value is.
        // (A format detector, such as the JWT one, fires on structure and says so already.)
        if generic && detector.def.validate.is_none() && d.hidden.is_none() {
            let line_start = bytes[..c.start]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let before = String::from_utf8_lossy(&bytes[line_start..c.start]);
            let entropy = engine::entropy(c.secret.as_bytes());
            let name = context::assigned_name(&before).and_then(|n| {
                if !n.eq_ignore_ascii_case("value") {
                    return Some(n.to_owned());
                }
                // A name/value entry: the name is the entry's `name`, a line or two above.
                let from = c.start.saturating_sub(300);
                let window = String::from_utf8_lossy(&bytes[from..c.start]).into_owned();
                context::entry_name(&window).map(str::to_owned)
            });
            match name {
                Some(name) => message.push_str(&format!(
                    " (assigned to `{name}`; entropy {entropy:.1} bits per character)"
                )),
                None => message.push_str(&format!(" (entropy {entropy:.1} bits per character)")),
            }
        }
        // Demo values and test files: reported, with low confidence; a generic one also
        // with low severity (a test's password is rarely anyone's real one).
        let demo = generic && context::is_demo_value(&c.secret);
        let in_test = context::is_test_path(path);
        if demo || in_test {
            confidence = Confidence::Low;
            if generic {
                severity = Severity::Low;
            }
            message.push_str(if demo {
                " — an obvious demo value"
            } else {
                " — in a test or fixture file"
            });
        }
        Finding::builder(detector.meta)
            .message(message)
            .severity(severity)
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

/// Puts the issuers' answers on the findings they concern: `verified`, and for a live secret
/// an effective severity one step higher.
pub fn annotate(
    findings: &mut [Finding],
    answers: &std::collections::BTreeMap<verify::Key, verify::Answer>,
) {
    for f in findings {
        let Some(answer) = answers.get(&verify::key_of(f)) else {
            continue;
        };
        f.verified = Some(answer.verified);
        if answer.verified == jobzero_core::Verified::Live {
            let raised = f.effective_severity.raised();
            f.set_effective_severity(
                raised,
                format!("verified live: {} ({})", answer.provider, answer.detail),
            );
        }
    }
}

/// Every secret in `bytes` (the file at `path`): what the detectors see in the text, then in
/// literals joined across concatenation, then one level down in base64.
pub fn detect_all(path: &str, bytes: &[u8]) -> Vec<Detected> {
    let mut found: Vec<Detected> = ENGINE
        .scan(path, bytes)
        .into_iter()
        .map(|c| Detected {
            span: (c.start, c.end),
            candidate: c,
            hidden: None,
        })
        .collect();
    // Literals concatenated on one line: the finding points at the whole expression.
    for j in concat::joined(bytes) {
        let plain: Vec<String> = ENGINE
            .scan(path, &bytes[j.start..j.end])
            .into_iter()
            .map(|c| c.secret)
            .collect();
        for c in ENGINE.scan(path, &j.line) {
            let (inner_start, inner_end) = j.inner;
            let spans_join = c.start < inner_end && inner_start < c.end;
            if spans_join && !plain.contains(&c.secret) {
                found.push(Detected {
                    span: (j.start, j.end),
                    candidate: c,
                    hidden: Some("split across concatenated strings"),
                });
            }
        }
    }
    // One level of base64: the finding points at the encoded run.
    for run in encoded::runs(bytes) {
        for c in ENGINE.scan(path, &run.text) {
            found.push(Detected {
                span: (run.start, run.end),
                candidate: c,
                hidden: Some("in base64-encoded data"),
            });
        }
    }
    found
}

/// A secret found in a file: the detector's candidate, and where the finding points (the
/// candidate itself, or the expression or encoded run that hides it).
#[derive(Debug, Clone)]
pub struct Detected {
    /// What the detector matched (in a rewritten view of the file when `hidden`).
    pub candidate: Candidate,
    /// Byte range in the file the finding points at.
    pub span: (usize, usize),
    /// How the secret was hidden, when it was found in a rewritten view.
    pub hidden: Option<&'static str>,
}

/// The lines around `span` with every detected secret on them redacted, cut to
/// [`SNIPPET_CONTEXT`] characters on each side. Redaction comes before the cut, so that no
/// cut can leave part of a secret whole.
fn snippet(bytes: &[u8], span: (usize, usize), all: &[Detected]) -> String {
    let (start, end) = span;
    let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
    let line_end = memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |i| end + i);
    let others = |from: usize, to: usize| -> Vec<std::ops::Range<usize>> {
        all.iter()
            .map(|d| d.span)
            .filter(|&(s, e)| s < to && from < e)
            .map(|(s, e)| s.max(from) - from..e.min(to) - from)
            .collect()
    };
    let before = String::from_utf8_lossy(&bytes[line_start..start]);
    let before = jobzero_core::redact::redact_spans(&before, others(line_start, start));
    let after = String::from_utf8_lossy(&bytes[end..line_end]);
    let after = jobzero_core::redact::redact_spans(&after, others(end, line_end));
    let own = redact(&String::from_utf8_lossy(&bytes[start..end]));
    let n = before.chars().count();
    let kept: String = before
        .chars()
        .skip(n.saturating_sub(SNIPPET_CONTEXT))
        .collect();
    let before = if n > SNIPPET_CONTEXT {
        format!("…{kept}")
    } else {
        kept
    };
    let kept: String = after.chars().take(SNIPPET_CONTEXT).collect();
    let after = if after.chars().count() > SNIPPET_CONTEXT {
        format!("{kept}…")
    } else {
        kept
    };
    format!("{before}{own}{after}")
}

/// The secrets family's detectors as a [`SecretSpotter`]: what the scan session uses to
/// redact secrets in every family's findings. It ignores `[secrets] allow`: redacting a value
/// someone allowed costs nothing, showing a real one costs a rotation.
#[derive(Debug, Clone, Copy)]
pub struct Spotter;

/// The spotter every scan and the hub use.
pub static SPOTTER: Spotter = Spotter;

impl SecretSpotter for Spotter {
    fn spans(&self, path: &str, text: &str) -> Vec<std::ops::Range<usize>> {
        detect_all(path, text.as_bytes())
            .into_iter()
            .map(|d| d.span.0..d.span.1)
            .collect()
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

    fn rules(&self) -> Vec<&'static RuleMeta> {
        rules().to_vec()
    }

    fn wants(&self, path: &str) -> bool {
        !self.allow_paths.is_match(path)
    }

    fn history(&self, root: &std::path::Path, max_blob_size: u64) -> Option<HistoryResult> {
        Some(
            history::scan(self, root, max_blob_size)
                .map(|h| (h.findings, h.errors))
                .map_err(|e| e.to_string()),
        )
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut FileOutput) {
        if let Some(e) = definition::LOADED.1.first() {
            // A broken built-in definition is a bug; say so rather than scan with a hole.
            out.errors
                .push(ScanError::new(file.path, None, e.to_string()));
            return;
        }
        let bytes = file.bytes;
        let detected = self.detect(file.path, bytes);
        // AWS key ids of the file, to pair with a secret key for `--verify`.
        let ids: Vec<(usize, String)> = if self.verifier.is_some() {
            detected
                .iter()
                .filter(|d| {
                    ENGINE.detectors[d.candidate.detector].def.id == "secret/aws-access-key-id"
                })
                .map(|d| (d.candidate.start, d.candidate.secret.clone()))
                .collect()
        } else {
            Vec::new()
        };
        for d in &detected {
            if let Some(f) = self.finding(file.path, bytes, d, &detected) {
                if foreign_allowed(bytes, d.span.0) {
                    out.tool_suppressed.push(f);
                } else {
                    if let Some(v) = &self.verifier {
                        let c = &d.candidate;
                        if let Some(subject) = verify::subject(c.detector, c.start, &c.secret, &ids)
                        {
                            v.submit(verify::key_of(&f), c.detector, &subject);
                        }
                    }
                    out.findings.push(f);
                }
            }
        }
        for d in detected {
            if d.hidden.is_some() {
                out.secrets
                    .push(String::from_utf8_lossy(&bytes[d.span.0..d.span.1]).into_owned());
            }
            out.secrets.push(d.candidate.secret);
        }
    }
}
