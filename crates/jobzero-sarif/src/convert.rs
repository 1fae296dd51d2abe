//! SARIF results → findings.

use std::collections::HashMap;

use jobzero_core::{Finding, Location, Severity};
use serde_sarif::sarif::{self, ReportingDescriptor, ResultKind, Run};

use jobzero_core::RuleMeta;

use crate::rules::{INGESTED_RESULT, INGESTED_SECRET, INGESTED_VULNERABILITY};

/// Tools whose snippets and messages may carry the secret they found.
const SECRET_TOOLS: [&str; 8] = [
    "gitleaks",
    "trufflehog",
    "detect-secrets",
    "kingfisher",
    "ggshield",
    "secretlint",
    "noseyparker",
    "jobzero-secrets",
];
/// Software-composition and image scanners: their results are about vulnerable components.
const VULNERABILITY_TOOLS: [&str; 11] = [
    "trivy",
    "grype",
    "osv-scanner",
    "snyk",
    "dependency-check",
    "pip-audit",
    "npm-audit",
    "govulncheck",
    "cargo-audit",
    "dependabot",
    "jobzero-deps",
];
/// Advisory id prefixes that mark a rule id as a vulnerability.
const ADVISORY_PREFIXES: [&str; 5] = ["CVE-", "RUSTSEC-", "PYSEC-", "GO-", "OSV-"];
/// Words (of a rule id, name or tag) that mark a result as being about a secret.
const SECRET_WORDS: [&str; 16] = [
    "secret",
    "secrets",
    "password",
    "passwords",
    "passwd",
    "credential",
    "credentials",
    "token",
    "tokens",
    "apikey",
    "privatekey",
    "accesskey",
    "pat",
    "hardcoded",
    "leak",
    "leaked",
];
/// Words that make a secret-sounding rule about something else: how secrets are handled,
/// not a secret sitting in the code (`js/insufficient-password-hash`).
const NOT_A_SECRET_WORDS: [&str; 14] = [
    "hash",
    "hashing",
    "validation",
    "missing",
    "weak",
    "insufficient",
    "logging",
    "storage",
    "transmission",
    "cleartext",
    "comparison",
    "timing",
    "policy",
    "expiration",
];
/// What replaces a snippet that may hold a secret.
pub const REDACTED: &str = "[redacted]";

/// Makes a tool name usable in a rule id: lowercase, `-` for anything but `a-z0-9._-`.
pub fn tool_slug(name: &str) -> String {
    let slug: String = name
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() {
        "unknown-tool".to_owned()
    } else {
        slug
    }
}

fn prop<'a>(bag: Option<&'a sarif::PropertyBag>, key: &str) -> Option<&'a serde_json::Value> {
    bag?.additional_properties.get(key)
}

fn score(value: &serde_json::Value) -> Option<f64> {
    match value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|s: &f64| s.is_finite())
}

fn level_severity(level: &str) -> Option<Severity> {
    match level {
        "error" => Some(Severity::High),
        "warning" => Some(Severity::Medium),
        "note" => Some(Severity::Low),
        "none" => Some(Severity::Info),
        _ => None,
    }
}

