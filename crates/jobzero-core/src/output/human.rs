//! `--format human`: each finding with a code frame, then a summary by severity.
//!
//! Errors are not part of it: the CLI prints them on stderr for every format, and the
//! summary counts them. The text carries ANSI styles; the caller strips them when the destination is not a
//! colour terminal (or `NO_COLOR` is set), through `anstream`.

use std::fmt::Write as _;
use std::time::Duration;

use anstyle::{AnsiColor, Effects, Style};

use crate::finding::Finding;
use crate::report::Report;
use crate::severity::Severity;

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Critical => AnsiColor::BrightRed,
        Severity::High => AnsiColor::Red,
        Severity::Medium => AnsiColor::Yellow,
        Severity::Low => AnsiColor::Blue,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new()
        .fg_color(Some(color.into()))
        .effects(Effects::BOLD)
}

const DIM: Style = Style::new().effects(Effects::DIMMED);
const BOLD: Style = Style::new().effects(Effects::BOLD);
/// Code frames show at most this many lines of a snippet.
const MAX_FRAME_LINES: usize = 8;

/// Text from scanned files and other tools' reports, made safe for a terminal: control
/// characters (escape sequences could rewrite the screen, set the clipboard or forge links)
/// are shown escaped instead of interpreted.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if is_unsafe(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

