//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning expects it: rule metadata with help,
//! `security-severity`, `partialFingerprints`, and URIs relative to `%SRCROOT%`.

use std::collections::BTreeMap;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_sarif::sarif;

use crate::finding::{Finding, Location};
use crate::registry::Registry;
use crate::report::Report;
use crate::severity::{Confidence, Severity};

/// The `$schema` written into every log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of jobzero's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "jobzeroFingerprint/v1";
/// The base id relative URIs are resolved against (the scanned directory).
pub const SRCROOT: &str = "%SRCROOT%";

/// Characters escaped in a path turned into a URI reference; `/` is kept.
const PATH_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn precision(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

/// Whether `path` starts with an RFC 3986 scheme (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`,
/// more than one character so that `c:` stays a Windows drive) followed by `//`.
fn is_uri(path: &str) -> bool {
    path.split_once(':').is_some_and(|(scheme, rest)| {
        scheme.len() > 1
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && rest.starts_with("//")
    })
}

fn artifact_location(path: &str) -> sarif::ArtifactLocation {
    let encoded = utf8_percent_encode(path, PATH_ESCAPES).to_string();
    if is_uri(path) {
        return sarif::ArtifactLocation::builder().uri(encoded).build();
    }
    // A colon in the first segment would read as a scheme: `./` keeps it a relative path.
    let first = encoded.split('/').next().unwrap_or_default();
    let uri = if first.contains(':') {
        format!("./{encoded}")
    } else {
        encoded
    };
    sarif::ArtifactLocation::builder()
        .uri(uri)
        .uri_base_id(SRCROOT)
        .build()
}

fn to_i64(n: u32) -> i64 {
    i64::from(n)
}

/// A data-flow trace as one SARIF code flow with one thread flow, source first; each step's
/// message is on its location.
fn code_flow(trace: &[crate::finding::TraceStep]) -> sarif::CodeFlow {
    let locations: Vec<sarif::ThreadFlowLocation> = trace
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let mut loc = location(&step.location);
            loc.message = Some(sarif::Message::builder().text(step.message.clone()).build());
            let mut tfl = sarif::ThreadFlowLocation::builder().location(loc).build();
            tfl.execution_order = Some(i as i64);
            tfl
        })
        .collect();
    sarif::CodeFlow::builder()
        .thread_flows(vec![
            sarif::ThreadFlow::builder().locations(locations).build(),
        ])
        .build()
}

fn location(loc: &Location) -> sarif::Location {
    let mut physical = sarif::PhysicalLocation::builder()
        .artifact_location(artifact_location(&loc.path))
        .build();
    if loc.start_line == 0 {
        // A whole-file finding: GitHub code scanning wants a start line to place the alert.
        physical.region = Some(sarif::Region::builder().start_line(1).build());
    } else {
        let mut region = sarif::Region::builder()
            .start_line(to_i64(loc.start_line))
            .end_line(to_i64(loc.end_line.max(loc.start_line)))
            .build();
        if loc.start_column > 0 {
            region.start_column = Some(to_i64(loc.start_column));
            if loc.end_column > 0
                && (loc.end_line > loc.start_line || loc.end_column > loc.start_column)
            {
                region.end_column = Some(to_i64(loc.end_column));
            }
        }
        if let Some(snippet) = &loc.snippet {
            region.snippet = Some(
                sarif::ArtifactContent::builder()
                    .text(snippet.clone())
                    .build(),
            );
        }
        physical.region = Some(region);
    }
    let mut location = sarif::Location::builder()
        .physical_location(physical)
        .build();
    if let Some(route) = &loc.route {
        location.logical_locations = Some(vec![
            sarif::LogicalLocation::builder()
                .fully_qualified_name(route.clone())
                .build(),
        ]);
    }
    location
}

fn properties(pairs: Vec<(&str, serde_json::Value)>, tags: Vec<String>) -> sarif::PropertyBag {
    let mut bag = sarif::PropertyBag::builder()
        .additional_properties(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect::<BTreeMap<_, _>>(),
        )
        .build();
    if !tags.is_empty() {
        bag.tags = Some(tags);
    }
    bag
}