fn text_of(m: Option<&sarif::MultiformatMessageString>) -> Option<String> {
    m.map(|m| m.text.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// Longest message kept from another tool's log, in bytes.
const MAX_MESSAGE: usize = 8 * 1024;

/// Fills `{0}`, `{1}` … placeholders of a SARIF message template in one left-to-right pass
/// (an argument is never expanded again), with `{{` and `}}` as literal braces, and caps the
/// result at [`MAX_MESSAGE`].
fn fill(template: &str, args: &[String]) -> String {
    let mut out = String::with_capacity(template.len().min(MAX_MESSAGE));
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if out.len() >= MAX_MESSAGE {
            break;
        }
        if let Some(tail) = rest.strip_prefix("{{") {
            out.push('{');
            rest = tail;
        } else if let Some(tail) = rest.strip_prefix("}}") {
            out.push('}');
            rest = tail;
        } else if let Some((arg, tail)) = rest
            .strip_prefix('{')
            .and_then(|t| t.split_once('}'))
            .and_then(|(n, tail)| Some((args.get(n.parse::<usize>().ok()?)?, tail)))
        {
            out.push_str(arg);
            rest = tail;
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    truncate(out)
}

fn truncate(mut text: String) -> String {
    if text.len() > MAX_MESSAGE {
        let mut end = MAX_MESSAGE;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

/// The lowercase alphanumeric words of `text`, with adjacent pairs joined too, so that
/// `api_key`, `api-key` and `apiKey`-style ids all yield `apikey`.
fn words_of(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            // camelCase boundary
            if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = c.is_ascii_lowercase();
            current.push(c.to_ascii_lowercase());
        } else {
            previous_lower = false;
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    let pairs: Vec<String> = words
        .windows(2)
        .map(|w| format!("{}{}", w[0], w[1]))
        .collect();
    words.extend(pairs);
    words
}

/// Whether a rule id is an advisory id: `CVE-2021-44228`, `GHSA-jfh8-c2jp-5v3q`,
/// `RUSTSEC-2016-0002`, `PYSEC-2007-1`, `GO-2022-0969`, `OSV-2020-111`.
fn is_advisory_id(id: &str) -> bool {
    let upper = id.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix("GHSA-") {
        let parts: Vec<&str> = rest.split('-').collect();
        return parts.len() == 3
            && parts
                .iter()
                .all(|p| p.len() == 4 && p.chars().all(|c| c.is_ascii_alphanumeric()));
    }
    ADVISORY_PREFIXES.iter().any(|prefix| {
        upper.strip_prefix(prefix).is_some_and(|rest| {
            let mut parts = rest.split('-');
            let year = parts.next().unwrap_or_default();
            let number = parts.next().unwrap_or_default();
            year.len() == 4
                && year.chars().all(|c| c.is_ascii_digit())
                && !number.is_empty()
                && number.chars().all(|c| c.is_ascii_digit())
        })
    })
}

fn decode_uri(uri: &str) -> String {
    percent_encoding::percent_decode_str(uri)
        .decode_utf8_lossy()
        .into_owned()
}

struct RunContext<'a> {
    tool: String,
    secret_tool: bool,
    rules_by_id: HashMap<&'a str, &'a ReportingDescriptor>,
    rules: Vec<&'a ReportingDescriptor>,
    artifacts: Vec<Option<String>>,
    vulnerability_tool: bool,
}

impl<'a> RunContext<'a> {
    fn new(run: &'a Run) -> RunContext<'a> {
        let driver = &run.tool.driver;
        let mut rules: Vec<&ReportingDescriptor> = driver.rules.iter().flatten().collect();
        for ext in run.tool.extensions.iter().flatten() {
            rules.extend(ext.rules.iter().flatten());
        }
        let tool = tool_slug(&driver.name);
        let secret_tool = SECRET_TOOLS.iter().any(|t| tool.contains(t));
        let vulnerability_tool = VULNERABILITY_TOOLS.iter().any(|t| tool.contains(t));
        RunContext {
            rules_by_id: rules.iter().map(|r| (r.id.as_str(), *r)).collect(),
            rules: driver.rules.iter().flatten().collect(),
            artifacts: run
                .artifacts
                .iter()
                .flatten()
                .map(|a| a.location.as_ref().and_then(|l| l.uri.clone()))
                .collect(),
            tool,
            secret_tool,
            vulnerability_tool,
        }
    }

    fn rule_of(&self, result: &'a sarif::Result) -> (String, Option<&'a ReportingDescriptor>) {
        let by_index = result
            .rule_index
            .or_else(|| result.rule.as_ref().and_then(|r| r.index))
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.rules.get(i).copied());
        let id = result
            .rule_id
            .clone()
            .or_else(|| result.rule.as_ref().and_then(|r| r.id.clone()))
            .or_else(|| by_index.map(|r| r.id.clone()))
            .unwrap_or_else(|| "unknown-rule".to_owned());
        let descriptor = self.rules_by_id.get(id.as_str()).copied().or(by_index);
        (id, descriptor)
    }

    fn uri(&self, loc: &sarif::ArtifactLocation) -> Option<String> {
        loc.uri
            .clone()
            .or_else(|| {
                let i = usize::try_from(loc.index?).ok()?;
                self.artifacts.get(i).cloned().flatten()
            })
            .map(|u| decode_uri(&u))
    }

    fn location(&self, loc: &sarif::Location, fallback_path: &str) -> Option<Location> {
        let route = loc
            .logical_locations
            .iter()
            .flatten()
            .find_map(|l| l.fully_qualified_name.clone().or_else(|| l.name.clone()));
        let physical = loc.physical_location.as_ref();
        let path = physical
            .and_then(|p| p.artifact_location.as_ref())
            .and_then(|a| self.uri(a));
        if path.is_none() && route.is_none() {
            return None;
        }
        let mut out = Location::file(path.unwrap_or_else(|| fallback_path.to_owned()));
        if let Some(region) = physical.and_then(|p| p.region.as_ref()) {
            let n = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok()).unwrap_or(0);
            out.start_line = n(region.start_line);
            out.end_line = n(region.end_line).max(out.start_line);
            out.start_column = n(region.start_column);
            out.end_column = n(region.end_column);
            out.snippet = region.snippet.as_ref().and_then(|s| s.text.clone());
        }
        out.route = route;
        Some(out)
    }
}

/// The rule id, the rule's name and tags, and the result's tags.
fn descriptive_words(
    rule_id: &str,
    descriptor: Option<&ReportingDescriptor>,
    result: &sarif::Result,
) -> Vec<String> {
    let mut words: Vec<String> = vec![rule_id.to_owned()];
    if let Some(d) = descriptor {
        words.extend(d.name.iter().cloned());
        words.extend(
            d.properties
                .iter()
                .flat_map(|p| p.tags.iter().flatten())
                .cloned(),
        );
    }
    words.extend(
        result
            .properties
            .iter()
            .flat_map(|p| p.tags.iter().flatten())
            .cloned(),
    );
    words
}

/// The rule that carries a result: secret, vulnerable component, or any other result.
fn carrier(ctx: &RunContext<'_>, rule_id: &str, texts: &[String]) -> &'static RuleMeta {
    let words: Vec<String> = texts.iter().flat_map(|t| words_of(t)).collect();
    let about_secret = words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
        && !words
            .iter()
            .any(|w| NOT_A_SECRET_WORDS.contains(&w.as_str()));
    if ctx.secret_tool || about_secret {
        return &INGESTED_SECRET;
    }
    let advisory = is_advisory_id(rule_id);
    let tagged = words
        .iter()
        .any(|w| w == "vulnerability" || w == "dependency" || w == "sca" || w == "cve");
    if ctx.vulnerability_tool || advisory || tagged {
        return &INGESTED_VULNERABILITY;
    }
    &INGESTED_RESULT
}

/// What one SARIF log produced.
#[derive(Debug, Default)]
pub struct Converted {
    /// Findings.
    pub findings: Vec<Finding>,
    /// Results the tool suppressed.
    pub suppressed: Vec<Finding>,
    /// Results that could not become findings (no location at all).
    pub skipped: usize,
}

/// Converts every result of `log`. `sarif_path` is the log's own path, used for results that
/// have only a logical location.
pub fn convert(log: &sarif::Sarif, sarif_path: &str) -> Converted {
    let mut out = Converted::default();
    for run in &log.runs {
        // jobzero's own SARIF output: its findings come from scanning the tree itself, and
        // reading them back would report everything twice.
        if run.tool.driver.name == "jobzero" {
            continue;
        }
        let ctx = RunContext::new(run);
        for result in run.results.iter().flatten() {
            match convert_result(&ctx, result, sarif_path) {
                Some((finding, true)) => out.suppressed.push(finding),
                Some((finding, false)) => out.findings.push(finding),
                None => out.skipped += 1,
            }
        }
    }
    out
}

fn convert_result(
    ctx: &RunContext<'_>,
    result: &sarif::Result,
    sarif_path: &str,
) -> Option<(Finding, bool)> {
    if let Some(kind) = &result.kind {
        if !matches!(
            kind,
            ResultKind::Fail | ResultKind::Review | ResultKind::Open
        ) {
            return None;
        }
    }
    if result.baseline_state.as_ref().and_then(|s| s.as_str()) == Some("absent") {
        return None;
    }
    let (rule_id, descriptor) = ctx.rule_of(result);
    let rule = carrier(
        ctx,
        &rule_id,
        &descriptive_words(&rule_id, descriptor, result),
    );
    let secret = std::ptr::eq(rule, &INGESTED_SECRET);
    let severity = prop(result.properties.as_ref(), "security-severity")
        .or_else(|| {
            prop(
                descriptor.and_then(|d| d.properties.as_ref()),
                "security-severity",
            )
        })
        .and_then(score)
        .map(Severity::from_score)
        .or_else(|| {
            result
                .level
                .as_ref()
                .and_then(|l| level_severity(&l.to_string()))
        })
        .or_else(|| {
            descriptor
                .and_then(|d| d.default_configuration.as_ref())
                .and_then(|c| c.level.as_ref())
                .and_then(|l| l.as_str())
                .and_then(level_severity)
        })
        .unwrap_or(rule.severity);

    let title = descriptor
        .and_then(|d| text_of(d.short_description.as_ref()))
        .or_else(|| descriptor.and_then(|d| d.name.clone()))
        .unwrap_or_else(|| rule_id.clone());
    let args = result.message.arguments.clone().unwrap_or_default();
    let message = result
        .message
        .text
        .clone()
        .or_else(|| {
            let id = result.message.id.as_ref()?;
            let strings = descriptor?.message_strings.as_ref()?;
            strings.get(id).map(|m| m.text.clone())
        })
        .map(|t| fill(&t, &args))
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| title.clone());

    let mut location = result
        .locations
        .iter()
        .flatten()
        .find_map(|l| ctx.location(l, sarif_path))
        .or_else(|| {
            result
                .analysis_target
                .as_ref()
                .and_then(|a| ctx.uri(a))
                .map(Location::file)
        })
        .unwrap_or_else(|| Location::file(sarif_path));
    let mut message = truncate(message);
    // The secret itself, hashed into the fingerprint only, so that two secrets of one rule in
    // one file stay apart without any of them being written anywhere.
    let mut secret_evidence = String::new();
    if secret {
        // Another tool's message may quote the secret in any form: it is replaced whole.
        message = format!("{} reported a hard-coded secret: {title}", ctx.tool);
        secret_evidence = location.snippet.take().unwrap_or_default();
        // Always set, so that nothing downstream fills the snippet from the source file.
        location.snippet = Some(REDACTED.to_owned());
    }

    let mut evidence: Vec<String> = result
        .partial_fingerprints
        .iter()
        .chain(result.fingerprints.iter())
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if evidence.is_empty() {
        evidence.push(location.route.clone().unwrap_or_default());
        evidence.push(message.clone());
        evidence.push(if secret {
            secret_evidence
        } else {
            location.snippet.clone().unwrap_or_default()
        });
    }

    let mut builder = Finding::builder(rule)
        .rule_id(format!("sarif/{}/{}", ctx.tool, rule_id))
        .title(title)
        .message(message)
        .severity(severity)
        .evidence(evidence.join("\n"))
        .location(location);
    if let Some(d) = descriptor {
        if let Some(help) =
            text_of(d.help.as_ref()).or_else(|| text_of(d.full_description.as_ref()))
        {
            builder = builder.remediation(help);
        }
        if let Some(uri) = &d.help_uri {
            builder = builder.reference(uri.clone());
        }
        for tag in d.properties.iter().flat_map(|p| p.tags.iter().flatten()) {
            if let Some(cwe) = cwe_of(tag) {
                builder = builder.reference(cwe);
            }
        }
    }
    if is_advisory_id(&rule_id) {
        builder = builder.reference(rule_id.clone());
    }
    for related in result.related_locations.iter().flatten() {
        if let Some(mut loc) = ctx.location(related, sarif_path) {
            if secret {
                loc.snippet = Some(REDACTED.to_owned());
            }
            builder = builder.related(loc);
        }
    }
    let finding = builder.build().ok()?;
    let suppressed = result.suppressions.iter().flatten().any(|s| {
        matches!(
            s.status.as_ref().and_then(|v| v.as_str()),
            None | Some("accepted")
        )
    });
    Some((finding, suppressed))
}

/// `CWE-89` from tags such as `CWE-89`, `cwe-089` or `external/cwe/cwe-89`.
fn cwe_of(tag: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let rest = lower.rsplit('/').next()?.strip_prefix("cwe-")?;
    let rest = rest.split(|c: char| !c.is_ascii_digit()).next()?;
    let n: u32 = rest.parse().ok()?;
    Some(format!("CWE-{n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_cwes() {
        assert_eq!(tool_slug("CodeQL"), "codeql");
        assert_eq!(
            tool_slug("Trivy Vulnerability Scanner"),
            "trivy-vulnerability-scanner"
        );
        assert_eq!(tool_slug("  "), "unknown-tool");
        assert_eq!(cwe_of("external/cwe/cwe-079"), Some("CWE-79".to_owned()));
        assert_eq!(cwe_of("CWE-798: Hard-coded"), Some("CWE-798".to_owned()));
        assert_eq!(cwe_of("security"), None);
        assert_eq!(decode_uri("a%20b%2Fc%"), "a b/c%");
        assert_eq!(fill("{0} in {1}", &["x".into(), "y".into()]), "x in y");
        assert_eq!(
            fill("{0}{{1}}{9}", &["{1}".into(), "z".into()]),
            "{1}{1}{9}"
        );
        let big = fill(&"{0}".repeat(1000), &["x".repeat(1000)]);
        assert!(big.len() <= MAX_MESSAGE + '…'.len_utf8());
        assert!(is_advisory_id("CVE-2021-44228") && is_advisory_id("ghsa-jfh8-c2jp-5v3q"));
        assert!(is_advisory_id("GO-2022-0969") && !is_advisory_id("go-vet-shadow"));
        assert_eq!(
            words_of("apiKey_leak"),
            ["api", "key", "leak", "apikey", "keyleak"]
        );
    }
}