fn is_unsafe(c: char) -> bool {
    // Bidirectional overrides can make displayed text differ from what it is (CVE-2021-42574).
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A copy of the finding with every text field that comes from input [`sanitize`]d.
fn sanitized(f: &Finding) -> Finding {
    let clean = |s: &str| sanitize(s).into_owned();
    let mut f = f.clone();
    f.rule = clean(&f.rule);
    f.title = clean(&f.title);
    f.message = clean(&f.message);
    f.remediation = clean(&f.remediation);
    f.location.path = clean(&f.location.path);
    f.location.route = f.location.route.as_deref().map(clean);
    f.location.snippet = f.location.snippet.as_deref().map(clean);
    f
}

fn finding(out: &mut String, f: &Finding) {
    let f = &sanitized(f);
    let sev = severity_style(f.effective_severity);
    let _ = writeln!(
        out,
        "{sev}{:<8}{sev:#} {BOLD}{}{BOLD:#} {DIM}[{}]{DIM:#} {}",
        f.effective_severity.as_str().to_uppercase(),
        f.rule,
        f.code,
        f.title
    );
    let loc = &f.location;
    let position = match (loc.start_line, loc.start_column) {
        (0, _) => loc.path.clone(),
        (line, 0) => format!("{}:{line}", loc.path),
        (line, col) => format!("{}:{line}:{col}", loc.path),
    };
    let _ = writeln!(out, "  {DIM}-->{DIM:#} {position}");
    if let Some(route) = &loc.route {
        let _ = writeln!(out, "  {DIM}at{DIM:#}  {route}");
    }
    if let (Some(snippet), true) = (&loc.snippet, loc.start_line > 0) {
        let last = loc.start_line as usize + snippet.lines().count().min(MAX_FRAME_LINES);
        let width = last.to_string().len();
        let _ = writeln!(out, "  {:width$} {DIM}|{DIM:#}", "");
        for (i, line) in snippet.lines().take(MAX_FRAME_LINES).enumerate() {
            let _ = writeln!(
                out,
                "  {DIM}{:>width$} |{DIM:#} {}",
                loc.start_line as usize + i,
                line.trim_end()
            );
            // Underline a one-line span when the snippet holds the whole line up to it.
            let (from, to) = (loc.start_column as usize, loc.end_column as usize);
            if i == 0
                && loc.end_line == loc.start_line
                && from > 0
                && to > from
                && line.chars().count() >= to - 1
            {
                let _ = writeln!(
                    out,
                    "  {:width$} {DIM}|{DIM:#} {}{sev}{}{sev:#}",
                    "",
                    " ".repeat(from - 1),
                    "^".repeat(to - from)
                );
            }
        }
        if snippet.lines().count() > MAX_FRAME_LINES {
            let _ = writeln!(out, "  {:width$} {DIM}| …{DIM:#}", "");
        }
        let _ = writeln!(out, "  {:width$} {DIM}|{DIM:#}", "");
    }
    if f.message != f.title {
        for line in f.message.lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    if !f.trace.is_empty() {
        let _ = writeln!(out, "  {DIM}= trace{DIM:#}");
        let width = f
            .trace
            .iter()
            .map(|s| s.location.start_line.to_string().len())
            .max()
            .unwrap_or(1);
        for step in &f.trace {
            let code = step.location.snippet.as_deref().unwrap_or("").trim();
            let where_ = if step.location.path == loc.path {
                String::new()
            } else {
                format!("{}:", step.location.path)
            };
            let _ = writeln!(
                out,
                "    {DIM}{where_}{:>width$}{DIM:#} {}{DIM}{}{}{DIM:#}",
                step.location.start_line,
                step.message,
                if code.is_empty() { "" } else { "  │ " },
                code
            );
        }
    }
    if let Some(v) = f.verified {
        let _ = writeln!(out, "  {DIM}= verified{DIM:#} {}", v.as_str());
    }
    if let Some(reason) = &f.severity_reason {
        let _ = writeln!(
            out,
            "  {DIM}= severity{DIM:#} {} → {}: {reason}",
            f.severity, f.effective_severity
        );
    }
    if !f.remediation.is_empty() {
        let first = f.remediation.lines().next().unwrap_or_default();
        let _ = writeln!(out, "  {DIM}= fix{DIM:#} {first}");
    }
    let _ = writeln!(
        out,
        "  {DIM}= {} · confidence {} · fingerprint {}{DIM:#}",
        f.expectation, f.confidence, f.fingerprint
    );
    out.push('\n');
}

/// The report as styled text. `elapsed` is shown in the summary when given.
pub fn render(report: &Report, elapsed: Option<Duration>) -> String {
    let mut out = String::new();
    for f in &report.findings {
        finding(&mut out, f);
    }

    let s = &report.summary;
    if s.findings == 0 {
        let _ = write!(out, "{BOLD}no findings{BOLD:#}");
    } else {
        let parts: Vec<String> = Severity::ALL_DESC
            .iter()
            .filter(|sev| s.by_severity.get(**sev) > 0)
            .map(|sev| {
                let st = severity_style(*sev);
                format!("{st}{} {}{st:#}", s.by_severity.get(*sev), sev)
            })
            .collect();
        let _ = write!(
            out,
            "{BOLD}{} finding{}{BOLD:#}: {}",
            s.findings,
            if s.findings == 1 { "" } else { "s" },
            parts.join(", ")
        );
    }
    let suppressed: usize = report.suppressed.values().sum();
    if suppressed > 0 {
        let reasons: Vec<String> = report
            .suppressed
            .iter()
            .map(|(r, n)| format!("{} {n}", r.as_str()))
            .collect();
        let _ = write!(out, " · {suppressed} suppressed ({})", reasons.join(", "));
    }
    let _ = write!(
        out,
        " · {} file{} scanned",
        s.files_scanned,
        if s.files_scanned == 1 { "" } else { "s" }
    );
    let skipped = s.files_skipped.binary + s.files_skipped.too_large;
    if skipped > 0 {
        let _ = write!(
            out,
            ", {skipped} skipped ({} binary, {} too large)",
            s.files_skipped.binary, s.files_skipped.too_large
        );
    }
    if !report.errors.is_empty() {
        let n = report.errors.len();
        let _ = write!(out, " · {n} error{}", if n == 1 { "" } else { "s" });
    }
    if let Some(elapsed) = elapsed {
        let _ = write!(out, " · {:.2}s", elapsed.as_secs_f64());
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn escapes_are_neutralised() {
        assert_eq!(sanitize("plain\ttext"), "plain\ttext");
        let evil = "x\u{1b}]52;c;ZXZpbA==\u{7}y\u{202e}";
        let clean = sanitize(evil);
        assert!(
            !clean.contains('\u{1b}') && !clean.contains('\u{7}') && !clean.contains('\u{202e}')
        );
        assert!(clean.contains("\\u{1b}"));
    }
}