fn descriptor(finding: &Finding, registry: &Registry) -> sarif::ReportingDescriptor {
    let meta = registry.find(&finding.rule);
    let exact = meta.filter(|m| m.id == finding.rule);
    let full = exact
        .and_then(|m| m.doc_section("What it finds"))
        .unwrap_or_else(|| finding.title.clone());
    let help_markdown = exact.map_or_else(
        || {
            format!(
                "{}\n\n**Remediation:** {}",
                finding.title,
                if finding.remediation.is_empty() {
                    "see the tool's documentation"
                } else {
                    &finding.remediation
                }
            )
        },
        |m| m.docs_markdown(),
    );
    let help_text = exact
        .and_then(|m| m.doc_section_unwrapped("Remediation"))
        .unwrap_or_else(|| finding.remediation.clone());
    let base = exact.map_or(finding.severity, |m| m.severity);
    let mut tags = vec![
        "security".to_owned(),
        finding.family.as_str().to_owned(),
        finding.expectation.clone(),
    ];
    tags.extend(
        finding
            .references
            .iter()
            .filter(|r| r.starts_with("CWE-"))
            .map(|r| format!("external/cwe/{}", r.to_ascii_lowercase())),
    );
    sarif::ReportingDescriptor::builder()
        .id(finding.rule.clone())
        .name(finding.code.clone())
        .short_description(
            sarif::MultiformatMessageString::builder()
                .text(finding.title.clone())
                .build(),
        )
        .full_description(
            sarif::MultiformatMessageString::builder()
                .text(full)
                .build(),
        )
        .help(
            sarif::MultiformatMessageString::builder()
                .text(if help_text.is_empty() {
                    finding.title.clone()
                } else {
                    help_text
                })
                .markdown(help_markdown)
                .build(),
        )
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(serde_json::Value::from(level(base)))
                .build(),
        )
        .properties(properties(
            vec![
                ("security-severity", base.score().into()),
                ("precision", precision(finding.confidence).into()),
                ("expectation", finding.expectation.clone().into()),
            ],
            tags,
        ))
        .build()
}

/// The report as a SARIF 2.1.0 log, pretty-printed with a final newline. `registry` supplies
/// each rule's documentation.
pub fn render(report: &Report, registry: &Registry) -> String {
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    let mut ordered: Vec<&Finding> = report.findings.iter().collect();
    ordered.sort_by(|a, b| a.rule.cmp(&b.rule));
    for f in ordered {
        if !rule_index.contains_key(f.rule.as_str()) {
            rule_index.insert(&f.rule, rules.len());
            rules.push(descriptor(f, registry));
        }
    }

    let results: Vec<sarif::Result> = report
        .findings
        .iter()
        .map(|f| {
            let mut pairs = vec![
                ("security-severity", f.effective_severity.score().into()),
                ("severity", f.severity.as_str().into()),
                ("effective_severity", f.effective_severity.as_str().into()),
                ("confidence", f.confidence.as_str().into()),
                ("expectation", f.expectation.clone().into()),
                ("code", f.code.clone().into()),
            ];
            if let Some(reason) = &f.severity_reason {
                pairs.push(("severity_reason", reason.clone().into()));
            }
            if let Some(v) = f.verified {
                pairs.push(("verified", v.as_str().into()));
            }
            if let Some(p) = &f.package {
                pairs.push(("package", serde_json::to_value(p).unwrap_or_default()));
            }
            if let Some(a) = &f.advisory {
                pairs.push(("advisory", serde_json::to_value(a).unwrap_or_default()));
            }
            let mut result = sarif::Result::builder()
                .message(sarif::Message::builder().text(f.message.clone()).build())
                .rule_id(f.rule.clone())
                .level(
                    level(f.effective_severity)
                        .parse::<sarif::ResultLevel>()
                        .unwrap_or(sarif::ResultLevel::Warning),
                )
                .locations(vec![location(&f.location)])
                .partial_fingerprints(BTreeMap::from([(
                    FINGERPRINT_KEY.to_owned(),
                    f.fingerprint.clone(),
                )]))
                .properties(properties(pairs, Vec::new()))
                .build();
            result.rule_index = rule_index.get(f.rule.as_str()).map(|&i| i as i64);
            if !f.related_locations.is_empty() {
                result.related_locations = Some(
                    f.related_locations
                        .iter()
                        .enumerate()
                        .map(|(i, l)| {
                            let mut loc = location(l);
                            loc.id = Some(i as i64);
                            loc
                        })
                        .collect(),
                );
            }
            if !f.trace.is_empty() {
                result.code_flows = Some(vec![code_flow(&f.trace)]);
            }
            result
        })
        .collect();

    let notifications: Vec<sarif::Notification> = report
        .errors
        .iter()
        .map(|e| {
            let mut loc = Location::file(e.path.clone());
            if let Some(line) = e.line {
                loc.start_line = line;
                loc.end_line = line;
            }
            sarif::Notification::builder()
                .message(sarif::Message::builder().text(e.message.clone()).build())
                .level(serde_json::Value::from("error"))
                .locations(vec![location(&loc)])
                .build()
        })
        .collect();
    let mut invocation = sarif::Invocation::builder()
        .execution_successful(report.errors.is_empty())
        .build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }

    let driver = sarif::ToolComponent::builder()
        .name(report.tool.name.clone())
        .version(report.tool.version.clone())
        .semantic_version(report.tool.version.clone())
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(serde_json::Value::from("unicodeCodePoints"))
        .properties(properties(
            vec![
                (
                    "suppressed",
                    serde_json::to_value(&report.suppressed).unwrap_or_default(),
                ),
                (
                    "summary",
                    serde_json::to_value(&report.summary).unwrap_or_default(),
                ),
            ],
            Vec::new(),
        ))
        .build();
    let log = sarif::Sarif::builder()
        .schema(SCHEMA_URI)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build();
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_owned());
    out.push('\n');
    out
}
