//! The detector engine: one Aho-Corasick pass over the file for every keyword of every
//! detector, then each hit detector's regex only over the lines where its keywords appear.

use std::collections::BTreeMap;
use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::bytes::{Regex, RegexBuilder};
use regex_automata::meta;
use regex_automata::util::syntax;

use jobzero_core::RuleMeta;

use crate::definition::{Definition, LOADED};
use crate::placeholder::is_placeholder;
use crate::validate::{self, Verdict};

/// A compiled detector. The regex is compiled on first use, so that start-up stays fast
/// however many detectors there are.
pub struct Detector {
    /// The definition.
    pub def: &'static Definition,
    /// Its rule.
    pub meta: &'static RuleMeta,
    regex: OnceLock<Result<meta::Regex, String>>,
    files: OnceLock<Option<globset::GlobSet>>,
    files_excluded: OnceLock<Option<globset::GlobSet>>,
    requires: OnceLock<Option<Regex>>,
    shape: OnceLock<(Vec<Regex>, Vec<Regex>)>,
    line_not: OnceLock<Vec<Regex>>,
}

/// The globs compiled, or `None` when there are none.
fn glob_set_or_none(globs: &[String]) -> Option<globset::GlobSet> {
    (!globs.is_empty())
        .then(|| jobzero_core::suppress::glob_set(globs).ok())
        .flatten()
}

fn compile_all(patterns: &[String]) -> Vec<Regex> {
    patterns
        .iter()
        .filter_map(|p| RegexBuilder::new(p).unicode(false).build().ok())
        .collect()
}

impl Detector {
    /// Whether the line around a candidate rules it out.
    fn line_excluded(&self, line: &[u8]) -> bool {
        self.line_not
            .get_or_init(|| compile_all(&self.def.line_must_not_match))
            .iter()
            .any(|r| r.is_match(line))
    }

    /// Whether the secret has the shape the definition asks for.
    fn shaped(&self, secret: &[u8]) -> bool {
        let (must, must_not) = self.shape.get_or_init(|| {
            (
                compile_all(&self.def.secret_must_match),
                compile_all(&self.def.secret_must_not_match),
            )
        });
        must.iter().all(|r| r.is_match(secret)) && !must_not.iter().any(|r| r.is_match(secret))
    }

    /// Whether the detector applies to the file at `path` with these contents.
    fn applies(&self, path: &str, bytes: &[u8]) -> bool {
        let files = self.files.get_or_init(|| glob_set_or_none(&self.def.files));
        if let Some(set) = files {
            let name = path.rsplit('/').next().unwrap_or(path);
            if !set.is_match(path) && !set.is_match(name) {
                return false;
            }
        }
        let excluded = self
            .files_excluded
            .get_or_init(|| glob_set_or_none(&self.def.files_excluded));
        if let Some(set) = excluded {
            let name = path.rsplit('/').next().unwrap_or(path);
            if set.is_match(path) || set.is_match(name) {
                return false;
            }
        }
        let requires = self.requires.get_or_init(|| {
            self.def.requires.as_deref().and_then(|r| {
                RegexBuilder::new(r)
                    .unicode(false)
                    .multi_line(true)
                    .build()
                    .ok()
            })
        });
        requires.as_ref().is_none_or(|r| r.is_match(bytes))
    }

