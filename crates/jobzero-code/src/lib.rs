//! The `code` family: analysis of first-party code.
//!
//! Each file is parsed with tree-sitter, lowered into a small language-neutral form
//! ([`ir`]) and interpreted abstractly ([`taint`]): untrusted values (request parameters,
//! environment, deserialised input) are followed through variables, string building,
//! containers, object fields and calls into functions of the same file, and reported where
//! they reach a dangerous call (an SQL query, a shell command, a file path) without passing a
//! sanitiser. Rules are data ([`spec`]): one TOML file per rule in `rules/`, the sources of
//! each language in `sources/`.

pub mod imports;
pub mod ir;
pub mod lang;
pub mod pattern;
pub mod spec;
pub mod taint;

use std::sync::atomic::{AtomicUsize, Ordering};

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

/// The trace name of command-line sources in `sources/*.toml`.
const CLI_SOURCE: &str = "command-line input";

/// The shipped rules' metadata, in file order.
pub fn rules() -> Vec<&'static RuleMeta> {
    CATALOGUE.rules.iter().map(|r| r.meta).collect()
}

/// The code scanner.
pub struct CodeScanner {
    catalogue: &'static Catalogue,
    /// Files followed through imports, parsed once per scan.
    imports: imports::Cache,
    /// What was skipped or left out, reported once after the scan.
    counts: Counts,
}

/// Files and functions the family could not analyse, counted for the scan's warnings.
#[derive(Default)]
struct Counts {
    generated: AtomicUsize,
    minified: AtomicUsize,
    broken_functions: AtomicUsize,
    syntax_errors: AtomicUsize,
    /// `path:line` of the first syntax error of each file that has one.
    broken_files: std::sync::Mutex<Vec<String>>,
}

