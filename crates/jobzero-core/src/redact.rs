//! How a secret is shown: at most its first four characters and its length, never more.
//!
//! A scan redacts twice. The secrets family redacts the values it reports in its own
//! snippets; then the scan session passes every finding of every family (and every error
//! message) through a [`Redactor`], which replaces each secret the scan found anywhere and
//! each secret a [`SecretSpotter`] sees in the text itself. The second pass is what keeps a
//! secret out of another finding that merely shares its line: an IaC rule quoting a value,
//! an ingested SARIF snippet, the second key on a CSV line.

use std::borrow::Cow;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::finding::{Finding, Location};

/// The redacted form of a secret: `AKIA…(20 chars)`. Short secrets show fewer leading
/// characters (two from 8 characters, none below), so that a redaction never gives away a
/// meaningful share of the value.
pub fn redact(secret: &str) -> String {
    let len = secret.chars().count();
    let keep = if len >= 16 {
        4
    } else if len >= 8 {
        2
    } else {
        0
    };
    let head: String = secret.chars().take(keep).collect();
    format!("{head}…({len} chars)")
}

/// `line` with every occurrence of `secret` replaced by its [`redact`]ed form.
pub fn redact_in(line: &str, secret: &str) -> String {
    if secret.is_empty() {
        return line.to_owned();
    }
    line.replace(secret, &redact(secret))
}

/// Finds secrets in text about to be shown. The secrets family implements it with its
/// detectors; core knows no detector.
pub trait SecretSpotter: Send + Sync + std::fmt::Debug {
    /// Byte ranges of the secrets in `text` (any order, may overlap). `path` is the file the
    /// text comes from, for detectors that apply to some files only.
    fn spans(&self, path: &str, text: &str) -> Vec<Range<usize>>;
}

/// Known secret values shorter than this are not replaced wherever they occur: a detector
/// never reports one that short, and replacing `abc` in every message would garble them.
const MIN_KNOWN_LEN: usize = 4;

/// Replaces every secret in the text of findings and messages; see the module's docs.
#[derive(Debug, Default)]
pub struct Redactor<'a> {
    known: Option<AhoCorasick>,
    spotter: Option<&'a dyn SecretSpotter>,
}

impl<'a> Redactor<'a> {
    /// A redactor of the `known` values (secrets found by the scan) and of whatever
    /// `spotter` recognises.
    pub fn new(
        known: impl IntoIterator<Item = String>,
        spotter: Option<&'a dyn SecretSpotter>,
    ) -> Redactor<'a> {
        let mut known: Vec<String> = known
            .into_iter()
            .filter(|k| k.len() >= MIN_KNOWN_LEN)
            .collect();
        known.sort();
        known.dedup();
        let known = (!known.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&known)
                    .ok()
            })
            .flatten();
        Redactor { known, spotter }
    }

    /// `text` (from the file at `path`) with every secret redacted.
    pub fn text<'t>(&self, path: &str, text: &'t str) -> Cow<'t, str> {
        let mut spans: Vec<Range<usize>> = Vec::new();
        if let Some(known) = &self.known {
            spans.extend(known.find_iter(text).map(|m| m.range()));
        }
        if let Some(spotter) = self.spotter {
            spans.extend(spotter.spans(path, text));
        }
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        Cow::Owned(redact_spans(text, spans))
    }

    fn field(&self, path: &str, field: &mut String) {
        if let Cow::Owned(redacted) = self.text(path, field) {
            *field = redacted;
        }
    }

    fn location(&self, loc: &mut Location) {
        let path = loc.path.clone();
        if let Some(snippet) = &mut loc.snippet {
            self.field(&path, snippet);
        }
        if let Some(route) = &mut loc.route {
            self.field(&path, route);
        }
    }

    /// Redacts every text of a finding a reader sees: message, snippets, routes and the
    /// reason for its severity, and the title and remediation when another tool wrote them
    /// (an ingested SARIF result); a rule's own title and remediation are its static docs.
    pub fn finding(&self, f: &mut Finding) {
        let path = f.location.path.clone();
        if f.family == crate::rule::Family::Sarif {
            self.field(&path, &mut f.title);
            self.field(&path, &mut f.remediation);
        }
        self.field(&path, &mut f.message);
        if let Some(reason) = &mut f.severity_reason {
            self.field(&path, reason);
        }
        self.location(&mut f.location);
        for loc in &mut f.related_locations {
            self.location(loc);
        }
        for step in &mut f.trace {
            self.field(&path, &mut step.message);
            self.location(&mut step.location);
        }
    }
}

/// The largest char boundary of `text` at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The smallest char boundary of `text` at or after `at`.
fn ceil_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// `text` with each of `spans` (merged where they overlap or touch) replaced by its
/// [`redact`]ed form.
pub fn redact_spans(text: &str, mut spans: Vec<Range<usize>>) -> String {
    for s in &mut spans {
        *s = floor_boundary(text, s.start)..ceil_boundary(text, s.end);
    }
    spans.retain(|s| s.start < s.end);
    spans.sort_by_key(|s| (s.start, s.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in merged {
        out.push_str(&text[at..s.start]);
        out.push_str(&redact(&text[s.clone()]));
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_little() {
        assert_eq!(redact("AKIAZ7DQ2XJ4NFAKE123"), "AKIA…(20 chars)");
        assert_eq!(redact("hunter22"), "hu…(8 chars)");
        assert_eq!(redact("abc"), "…(3 chars)");
        assert_eq!(redact("é".repeat(20).as_str()), "éééé…(20 chars)");
        assert_eq!(
            redact_in("key = s3cr3tvalue!", "s3cr3tvalue!"),
            "key = s3…(12 chars)"
        );
    }

    #[test]
    fn spans_merge_and_respect_char_boundaries() {
        assert_eq!(
            redact_spans("a=SECRETVALUE1 b=OTHERSECRET2", vec![2..14, 17..29]),
            "a=SE…(12 chars) b=OT…(12 chars)"
        );
        assert_eq!(
            redact_spans("xxABCDEFGHyy", vec![2..8, 5..10]),
            "xxAB…(8 chars)yy"
        );
        // A span that ends inside `é` grows to take the whole character.
        assert_eq!(redact_spans("éabcdé!", vec![1..7, 2..3]), "…(6 chars)!");
    }

    #[derive(Debug)]
    struct Digits;
    impl SecretSpotter for Digits {
        fn spans(&self, _: &str, text: &str) -> Vec<Range<usize>> {
            let mut out = Vec::new();
            let mut start = None;
            for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
                match (c.is_ascii_digit(), start) {
                    (true, None) => start = Some(i),
                    (false, Some(s)) if i - s >= 6 => {
                        out.push(s..i);
                        start = None;
                    }
                    (false, Some(_)) => start = None,
                    _ => {}
                }
            }
            out
        }
    }

    #[test]
    fn known_values_and_spotted_ones_are_both_redacted() {
        let r = Redactor::new(
            ["hunter2hunter2".to_owned(), "ab".to_owned()],
            Some(&Digits),
        );
        assert_eq!(
            r.text("f", "pw=hunter2hunter2 pin=12345678 ab"),
            "pw=hu…(14 chars) pin=12…(8 chars) ab"
        );
        let untouched = "nothing to see";
        assert!(matches!(r.text("f", untouched), Cow::Borrowed(_)));
    }
}
