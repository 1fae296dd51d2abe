//! Findings, errors and fixes in the editor's terms: LSP positions (UTF-16 code units by
//! default), diagnostics, hovers and code actions.

use std::collections::HashMap;

use jobzero_core::check::Fix;
use jobzero_core::{Finding, Registry, ScanError, Severity};
use lsp_types::{
    CodeAction, CodeActionKind, CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString,
    Position, Range, TextEdit, Uri, WorkspaceEdit,
};

/// How the client counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-16 code units: the protocol's default.
    #[default]
    Utf16,
    /// Bytes.
    Utf8,
    /// Unicode scalar values.
    Utf32,
}

/// A document's text with its line starts, to turn character columns and byte offsets into
/// LSP positions.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> Lines<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str, encoding: Encoding) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines {
            text,
            starts,
            encoding,
        }
    }

    /// The text of 0-based `line`, without its line break.
    pub fn line(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line) else {
            return "";
        };
        let end = self.starts.get(line + 1).map_or(self.text.len(), |e| e - 1);
        self.text
            .get(start..end.max(start))
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    fn width(&self, s: &str) -> u32 {
        let n = match self.encoding {
            Encoding::Utf16 => s.encode_utf16().count(),
            Encoding::Utf8 => s.len(),
            Encoding::Utf32 => s.chars().count(),
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// The position of 1-based `line` and 1-based character `column` (0: the line's start;
    /// past the end: the line's end).
    pub fn at_char(&self, line: u32, column: u32) -> Position {
        let l = line.saturating_sub(1) as usize;
        let text = self.line(l);
        let chars = column.saturating_sub(1) as usize;
        let prefix = text
            .char_indices()
            .nth(chars)
            .map_or(text, |(i, _)| &text[..i]);
        Position::new(u32::try_from(l).unwrap_or(u32::MAX), self.width(prefix))
    }

    /// The position of a byte offset.
    pub fn at_byte(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let prefix = self.text.get(start..offset).unwrap_or("");
        Position::new(u32::try_from(line).unwrap_or(u32::MAX), self.width(prefix))
    }

    /// The range a finding's location covers: its span, or its whole first line when the
    /// columns are unknown, or the file's first line for a finding about the whole file.
    pub fn range_of(&self, f: &Finding) -> Range {
        let loc = &f.location;
        if loc.start_line == 0 {
            return Range::new(Position::new(0, 0), self.at_char(1, u32::MAX));
        }
        let start = self.at_char(loc.start_line, loc.start_column);
        let end_line = loc.end_line.max(loc.start_line);
        let end = if loc.end_column == 0 {
            self.at_char(end_line, u32::MAX)
        } else {
            self.at_char(end_line, loc.end_column)
        };
        if end <= start {
            Range::new(start, self.at_char(loc.start_line, u32::MAX))
        } else {
            Range::new(start, end)
        }
    }
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Critical | Severity::High => DiagnosticSeverity::ERROR,
        Severity::Medium => DiagnosticSeverity::WARNING,
        Severity::Low => DiagnosticSeverity::INFORMATION,
        Severity::Info => DiagnosticSeverity::HINT,
    }
}

/// Where a rule's documentation is published.
pub fn docs_url(registry: &Registry, rule: &str) -> Option<String> {
    let meta = registry.find(rule)?;
    Some(format!(
        "{}/blob/main/docs/rules/{}.md",
        env!("CARGO_PKG_REPOSITORY"),
        meta.id
    ))
}

/// A finding as a diagnostic: the rule id as its code, linked to the rule's docs; the
/// message with the severity, expectation and confidence.
pub fn diagnostic(lines: &Lines<'_>, registry: &Registry, f: &Finding) -> Diagnostic {
    let href = docs_url(registry, &f.rule).and_then(|u| u.parse::<Uri>().ok());
    Diagnostic {
        range: lines.range_of(f),
        severity: Some(severity(f.effective_severity)),
        code: Some(NumberOrString::String(f.rule.clone())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some("jobzero".to_owned()),
        message: format!(
            "{} [{} · {} · {}]",
            f.message, f.effective_severity, f.code, f.expectation
        ),
        related_information: None,
        tags: None,
        data: Some(serde_json::Value::String(f.fingerprint.clone())),
    }
}

/// A file that could not be read or parsed, at its line when known.
pub fn error_diagnostic(lines: &Lines<'_>, e: &ScanError) -> Diagnostic {
    let line = e.line.unwrap_or(1);
    Diagnostic {
        range: Range::new(lines.at_char(line, 0), lines.at_char(line, u32::MAX)),
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("parse-error".to_owned())),
        source: Some("jobzero".to_owned()),
        message: e.message.clone(),
        ..Diagnostic::default()
    }
}

