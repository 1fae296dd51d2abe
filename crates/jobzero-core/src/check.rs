//! The rule machinery every family shares: a [`Rule`] is a rule's metadata with the check
//! that applies it, a family lists its rules once with [`rule_set!`](crate::rule_set), and
//! every check reports into a [`Sink`].
//!
//! What a check sees is the family's own context type (a parsed workflow, a resource graph, a
//! policy): the machinery is generic over the check's signature, not over a context, so that a
//! context may borrow the file it describes (`fn(&Cx<'_>, &mut Sink)`).

use crate::finding::{Finding, FindingBuilder};
use crate::report::ScanError;
use crate::rule::RuleMeta;

/// A rule: its metadata and its check. `F` is the family's check signature, usually
/// `fn(&Cx<'_>, &mut Sink)`.
#[derive(Debug)]
pub struct Rule<F: 'static> {
    /// What the rule is, for the registry and the docs.
    pub meta: &'static RuleMeta,
    /// What applies it.
    pub check: F,
}

/// The metadata of a family's rules, in registration order.
pub fn metas<F>(rules: &'static [Rule<F>]) -> impl Iterator<Item = &'static RuleMeta> {
    rules.iter().map(|r| r.meta)
}

/// Declares a family's (or a group's) rule modules and its rule list from one entry per
/// rule, in the order given. Each module defines `pub static RULE` (with
/// [`declare_rule!`](crate::declare_rule)) and `pub(crate) fn check` of the given signature.
///
/// ```ignore
/// jobzero_core::rule_set! {
///     /// The group's rules.
///     pub static RULES: fn(&Cx<'_>, &mut Sink) = [s3_public_read, s3_unencrypted];
/// }
/// ```
#[macro_export]
macro_rules! rule_set {
    (
        $(#[$attr:meta])*
        $vis:vis static $name:ident: $check:ty = [$($m:ident),* $(,)?];
    ) => {
        $(mod $m;)*
        $(#[$attr])*
        $vis static $name: &[$crate::check::Rule<$check>] = &[
            $($crate::check::Rule { meta: &$m::RULE, check: $m::check }),*
        ];
    };
}

/// One replacement of a byte range of a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Start byte.
    pub start: usize,
    /// End byte (equal to `start` for an insertion).
    pub end: usize,
    /// The new text.
    pub text: String,
}

/// A safe fix: one or more edits that belong together, computed against the text the check
/// read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The rule it fixes.
    pub rule: &'static str,
    /// What it does, for `--fix` output and editors.
    pub title: String,
    /// The edits, in any order, not overlapping.
    pub edits: Vec<Edit>,
}

/// Applies the fixes whose edits overlap no earlier fix's and stay inside `text`; returns
/// the new text and the fixes applied. Several fixes of one file are meant to be applied in
/// rounds (apply, check again), so that each edit is made against fresh positions.
pub fn apply_fixes(text: &str, fixes: &[Fix]) -> (String, Vec<Fix>) {
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut chosen: Vec<&Fix> = Vec::new();
    for fix in fixes {
        let overlaps = fix.edits.iter().any(|e| {
            taken
                .iter()
                .any(|&(s, t)| e.start < t.max(s + 1) && s < e.end.max(e.start + 1))
        });
        let in_bounds = fix.edits.iter().all(|e| {
            e.start <= e.end
                && e.end <= text.len()
                && text.is_char_boundary(e.start)
                && text.is_char_boundary(e.end)
        });
        if overlaps || !in_bounds {
            continue;
        }
        taken.extend(fix.edits.iter().map(|e| (e.start, e.end)));
        chosen.push(fix);
    }
    let mut edits: Vec<&Edit> = chosen.iter().flat_map(|f| f.edits.iter()).collect();
    edits.sort_by_key(|e| std::cmp::Reverse((e.start, e.end)));
    let mut out = text.to_owned();
    for e in edits {
        out.replace_range(e.start..e.end, &e.text);
    }
    (out, chosen.into_iter().cloned().collect())
}

/// Where checks report. A finding that cannot be built (no location, no evidence) is a bug
/// of the rule, never of the input: it becomes a scan error naming the rule and the file, so
/// that it is seen, and the scan goes on.
#[derive(Debug, Default)]
pub struct Sink {
    path: String,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Safe fixes.
    pub fixes: Vec<Fix>,
    /// Findings that could not be built.
    pub errors: Vec<ScanError>,
}

impl Sink {
    /// A sink for the checks of the file at `path`.
    pub fn new(path: impl Into<String>) -> Sink {
        Sink {
            path: path.into(),
            ..Sink::default()
        }
    }

    /// Builds and adds a finding, or records why it could not be built.
    pub fn push(&mut self, builder: FindingBuilder) {
        match builder.build() {
            Ok(f) => self.findings.push(f),
            Err(e) => self.errors.push(ScanError::new(
                &self.path,
                None,
                format!("internal error, please report it: {e}"),
            )),
        }
    }

    /// Adds a finding built elsewhere.
    pub fn add(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Adds a safe fix.
    pub fn fix(&mut self, fix: Fix) {
        self.fixes.push(fix);
    }

    /// Moves everything of `other` into this sink.
    pub fn append(&mut self, other: Sink) {
        self.findings.extend(other.findings);
        self.fixes.extend(other.fixes);
        self.errors.extend(other.errors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Location;
    use crate::testing_rule::RULE;

    #[test]
    fn a_finding_that_fails_to_build_is_an_error_not_a_silent_drop() {
        let mut sink = Sink::new("main.tf");
        sink.push(Finding::builder(&RULE).location(Location::lines("main.tf", 1, 1)));
        sink.push(
            Finding::builder(&RULE)
                .location(Location::lines("main.tf", 2, 2))
                .evidence("x"),
        );
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.errors.len(), 1);
        assert_eq!(sink.errors[0].path, "main.tf");
        assert!(
            sink.errors[0].message.contains("iac/unit-test-rule"),
            "{}",
            sink.errors[0].message
        );
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let edit = |start, end, text: &str| Edit {
            start,
            end,
            text: text.to_owned(),
        };
        let fixes = [
            Fix {
                rule: "a",
                title: "a".into(),
                edits: vec![edit(0, 3, "ONE")],
            },
            Fix {
                rule: "b",
                title: "b".into(),
                edits: vec![edit(2, 5, "x")],
            },
            Fix {
                rule: "c",
                title: "c".into(),
                edits: vec![edit(8, 8, "!")],
            },
        ];
        let (text, applied) = apply_fixes("one two three", &fixes);
        assert_eq!(text, "ONE two !three");
        assert_eq!(applied.len(), 2);
    }
}