    /// The compiled pattern, or why it does not compile.
    pub fn regex(&self) -> Result<&meta::Regex, &str> {
        self.regex
            .get_or_init(|| {
                // ASCII classes: faster, and credentials are ASCII. The pattern runs only on
                // lines where one of its keywords appears, so a literal prefilter and a
                // one-pass DFA, which pay off on long haystacks, are not built: compiling every
                // detector takes ~40 % less time and matching is as fast. (Without the lazy
                // DFA compiling would halve again, but scanning would take twice as long.)
                meta::Builder::new()
                    .configure(
                        meta::Config::new()
                            .onepass(false)
                            .auto_prefilter(false)
                            .nfa_size_limit(Some(32 * 1024 * 1024)),
                    )
                    .syntax(
                        syntax::Config::new()
                            .unicode(false)
                            .utf8(false)
                            .multi_line(true),
                    )
                    .build(&self.def.pattern)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

/// A candidate secret found by a detector.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Index of the detector in [`Engine::detectors`].
    pub detector: usize,
    /// Byte range of the secret in the file.
    pub start: usize,
    /// End of the secret (exclusive).
    pub end: usize,
    /// The secret.
    pub secret: String,
    /// What a structural check said, when the detector has one.
    pub verdict: Option<Verdict>,
}

/// Every detector with the keyword automaton.
pub struct Engine {
    /// The detectors, in definition order.
    pub detectors: Vec<Detector>,
    automaton: Option<AhoCorasick>,
    /// Keyword index → detectors that own it.
    owners: Vec<Vec<usize>>,
}

/// The engine of every built-in detector.
pub static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::new);

/// Shannon entropy of `s` in bits per character.
pub fn entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0usize; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

fn line_bounds(bytes: &[u8], at: usize) -> (usize, usize) {
    let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
    (start, end)
}

impl Engine {
    fn new() -> Engine {
        let detectors: Vec<Detector> = LOADED
            .0
            .iter()
            .map(|(def, meta)| Detector {
                def,
                meta,
                regex: OnceLock::new(),
                files: OnceLock::new(),
                files_excluded: OnceLock::new(),
                requires: OnceLock::new(),
                shape: OnceLock::new(),
                line_not: OnceLock::new(),
            })
            .collect();
        let mut keywords: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, d) in detectors.iter().enumerate() {
            for k in &d.def.keywords {
                keywords.entry(k.to_ascii_lowercase()).or_default().push(i);
            }
        }
        let patterns: Vec<&String> = keywords.keys().collect();
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .ok();
        Engine {
            owners: keywords.into_values().collect(),
            automaton,
            detectors,
        }
    }

    /// Every candidate secret in `bytes` (the file at `path`), after entropy, placeholder and
    /// structural checks, sorted by position; where a generic detector and a specific one
    /// claim overlapping text, the specific one wins.
    pub fn scan(&self, path: &str, bytes: &[u8]) -> Vec<Candidate> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        // Per detector, the byte ranges (whole lines) to run its regex on.
        let mut windows: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
        for m in automaton.find_overlapping_iter(bytes) {
            let line = line_bounds(bytes, m.start());
            for &d in &self.owners[m.pattern().as_usize()] {
                let w = windows.entry(d).or_default();
                if self.detectors[d].def.multiline {
                    if w.is_empty() {
                        w.push((0, bytes.len()));
                    }
                } else if w.last() != Some(&line) {
                    w.push(line);
                }
            }
        }
        let mut found: Vec<Candidate> = Vec::new();
        for (d, mut ranges) in windows {
            ranges.sort_unstable();
            ranges.dedup();
            let detector = &self.detectors[d];
            let Ok(regex) = detector.regex() else {
                continue;
            };
            if !detector.applies(path, bytes) {
                continue;
            }
            for (start, end) in ranges {
                let window = &bytes[start..end];
                for caps in regex.captures_iter(window) {
                    let Some(m) = caps
                        .get_group_by_name("secret")
                        .or_else(|| caps.get_group(1))
                        .or_else(|| caps.get_group(0))
                    else {
                        continue;
                    };
                    let at = start + m.start;
                    if !detector.def.line_must_not_match.is_empty() {
                        let (ls, le) = line_bounds(bytes, at);
                        if detector.line_excluded(&bytes[ls..le]) {
                            continue;
                        }
                    }
                    if let Some(c) = self.check(d, at, start + m.end, &window[m.start..m.end]) {
                        found.push(c);
                    }
                }
            }
        }
        found.sort_by_key(|c| (c.start, c.end, c.detector));
        found.dedup_by(|a, b| a.detector == b.detector && a.start == b.start);
        self.resolve_overlaps(found)
    }

    fn check(&self, d: usize, start: usize, end: usize, raw: &[u8]) -> Option<Candidate> {
        let def = self.detectors[d].def;
        if raw.is_empty() {
            return None;
        }
        if def.entropy.is_some_and(|min| entropy(raw) < min) {
            return None;
        }
        if !self.detectors[d].shaped(raw) {
            return None;
        }
        let secret = String::from_utf8_lossy(raw).into_owned();
        if !def.allow_placeholders && is_placeholder(&secret) {
            return None;
        }
        let verdict = def
            .validate
            .as_deref()
            .and_then(|v| validate::check(v, &secret));
        if verdict == Some(Verdict::Invalid) {
            return None;
        }
        Some(Candidate {
            detector: d,
            start,
            end,
            secret,
            verdict,
        })
    }

    /// How broad a detector is: 0 a provider's, 1 a tool setting's, 2 generic.
    fn tier(&self, c: &Candidate) -> u8 {
        let def = self.detectors[c.detector].def;
        if def.generic { 2 } else { u8::from(def.tool) }
    }

    /// Drops a candidate when a narrower detector's candidate overlaps it (a generic one
    /// yields to a tool's, a tool's to a provider's), and keeps one of several broad
    /// candidates of the same tier on the same text (the first by position).
    fn resolve_overlaps(&self, found: Vec<Candidate>) -> Vec<Candidate> {
        let spans: Vec<(u8, usize, usize)> = found
            .iter()
            .map(|c| (self.tier(c), c.start, c.end))
            .collect();
        let mut broad_kept: Vec<(u8, usize, usize)> = Vec::new();
        found
            .into_iter()
            .filter(|c| {
                let tier = self.tier(c);
                if tier == 0 {
                    return true;
                }
                let overlaps = |s: usize, e: usize| s < c.end && c.start < e;
                if spans.iter().any(|&(t, s, e)| t < tier && overlaps(s, e))
                    || broad_kept
                        .iter()
                        .any(|&(t, s, e)| t == tier && overlaps(s, e))
                {
                    return false;
                }
                broad_kept.push((tier, c.start, c.end));
                true
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_bits() {
        assert_eq!(entropy(b"aaaa"), 0.0);
        assert!((entropy(b"abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn line_bounds_cover_the_line() {
        let text = b"one\ntwo three\nfour";
        assert_eq!(line_bounds(text, 6), (4, 13));
        assert_eq!(line_bounds(text, 0), (0, 3));
        assert_eq!(line_bounds(text, 16), (14, 18));
    }
}
