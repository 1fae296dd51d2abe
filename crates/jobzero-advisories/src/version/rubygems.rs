//! RubyGems' `Gem::Version` ordering, as in RubyGems 3.x `lib/rubygems/version.rb`: a `-` reads
//! as `.pre.`, runs of digits and of letters are separate segments, trailing zero segments
//! of the release part and of the pre-release part do not count, a number is above a word
//! and a missing segment is a zero.

use std::cmp::Ordering;

use super::{cmp_digits, digit_run};

/// One segment of a version: a run of digits or a run of ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment<'a> {
    Number(&'a str),
    Text(&'a str),
}

impl Segment<'_> {
    fn is_zero(self) -> bool {
        matches!(self, Segment::Number(d) if d.bytes().all(|c| c == b'0'))
    }
}

/// Ruby's `\s`, which `Gem::Version` strips around a version.
fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// `Gem::Version.correct?` on a stripped, non-empty string: digits, then `.`-separated
/// alphanumerics, then an optional `-` and `.`-separated runs of alphanumerics and hyphens.
fn is_correct(v: &[u8]) -> bool {
    let lead = digit_run(v);
    if lead == 0 {
        return false;
    }
    let mut rest = &v[lead..];
    while let Some(after_dot) = rest.strip_prefix(b".") {
        let n = after_dot
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if n == 0 {
            return false;
        }
        rest = &after_dot[n..];
    }
    let Some(mut tail) = rest.strip_prefix(b"-") else {
        return rest.is_empty();
    };
    loop {
        let n = tail
            .iter()
            .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'-')
            .count();
        if n == 0 {
            return false;
        }
        match tail[n..].strip_prefix(b".") {
            Some(next) => tail = next,
            None => return n == tail.len(),
        }
    }
}

/// The segments of `v`, or `None` when RubyGems rejects it as malformed.
fn segments(v: &str) -> Option<Vec<Segment<'_>>> {
    let v = v.trim_matches(is_ruby_space);
    // RubyGems reads a blank version as "0".
    if v.is_empty() {
        return Some(vec![Segment::Number("0")]);
    }
    if !is_correct(v.as_bytes()) {
        return None;
    }
    let bytes = v.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        let run = if c.is_ascii_digit() {
            digit_run(&bytes[i..])
        } else {
            bytes[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count()
        };
        match run {
            0 => {
                // RubyGems rewrites every `-` to `.pre.` before splitting.
                if c == b'-' {
                    out.push(Segment::Text("pre"));
                }
                i += 1;
            }
            n => {
                let s = v.get(i..i + n)?;
                out.push(if c.is_ascii_digit() {
                    Segment::Number(s)
                } else {
                    Segment::Text(s)
                });
                i += n;
            }
        }
    }
    Some(out)
}

/// `Gem::Version#<=>`; `None` when either version is malformed.
pub(super) fn compare(a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (segments(a)?, segments(b)?);
    let (a, b) = (canonical(&a), canonical(&b));
    let zero = Segment::Number("0");
    for i in 0..a.len().max(b.len()) {
        let left = a.get(i).copied().unwrap_or(zero);
        let right = b.get(i).copied().unwrap_or(zero);
        let ord = match (left, right) {
            (Segment::Number(x), Segment::Number(y)) => cmp_digits(x.as_bytes(), y.as_bytes()),
            (Segment::Text(x), Segment::Text(y)) => x.cmp(y),
            (Segment::Text(_), Segment::Number(_)) => Ordering::Less,
            (Segment::Number(_), Segment::Text(_)) => Ordering::Greater,
        };
        if ord != Ordering::Equal {
            return Some(ord);
        }
    }
    Some(Ordering::Equal)
}