impl Default for CodeScanner {
    fn default() -> Self {
        CodeScanner {
            catalogue: &CATALOGUE,
            imports: imports::Cache::default(),
            counts: Counts::default(),
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
            imports: imports::Cache::default(),
            counts: Counts::default(),
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

    fn warnings(&self) -> Vec<String> {
        let get = |c: &AtomicUsize| c.load(Ordering::Relaxed);
        let mut out = Vec::new();
        let (generated, minified) = (get(&self.counts.generated), get(&self.counts.minified));
        if generated + minified > 0 {
            out.push(format!(
                "code: {generated} generated and {minified} minified file(s) not analysed"
            ));
        }
        let (broken, errors) = (
            get(&self.counts.broken_functions),
            get(&self.counts.syntax_errors),
        );
        if errors > 0 {
            let mut files = self
                .counts
                .broken_files
                .lock()
                .map(|f| f.clone())
                .unwrap_or_default();
            files.sort();
            let shown = files.len().min(5);
            let more = match files.len() - shown {
                0 => String::new(),
                n => format!(", and {n} more"),
            };
            out.push(format!(
                "code: {errors} syntax error(s) in {} file(s) ({}{more}); {broken} function(s) containing one were left out, the rest of those files was analysed",
                files.len(),
                files[..shown].join(", "),
            ));
        }
        out
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
        match lang::skip_reason(&text) {
            Some(lang::Skip::Generated) => {
                self.counts.generated.fetch_add(1, Ordering::Relaxed);
                return;
            }
            Some(lang::Skip::Minified) => {
                self.counts.minified.fetch_add(1, Ordering::Relaxed);
                return;
            }
            None => {}
        }
        let Some(parsed) = lang::parse(language, &text) else {
            out.errors.push(jobzero_core::ScanError {
                path: file.path.to_owned(),
                line: None,
                message: format!("the {} parser could not be loaded", language.as_str()),
            });
            return;
        };
        self.counts
            .broken_functions
            .fetch_add(parsed.module.broken_functions, Ordering::Relaxed);
        self.counts
            .syntax_errors
            .fetch_add(parsed.syntax_errors, Ordering::Relaxed);
        if let Some(at) = parsed.first_error
            && let Ok(mut files) = self.counts.broken_files.lock()
        {
            files.push(format!("{}:{}", file.path, at.line));
        }
        let resolver = file
            .disk_path
            .map(|disk| imports::FileResolver::new(&self.imports, file.path, disk));
        let analysed = taint::analyse(
            std::sync::Arc::new(parsed.module),
            file.path,
            language,
            self.catalogue,
            resolver.as_ref().map(|r| r as &dyn taint::Resolver),
        );
        if analysed.hits.is_empty() {
            return;
        }
        // Traces may quote lines of the files the calls were followed into.
        let others: Vec<std::sync::Arc<str>> = analysed
            .files
            .iter()
            .skip(1)
            .map(|other| {
                resolver
                    .as_ref()
                    .and_then(|r| r.text(other))
                    .unwrap_or_else(|| std::sync::Arc::from(""))
            })
            .collect();
        let mut lines = vec![text.lines().collect::<Vec<&str>>()];
        lines.extend(others.iter().map(|t| t.lines().collect::<Vec<&str>>()));
        let files = Files {
            paths: &analysed.files,
            lines,
        };
        let mut sink = Sink::new(file.path);
        for hit in &analysed.hits {
            let line = files.line(hit.module, hit.pos.line);
            let builder = finding(&files, hit);
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

/// The files a finding and its trace name: the analysed file first.
struct Files<'a> {
    paths: &'a [String],
    /// The lines of each file, by module index.
    lines: Vec<Vec<&'a str>>,
}

impl Files<'_> {
    fn path(&self, module: usize) -> &str {
        self.paths.get(module).map_or("", String::as_str)
    }

    fn line(&self, module: usize, line: u32) -> &str {
        self.lines
            .get(module)
            .and_then(|l| l.get(line.saturating_sub(1) as usize))
            .copied()
            .unwrap_or("")
    }

    fn location(&self, module: usize, pos: ir::Pos) -> Location {
        let mut loc =
            Location::lines(self.path(module), pos.line, pos.line).columns(pos.col, pos.col);
        let text: String = self
            .line(module, pos.line)
            .trim()
            .chars()
            .take(200)
            .collect();
        if !text.is_empty() {
            loc = loc.snippet(text);
        }
        loc
    }
}

fn finding(files: &Files<'_>, hit: &Hit) -> FindingBuilder {
    let rule = hit.rule;
    let trace: Vec<TraceStep> = hit
        .trace
        .iter()
        .map(|s| TraceStep {
            location: files.location(s.module, s.pos),
            message: s.what.clone(),
        })
        .collect();
    let source = hit.trace.first();
    let message = match (rule.kind, source) {
        (RuleKind::Taint, Some(source)) => {
            let at = if source.module == hit.module {
                format!("line {}", source.pos.line)
            } else {
                format!("{}:{}", files.path(source.module), source.pos.line)
            };
            format!(
                "{} ({at}) reaches {} in `{}`",
                upper_first(&source.what),
                hit.sink,
                hit.function
            )
        }
        _ => format!("{}: {}", rule.meta.title, hit.sink),
    };
    // Stable under moved lines: the rule, the function, the sink and the kind of source, not
    // where; the same sink reached the same way from several files is one finding.
    let evidence = format!(
        "{}|{}|{}",
        hit.function,
        hit.sink,
        source.map_or("", |s| s.what.as_str()),
    );
    // The session frames the line, in this file or the imported one.
    let location = Location::lines(files.path(hit.module), hit.pos.line, hit.pos.line)
        .columns(hit.pos.col, hit.pos.col);
    let mut b = Finding::builder(rule.meta)
        .message(message)
        // Whoever passes command-line arguments usually runs the program already: a flow from
        // them is worth a look, not a release blocker.
        .confidence(if source.is_some_and(|s| s.what.starts_with(CLI_SOURCE)) {
            jobzero_core::Confidence::Low
        } else {
            rule.meta.confidence
        })
        .location(location)
        .evidence(evidence)
        .reference(format!("CWE-{}", rule.cwe))
        .trace(trace);
    if let Some(source) = source
        && rule.kind == RuleKind::Taint
    {
        b = b.related(files.location(source.module, source.pos));
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