/// Markdown explaining a finding: what, how sure, which expectation, and the rule's docs.
pub fn hover_text(registry: &Registry, f: &Finding) -> String {
    let mut out = format!(
        "**{}** — `{}` ({})\n\n{} · confidence {} · {}\n\n{}\n",
        f.title, f.rule, f.code, f.effective_severity, f.confidence, f.expectation, f.message
    );
    if let Some(reason) = &f.severity_reason {
        out.push_str(&format!("\nSeverity: {reason}\n"));
    }
    match registry.find(&f.rule) {
        Some(meta) => {
            out.push_str("\n---\n\n");
            out.push_str(&meta.docs_markdown());
        }
        None if !f.remediation.is_empty() => {
            out.push_str(&format!("\n**Remediation**: {}\n", f.remediation));
        }
        None => {}
    }
    out
}

/// The comment that starts a line in this kind of file; none where files have no comments
/// (JSON), so that no marker can be inserted.
pub fn comment_opener(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    if name == "dockerfile" || name.starts_with("dockerfile.") || name.ends_with(".dockerfile") {
        return Some("#");
    }
    if name.starts_with(".env") || name == "makefile" || name == "gemfile" {
        return Some("#");
    }
    match ext {
        "py" | "pyi" | "rb" | "sh" | "bash" | "zsh" | "yml" | "yaml" | "toml" | "tf" | "tfvars"
        | "hcl" | "properties" | "cfg" | "ini" | "conf" | "env" | "r" | "pl" | "ps1" | "txt"
        | "lock" => Some("#"),
        "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "mts" | "cts" | "java" | "kt" | "kts"
        | "go" | "rs" | "c" | "h" | "cc" | "cpp" | "hpp" | "cs" | "swift" | "scala" | "php"
        | "groovy" | "gradle" | "jsonc" | "json5" => Some("//"),
        "sql" | "lua" => Some("--"),
        "xml" | "html" | "htm" | "vue" | "svelte" | "md" => Some("<!--"),
        _ => None,
    }
}

/// "Suppress with a reason": a marker comment above the finding's line, at its indentation.
pub fn suppress_action(
    uri: &Uri,
    lines: &Lines<'_>,
    path: &str,
    f: &Finding,
    diagnostic: &Diagnostic,
) -> Option<CodeAction> {
    let opener = comment_opener(path)?;
    let line = f.location.start_line.max(1);
    let text = lines.line(line as usize - 1);
    let indent: String = text.chars().take_while(|c| c.is_whitespace()).collect();
    let closer = if opener == "<!--" { " -->" } else { "" };
    let marker = format!(
        "{indent}{opener} jobzero: ignore[{}] reason: <why this is safe>{closer}\n",
        f.rule
    );
    let at = Position::new(line - 1, 0);
    let edit = TextEdit::new(Range::new(at, at), marker);
    Some(CodeAction {
        title: format!("Suppress {} on this line (with a reason)", f.rule),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
            ..WorkspaceEdit::default()
        }),
        ..CodeAction::default()
    })
}

/// A safe fix as a code action.
pub fn fix_action(uri: &Uri, lines: &Lines<'_>, fix: &Fix) -> CodeAction {
    let edits = fix
        .edits
        .iter()
        .map(|e| {
            TextEdit::new(
                Range::new(lines.at_byte(e.start), lines.at_byte(e.end)),
                e.text.clone(),
            )
        })
        .collect();
    CodeAction {
        title: format!("{} ({})", fix.title, fix.rule),
        kind: Some(CodeActionKind::QUICKFIX),
        is_preferred: Some(true),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }),
        ..CodeAction::default()
    }
}

/// Whether two ranges share a line (code actions are offered for the lines asked about).
pub fn overlaps_lines(a: &Range, b: &Range) -> bool {
    a.start.line <= b.end.line && b.start.line <= a.end.line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        let lines = Lines::new("a\n€x = \"𝄞k\"\n", Encoding::Utf16);
        assert_eq!(lines.at_char(2, 1), Position::new(1, 0));
        assert_eq!(lines.at_char(2, 2), Position::new(1, 1));
        // 𝄞 is two UTF-16 units.
        assert_eq!(lines.at_char(2, 8), Position::new(1, 8));
        assert_eq!(lines.at_char(2, 99), Position::new(1, 10));
        assert_eq!(lines.at_byte(2 + 3), Position::new(1, 1));
        let bytes = Lines::new("€x", Encoding::Utf8);
        assert_eq!(bytes.at_char(1, 2), Position::new(0, 3));
    }

    #[test]
    fn json_gets_no_marker() {
        assert_eq!(comment_opener("a/package-lock.json"), None);
        assert_eq!(comment_opener(".github/workflows/ci.yml"), Some("#"));
        assert_eq!(comment_opener("src/app.ts"), Some("//"));
        assert_eq!(comment_opener("Dockerfile"), Some("#"));
    }
}