/// `canonical_segments`: trailing zeros dropped from the release part (up to the first word)
/// and from the pre-release part separately, so `1.0.0` is `1` and `1.0.0.a.1.0` is `1.a.1`.
fn canonical<'a>(segments: &[Segment<'a>]) -> Vec<Segment<'a>> {
    let split = segments
        .iter()
        .position(|s| matches!(s, Segment::Text(_)))
        .unwrap_or(segments.len());
    let (release, pre) = segments.split_at(split);
    let trim = |part: &[Segment<'a>]| -> Vec<Segment<'a>> {
        let keep = part.len() - part.iter().rev().take_while(|s| s.is_zero()).count();
        part[..keep].to_vec()
    };
    let mut out = trim(release);
    out.extend(trim(pre));
    out
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::*;

    use crate::version::{assert_ascending, assert_same, compare};

    fn cmp(a: &str, b: &str) -> Option<std::cmp::Ordering> {
        compare("RubyGems", a, b)
    }

    #[test]
    fn spaceship_examples() {
        // From rubygems test/rubygems/test_gem_version.rb, test_spaceship.
        assert_eq!(cmp("1.0", "1.0.0"), Some(Equal));
        assert_eq!(cmp("1.0", "1.0.a"), Some(Greater));
        assert_eq!(cmp("1.8.2", "0.0.0"), Some(Greater));
        assert_eq!(cmp("1.8.2", "1.8.2.a"), Some(Greater));
        assert_eq!(cmp("1.8.2.b", "1.8.2.a"), Some(Greater));
        assert_eq!(cmp("1.8.2.a", "1.8.2"), Some(Less));
        assert_eq!(cmp("1.8.2.a10", "1.8.2.a9"), Some(Greater));
        // Through `compare` a literal `0` is OSV's sentinel, so RubyGems' own answer is
        // checked on the module.
        assert_eq!(super::compare("", "0"), Some(Equal));
        assert_eq!(cmp("", "0.0"), Some(Equal));
        assert_eq!(cmp("0.beta.1", "0.0.beta.1"), Some(Equal));
        assert_eq!(cmp("0.0.beta", "0.0.beta.1"), Some(Less));
        assert_eq!(cmp("0.0.beta", "0.beta.1"), Some(Less));
        assert_eq!(cmp("5.a", "5.0.0.rc2"), Some(Less));
        assert_eq!(cmp("5.x", "5.0.0.rc2"), Some(Greater));
        assert_eq!(cmp("1.9.3", "1.9.3"), Some(Equal));
        assert_eq!(cmp("1.9.3", "1.9.2.99"), Some(Greater));
        assert_eq!(cmp("1.9.3", "1.9.3.1"), Some(Less));
        assert_eq!(cmp("1.9.3", "whatever"), None);
    }

    #[test]
    fn semver_style_chain() {
        // From test_gem_version.rb, test_semver: a `-` reads as `.pre.`.
        assert_ascending(
            "RubyGems",
            &[
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
            ],
        );
        assert_eq!(cmp("1.0.0-rc1", "1.0.0"), Some(Less));
        assert_eq!(cmp("1.0.0-1", "1"), Some(Less));
        assert_same("RubyGems", "1.0.0-rc1", "1.0.0.pre.rc1");
    }

    #[test]
    fn equal_versions() {
        // test_equals2, test_hash, test_initialize and test_canonical_segments.
        assert_same("RubyGems", "1.2", "1.2");
        assert_same("RubyGems", "1.2.b1", "1.2.b.1");
        assert_same("RubyGems", "1.2", "1.2.0");
        assert_same("RubyGems", "1.2.pre.1", "1.2.0.pre.1.0");
        assert_same("RubyGems", "1.0.0.a.1.0", "1.a.1");
        assert_same("RubyGems", "1.2.3-1", "1.2.3.pre.1");
        // The description of `1.0a` in the brief: letters split from digits.
        assert_same("RubyGems", "1.0a", "1.0.a");
        assert_same("RubyGems", "1.0.0.a10", "1.0.0.a.10");
        for padded in ["1.0 ", " 1.0 ", "1.0\n", "\n1.0\n"] {
            assert_same("RubyGems", "1.0", padded);
        }
        assert_ne!(cmp("1.2", "1.3"), Some(Equal));
    }

    #[test]
    fn class_documentation_order() {
        // The order in the Gem::Version class documentation, oldest first.
        assert_ascending("RubyGems", &["0.9", "1.0.a.2", "1.0.b1", "1.0"]);
        // test_frozen_version: a word sorts below the release it follows.
        assert_eq!(cmp("1.freeze.test", "1"), Some(Less));
        // Ruby compares words bytewise, so upper case sorts first.
        assert_eq!(cmp("1.A", "1.a"), Some(Less));
    }

    #[test]
    fn malformed_versions_do_not_compare() {
        // test_initialize_invalid (CVE-2013-4287 included) and test_class_correct.
        for bad in [
            "junk",
            "1.0\n2.0",
            "1..2",
            "1.2 3.4",
            "2.3422222.222.222222222.22222.ads0as.dasd0.ddd2222.2.qd3e.",
            "an incorrect version",
            "1.0-",
            "v1.0",
        ] {
            assert_eq!(cmp(bad, "1.0"), None, "{bad}");
        }
    }

    #[test]
    fn big_numbers_compare_by_value() {
        // Ruby integers have no width limit.
        assert_eq!(
            cmp("1.99999999999999999999999", "1.100000000000000000000000"),
            Some(Less)
        );
        assert_same("RubyGems", "1.007", "1.7");
    }

    #[test]
    fn osv_zero_is_the_floor() {
        assert_eq!(cmp("0", "0.0.1"), Some(Less));
        assert_eq!(cmp("0", "0.a"), Some(Less));
        assert_eq!(cmp("0", "0.0"), Some(Less));
        assert_eq!(cmp("0", "0"), Some(Equal));
        assert_eq!(cmp("1.0", "0"), Some(Greater));
        assert_eq!(cmp("0", "junk"), None);
    }
}
