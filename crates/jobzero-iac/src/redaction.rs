//! Findings about hard-coded secrets must not carry the secret: the engine would otherwise
//! fill their snippet with the source line. Their snippet is made here, each assigned value
//! replaced by its redacted form.

use jobzero_core::Finding;
use jobzero_core::redact::redact;

/// The expectation whose findings hold secrets.
const SECRET_EXPECTATION: &str = "JZ-SECRET-HARDCODED";

/// Sets a redacted snippet on every secret finding of `path` (whose text is `text`), and a
/// placeholder on those of other files (findings of a followed module).
pub fn redact_snippets(findings: &mut [Finding], path: &str, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    for f in findings.iter_mut() {
        if f.expectation != SECRET_EXPECTATION {
            continue;
        }
        let loc = &mut f.location;
        if loc.path != path || loc.start_line == 0 {
            loc.snippet = Some("[redacted]".to_owned());
            continue;
        }
        let start = loc.start_line as usize;
        let end = (loc.end_line as usize).clamp(start, start + 4);
        let snippet: Vec<String> = (start..=end)
            .filter_map(|n| lines.get(n - 1))
            .map(|l| redact_line(l))
            .collect();
        loc.snippet = Some(snippet.join("\n"));
    }
}

/// `line` with the value of every assignment (`key = value`, `key: value`, `KEY=value`)
/// redacted; a line with no assignment is redacted whole, keeping its indentation.
pub fn redact_line(line: &str) -> String {
    let indent = &line[..line.len() - line.trim_start().len()];
    let body = line.trim_start();
    // Dockerfile `ENV A=1 B=2` and shell-like lines: every `KEY=value` word.
    let words: Vec<&str> = body.split_whitespace().collect();
    if words.len() > 1 && words.iter().skip(1).all(|w| w.contains('=')) && !body.contains(" = ") {
        let mut out = vec![words[0].to_owned()];
        for w in &words[1..] {
            match w.split_once('=') {
                Some((k, v)) => out.push(format!("{k}={}", redact_value(v))),
                None => out.push((*w).to_owned()),
            }
        }
        return format!("{indent}{}", out.join(" "));
    }
    let sep = body.find(['=', ':']);
    match sep {
        Some(at) => {
            let (key, value) = body.split_at(at + 1);
            let value = value.trim();
            if value.is_empty() {
                format!("{indent}{key}")
            } else {
                format!("{indent}{key} {}", redact_value(value))
            }
        }
        None => format!("{indent}{}", redact(body)),
    }
}

/// A value redacted, its quotes and a trailing comma kept.
fn redact_value(v: &str) -> String {
    let (v, comma) = match v.strip_suffix(',') {
        Some(v) => (v, ","),
        None => (v, ""),
    };
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return format!("{q}{}{q}{comma}", redact(inner));
        }
    }
    format!("{}{comma}", redact(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_redacted_keys_kept() {
        assert_eq!(
            redact_line("  password = \"SuperSecret123!\""),
            "  password = \"Su…(15 chars)\""
        );
        assert_eq!(
            redact_line("      MasterUserPassword: hunter2hunter2"),
            "      MasterUserPassword: hu…(14 chars)"
        );
        assert_eq!(
            redact_line("ENV DB_PASSWORD=s3cr3tvalue API_TOKEN=abcdefgh12345678"),
            "ENV DB_PASSWORD=s3…(11 chars) API_TOKEN=abcd…(16 chars)"
        );
        let l = redact_line("AKIAIOSFODNN7EXAMPLE");
        assert!(!l.contains("IOSFODNN7EXAMPLE"));
    }
}
