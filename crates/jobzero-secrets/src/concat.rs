//! Secrets split across string concatenation on one line (`"AKIA" + "Q4LM…"`): the literals
//! are joined and the line scanned again.

use std::sync::LazyLock;

use regex::bytes::Regex;

/// A concatenation of two or more string literals with `+`, `.`, `..` or `&`.
static CONCAT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?:"[^"\n]*"|'[^'\n]*')(?:[ \t]*(?:\+|\.\.|\.|&)[ \t]*(?:"[^"\n]*"|'[^'\n]*'))+"#)
        .ok()
});

/// Operators between literals, cheap to look for before running the regex.
const HINTS: [&[u8]; 6] = [b"\" +", b"\"+", b"' +", b"'+", b"\" .", b"\" &"];

/// A line rewritten with one concatenation joined into a single literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    /// Byte range of the concatenation expression in the file.
    pub start: usize,
    /// End of the expression (exclusive).
    pub end: usize,
    /// The line with the expression replaced by `"<joined>"`.
    pub line: Vec<u8>,
    /// Range of the joined literal's contents within `line`.
    pub inner: (usize, usize),
    /// The joined contents.
    pub value: Vec<u8>,
}

fn literal_contents(expr: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < expr.len() {
        let q = expr[i];
        if q == b'"' || q == b'\'' {
            if let Some(len) = expr[i + 1..].iter().position(|&b| b == q) {
                out.extend_from_slice(&expr[i + 1..i + 1 + len]);
                i += len + 2;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Every concatenation of string literals in `bytes`, joined.
pub fn joined(bytes: &[u8]) -> Vec<Joined> {
    if !HINTS
        .iter()
        .any(|h| memchr::memmem::find(bytes, h).is_some())
    {
        return Vec::new();
    }
    let Some(re) = CONCAT.as_ref() else {
        return Vec::new();
    };
    re.find_iter(bytes)
        .map(|m| {
            let line_start = memchr::memrchr(b'\n', &bytes[..m.start()]).map_or(0, |i| i + 1);
            let line_end =
                memchr::memchr(b'\n', &bytes[m.end()..]).map_or(bytes.len(), |i| m.end() + i);
            let value = literal_contents(m.as_bytes());
            let mut line = bytes[line_start..m.start()].to_vec();
            line.push(b'"');
            let inner_start = line.len();
            line.extend_from_slice(&value);
            let inner_end = line.len();
            line.push(b'"');
            line.extend_from_slice(&bytes[m.end()..line_end]);
            Joined {
                start: m.start(),
                end: m.end(),
                line,
                inner: (inner_start, inner_end),
                value,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_literals() {
        let text = b"key = \"AKIAQ4LM\" + \"2ZT7XW3NB5KD\"; // x\nother";
        let j = joined(text);
        assert_eq!(j.len(), 1);
        assert_eq!(j[0].value, b"AKIAQ4LM2ZT7XW3NB5KD");
        assert_eq!(&j[0].line[..], &b"key = \"AKIAQ4LM2ZT7XW3NB5KD\"; // x"[..]);
        assert_eq!(
            &j[0].line[j[0].inner.0..j[0].inner.1],
            b"AKIAQ4LM2ZT7XW3NB5KD"
        );
        assert!(joined(b"a = \"x\"").is_empty());
    }
}
