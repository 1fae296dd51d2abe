//! The `code` family: analysis of first-party code.
//!
//! Each file is parsed with tree-sitter, lowered into a small language-neutral form
//! ([`ir`]) and interpreted abstractly ([`taint`]): untrusted values (request parameters,
//! environment, deserialised input) are followed through variables, string building,
//! containers, object fields and calls into functions of the same file, and reported where
//! they reach a dangerous call (an SQL query, a shell command, a file path) without passing a
//! sanitiser. Rules are data ([`spec`]): one TOML file per rule in `rules/`, the sources of
//! each language in `sources/`.

pub mod ir;
pub mod lang;
pub mod pattern;
pub mod spec;
pub mod taint;

use jobzero_core::check::Sink;
use jobzero_core::{
    Family, FileOutput, Finding, FindingBuilder, Location, RuleMeta, Scanner, SourceFile, TraceStep,
};

use crate::lang::Language;
use crate::spec::{CATALOGUE, Catalogue, RuleKind, SpecError};
use crate::taint::Hit;

/// Markers of other analysers that mark a line's finding as reviewed: counted as suppressed
/// by the tool, not reported.
const FOREIGN_MARKERS: [&str; 3] = ["nosec", "nosemgrep", "codeql[suppress"];

/// The shipped rules' metadata, in file order.
pub fn rules() -> Vec<&'static RuleMeta> {
    CATALOGUE.rules.iter().map(|r| r.meta).collect()
}

/// The code scanner.
pub struct CodeScanner {
    catalogue: &'static Catalogue,
}

impl Default for CodeScanner {
    fn default() -> Self {
        CodeScanner {
            catalogue: &CATALOGUE,
        }
    }
}

impl CodeScanner {
    /// A scanner with the shipped rules and a user's rule and source files
    /// (`[code] rules` of `jobzero.toml`): `(file name, contents)`.
    pub fn with_rule_files(files: &[(String, String)]) -> Result<CodeScanner, SpecError> {
        if files.is_empty() {
            return Ok(CodeScanner::default());
        }
        let mut catalogue = spec::shipped();
        for (name, text) in files {
            catalogue.extend_from(name, text)?;
        }
        Ok(CodeScanner {
            catalogue: Box::leak(Box::new(catalogue)),
        })
    }

    /// The language of a file: by extension, else by its `#!` line.
    fn language(path: &str, text: &str) -> Option<Language> {
        Language::of_path(path).or_else(|| {
            let name = path.rsplit('/').next().unwrap_or(path);
            if name.contains('.') {
                return None;
            }
            Language::of_shebang(text.lines().next().unwrap_or(""))
        })
    }
}

impl Scanner for CodeScanner {
    fn family(&self) -> Family {
        Family::Code
    }

    fn rules(&self) -> Vec<&'static RuleMeta> {
        self.catalogue.rules.iter().map(|r| r.meta).collect()
    }

    fn wants(&self, path: &str) -> bool {
        let name = path.rsplit('/').next().unwrap_or(path);
        // Extension-less files may be scripts with a `#!` line.
        Language::of_path(path).is_some() || !name.contains('.')
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut FileOutput) {
        let text = file.text();
        let Some(language) = CodeScanner::language(file.path, &text) else {
            return;
        };
        if lang::skip_reason(&text).is_some() {
            return;
        }
        let Some(parsed) = lang::parse(language, &text) else {
            out.errors.push(jobzero_core::ScanError {
                path: file.path.to_owned(),
                line: None,
                message: format!("the {} parser could not be loaded", language.as_str()),
            });
            return;
        };
        let hits = taint::analyse(&parsed.module, language, self.catalogue);
        let lines: Vec<&str> = text.lines().collect();
        let mut sink = Sink::new(file.path);
        for hit in hits {
            let line = lines
                .get(hit.pos.line.saturating_sub(1) as usize)
                .copied()
                .unwrap_or("");
            let builder = finding(file.path, &lines, &hit);
            if FOREIGN_MARKERS.iter().any(|m| line.contains(m)) {
                match builder.build() {
                    Ok(f) => out.tool_suppressed.push(f),
                    Err(e) => out.errors.push(jobzero_core::ScanError {
                        path: file.path.to_owned(),
                        line: Some(hit.pos.line),
                        message: e.to_string(),
                    }),
                }
                continue;
            }
            sink.push(builder);
        }
        out.extend(sink);
    }
}

fn snippet(lines: &[&str], line: u32) -> Option<String> {
    lines
        .get(line.saturating_sub(1) as usize)
        .map(|l| l.trim().chars().take(200).collect())
}

fn finding(path: &str, lines: &[&str], hit: &Hit) -> FindingBuilder {
    let rule = hit.rule;
    let trace: Vec<TraceStep> = hit
        .trace
        .iter()
        .map(|s| {
            let mut location =
                Location::lines(path, s.pos.line, s.pos.line).columns(s.pos.col, s.pos.col);
            if let Some(text) = snippet(lines, s.pos.line) {
                location = location.snippet(text);
            }
            TraceStep {
                location,
                message: s.what.clone(),
            }
        })
        .collect();
    let message = match (rule.kind, hit.trace.first()) {
        (RuleKind::Taint, Some(source)) => format!(
            "{} (line {}) reaches {} in `{}`",
            upper_first(&source.what),
            source.pos.line,
            hit.sink,
            hit.function
        ),
        _ => format!("{}: {}", rule.meta.title, hit.sink),
    };
    // Stable under moved lines: the rule, the function, the sink and the source, not where.
    let evidence = format!(
        "{}|{}|{}",
        hit.function,
        hit.sink,
        hit.trace.first().map(|s| s.what.as_str()).unwrap_or("")
    );
    let mut b = Finding::builder(rule.meta)
        .message(message)
        .location(
            Location::lines(path, hit.pos.line, hit.pos.line).columns(hit.pos.col, hit.pos.col),
        )
        .evidence(evidence)
        .reference(format!("CWE-{}", rule.cwe))
        .trace(trace);
    if let Some(source) = hit.trace.first()
        && rule.kind == RuleKind::Taint
    {
        let mut loc = Location::lines(path, source.pos.line, source.pos.line)
            .columns(source.pos.col, source.pos.col);
        if let Some(text) = snippet(lines, source.pos.line) {
            loc = loc.snippet(text);
        }
        b = b.related(loc);
    }
    b
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
