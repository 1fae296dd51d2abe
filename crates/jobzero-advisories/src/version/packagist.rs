//! Packagist's version ordering: Composer's `VersionParser::normalize` (composer/semver), then
//! PHP's `version_compare` on the normalised strings, which is how Composer matches a package's
//! version against a constraint (both sides normalised). The normalisation pads to four
//! numbers and spells stabilities out (`b2` is `beta2`, `pl3` is `patch3`), so `1.0` equals
//! `1.0.0` and `version_compare` orders dev < alpha < beta < RC < stable < patch.

use std::cmp::Ordering;

use super::{cmp_digits, digit_run};

/// PHP's `trim` set.
fn is_php_trim(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\0' | '\x0b')
}

/// PCRE's `\s` without Unicode support.
fn is_pcre_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// `^([^,\s]++) ++as ++([^,\s]++)$`: the aliased version of `1.0.0 as 2.0`.
fn strip_alias(v: &str) -> Option<&str> {
    let end = v.find(|c| c == ',' || is_pcre_space(c))?;
    let rest = v[end..].strip_prefix(' ')?.trim_start_matches(' ');
    let alias = rest.strip_prefix("as")?;
    let alias = alias.strip_prefix(' ')?.trim_start_matches(' ');
    let valid = end > 0 && !alias.is_empty() && !alias.contains(|c| c == ',' || is_pcre_space(c));
    valid.then(|| &v[..end])
}

/// `@(?:stable|RC|beta|alpha|dev)$`, case-insensitive: a stability flag of a constraint.
fn strip_stability_flag(v: &str) -> &str {
    for flag in ["@stable", "@rc", "@beta", "@alpha", "@dev"] {
        let Some(cut) = v.len().checked_sub(flag.len()) else {
            continue;
        };
        if v.get(cut..).is_some_and(|t| t.eq_ignore_ascii_case(flag)) {
            return &v[..cut];
        }
    }
    v
}

/// `^([^,\s+]++)\+[^\s]++$`: the version of `1.0.0+build`.
fn strip_build(v: &str) -> Option<&str> {
    let end = v.find(|c| c == ',' || c == '+' || is_pcre_space(c))?;
    let tail = v[end..].strip_prefix('+')?;
    let valid = end > 0 && !tail.is_empty() && !tail.contains(is_pcre_space);
    valid.then(|| &v[..end])
}

/// The captures of Composer's modifier pattern,
/// `[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?$`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Modifier<'a> {
    stability: Option<&'a str>,
    number: &'a str,
    dev: bool,
}

/// The stability words in the pattern's order, longer spellings before their prefixes.
const STABILITIES: [&str; 9] = [
    "stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p",
];

/// `([.-]?dev)?$`: `Some(true)` for a `dev` tail, `Some(false)` at the end, `None` otherwise.
fn dev_tail(s: &[u8]) -> Option<bool> {
    let s = match s {
        [b'.' | b'-', rest @ ..] if rest.eq_ignore_ascii_case(b"dev") => rest,
        _ => s,
    };
    if s.is_empty() {
        Some(false)
    } else {
        s.eq_ignore_ascii_case(b"dev").then_some(true)
    }
}

/// The length of `(?:[.-]?\d+)*+` at the start of `s`: as many numbers as there are.
fn numbers_len(s: &[u8]) -> usize {
    let mut i = 0;
    loop {
        let start = match s.get(i..) {
            Some([b'.' | b'-', d, ..]) if d.is_ascii_digit() => i + 1,
            Some([d, ..]) if d.is_ascii_digit() => i,
            _ => return i,
        };
        i = start + digit_run(&s[start..]);
    }
}

/// Matches the modifier pattern against the whole of `s`, trying alternatives in the order a
/// backtracking regex engine does.
fn modifier(s: &str) -> Option<Modifier<'_>> {
    let bytes = s.as_bytes();
    let skips: &[usize] = match bytes.first() {
        Some(b'.' | b'_' | b'-') => &[1, 0],
        _ => &[0],
    };
    for &skip in skips {
        let t = &s[skip..];
        for word in STABILITIES {
            let Some(head) = t.get(..word.len()) else {
                continue;
            };
            if !head.eq_ignore_ascii_case(word) {
                continue;
            }
            let after = &t[word.len()..];
            let n = numbers_len(after.as_bytes());
            if let Some(dev) = dev_tail(&after.as_bytes()[n..]) {
                return Some(Modifier {
                    stability: Some(head),
                    number: &after[..n],
                    dev,
                });
            }
        }
        if let Some(dev) = dev_tail(t.as_bytes()) {
            return Some(Modifier {
                stability: None,
                number: "",
                dev,
            });
        }
    }
    None
}

/// `expandStability`.
fn expand_stability(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    match lower.as_str() {
        "a" => "alpha".to_owned(),
        "b" => "beta".to_owned(),
        "p" | "pl" => "patch".to_owned(),
        "rc" => "RC".to_owned(),
        _ => lower,
    }
}

/// Appends the modifier to the normalised numbers, as `normalize` does.
fn with_modifier(mut version: String, m: Modifier<'_>) -> String {
    if let Some(word) = m.stability {
        // Composer compares this capture case-sensitively: `1.0-STABLE` keeps a suffix.
        if word == "stable" {
            return version;
        }
        version.push('-');
        version.push_str(&expand_stability(word));
        version.push_str(m.number.trim_start_matches(['.', '-']));
    }
    if m.dev {
        version.push_str("-dev");
    }
    version
}

fn strip_v(v: &str) -> &str {
    v.strip_prefix(['v', 'V']).unwrap_or(v)
}

/// `^v?(\d{1,5}+)(\.\d++)?(\.\d++)?(\.\d++)?` + modifier: `1.2`, `1.2.3.4-beta2`.
fn classical(v: &str) -> Option<String> {
    let s = strip_v(v);
    let bytes = s.as_bytes();
    let major = digit_run(bytes);
    if major == 0 || major > 5 {
        return None;
    }
    let mut out = s[..major].to_owned();
    let mut pos = major;
    let mut parts = 1;
    while parts < 4 {
        let n = match bytes.get(pos..) {
            Some([b'.', rest @ ..]) => digit_run(rest),
            _ => 0,
        };
        if n == 0 {
            break;
        }
        out.push_str(&s[pos..pos + 1 + n]);
        pos += 1 + n;
        parts += 1;
    }
    let m = modifier(&s[pos..])?;
    for _ in parts..4 {
        out.push_str(".0");
    }
    Some(with_modifier(out, m))
}

/// `^v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2})` + modifier: date-based versions
/// such as `2010-01-02` or `20100102.203040`, each separator becoming a dot.
fn date(v: &str) -> Option<String> {
    let s = strip_v(v);
    if digit_run(s.as_bytes()) < 4 {
        return None;
    }
    let (end, m) = date_pairs(s, 4, 0)?;
    let numbers = s[..end]
        .chars()
        .map(|c| if c.is_ascii_digit() { c } else { '.' })
        .collect();
    Some(with_modifier(numbers, m))
}

fn is_date_separator(c: Option<&u8>) -> bool {
    matches!(c, Some(b'.' | b':' | b'-'))
}

/// `(?:[.:-]?\d{2}){1,6}` after `count` pairs, greedy: another pair first, then the rest.
fn date_pairs(s: &str, pos: usize, count: usize) -> Option<(usize, Modifier<'_>)> {
    let bytes = s.as_bytes();
    let two_digits = |at: usize| bytes.get(at..).is_some_and(|t| digit_run(t) >= 2);
    if count < 6 {
        let with_separator = is_date_separator(bytes.get(pos)) && two_digits(pos + 1);
        let attempts = [
            with_separator.then_some(pos + 3),
            two_digits(pos).then_some(pos + 2),
        ];
        for next in attempts.into_iter().flatten() {
            if let Some(found) = date_pairs(s, next, count + 1) {
                return Some(found);
            }
        }
    }
    if count == 0 {
        return None;
    }
    date_tail(s, pos, 0)
}

/// `(?:[.:-]?\d{1,3}){0,2}` after `count` groups, then the modifier and the end.
fn date_tail(s: &str, pos: usize, count: usize) -> Option<(usize, Modifier<'_>)> {
    let bytes = s.as_bytes();
    if count < 2 {
        let starts = [
            is_date_separator(bytes.get(pos)).then_some(pos + 1),
            Some(pos),
        ];
        for start in starts.into_iter().flatten() {
            let run = bytes.get(start..).map_or(0, digit_run).min(3);
            for len in (1..=run).rev() {
                if let Some(found) = date_tail(s, start + len, count + 1) {
                    return Some(found);
                }
            }
        }
    }
    modifier(&s[pos..]).map(|m| (pos, m))
}

/// `normalizeBranch` for a numeric branch (`1.x`, `v2.0.*`); `None` for named branches,
/// which `normalize` rejects when they end in `-dev`.
fn numeric_branch(name: &str) -> Option<String> {
    let s = strip_v(name.trim_matches(is_php_trim));
    let bytes = s.as_bytes();
    let major = digit_run(bytes);
    if major == 0 {
        return None;
    }
    let mut out = s[..major].to_owned();
    let mut pos = major;
    let mut parts = 1;
    while parts < 4 {
        let Some([b'.', rest @ ..]) = bytes.get(pos..) else {
            break;
        };
        let n = digit_run(rest);
        if n > 0 {
            out.push_str(&s[pos..pos + 1 + n]);
            pos += 1 + n;
        } else if matches!(rest.first(), Some(b'x' | b'X' | b'*')) {
            out.push_str(".x");
            pos += 2;
        } else {
            break;
        }
        parts += 1;
    }
    if pos != s.len() {
        return None;
    }
    for _ in parts..4 {
        out.push_str(".x");
    }
    Some(out.replace('x', "9999999") + "-dev")
}

/// Composer's `VersionParser::normalize`; `None` where it throws.
fn normalize(v: &str) -> Option<String> {
    let mut v = v.trim_matches(is_php_trim);
    if let Some(source) = strip_alias(v) {
        v = source;
    }
    v = strip_stability_flag(v);
    if matches!(v, "master" | "trunk" | "default") {
        return Some(format!("dev-{v}"));
    }
    if v.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("dev-")) {
        return Some(format!("dev-{}", &v[4..]));
    }
    if let Some(version) = strip_build(v) {
        v = version;
    }
    if let Some(n) = classical(v).or_else(|| date(v)) {
        return Some(n);
    }
    // `(.*?)[.-]?dev$`: a numeric branch such as `1.0.x-dev`.
    let cut = v.len().checked_sub(3)?;
    if !v.get(cut..)?.eq_ignore_ascii_case("dev") {
        return None;
    }
    let name = &v[..cut];
    numeric_branch(name.strip_suffix(['.', '-']).unwrap_or(name))
}

/// PHP's `php_canonicalize_version`: `-`, `_` and `+` become `.`, a `.` goes between a digit
/// and a non-digit, and other non-alphanumerics become `.` (without doubling dots).
fn canonicalize(v: &[u8]) -> Vec<u8> {
    let Some((&first, rest)) = v.split_first() else {
        return Vec::new();
    };
    let is_digit = |c: u8| c.is_ascii_digit();
    let is_word = |c: u8| !c.is_ascii_digit() && c != b'.';
    let mut out = vec![first];
    let mut previous = first;
    for &c in rest {
        let after_dot = out.last() == Some(&b'.');
        if matches!(c, b'-' | b'_' | b'+') {
            if !after_dot {
                out.push(b'.');
            }
        } else if (is_word(previous) && is_digit(c)) || (is_digit(previous) && is_word(c)) {
            if !after_dot {
                out.push(b'.');
            }
            out.push(c);
        } else if !c.is_ascii_alphanumeric() {
            if !after_dot {
                out.push(b'.');
            }
        } else {
            out.push(c);
        }
        previous = c;
    }
    out
}

/// `compare_special_version_forms`' rank of a word, by prefix; unknown words rank lowest.
fn special_form(word: &[u8]) -> i8 {
    const FORMS: [(&[u8], i8); 10] = [
        (b"dev", 0),
        (b"alpha", 1),
        (b"a", 1),
        (b"beta", 2),
        (b"b", 2),
        (b"RC", 3),
        (b"rc", 3),
        (b"#", 4),
        (b"pl", 5),
        (b"p", 5),
    ];
    FORMS
        .iter()
        .find(|(name, _)| word.starts_with(name))
        .map_or(-1, |&(_, rank)| rank)
}

/// The stand-in PHP compares a word with when the other side is a number.
const NUMBER: &[u8] = b"#N#";

fn compare_part(a: &[u8], b: &[u8]) -> Ordering {
    let starts_digit = |s: &[u8]| s.first().is_some_and(u8::is_ascii_digit);
    match (starts_digit(a), starts_digit(b)) {
        (true, true) => cmp_digits(&a[..digit_run(a)], &b[..digit_run(b)]),
        (false, false) => special_form(a).cmp(&special_form(b)),
        (true, false) => special_form(NUMBER).cmp(&special_form(b)),
        (false, true) => special_form(a).cmp(&special_form(NUMBER)),
    }
}

/// The parts left on one side once the other is exhausted, compared with a number: a
/// number is above, a word ranks against `#N#`.
fn leftover(rest: &[&[u8]]) -> Ordering {
    match rest {
        [first, ..] if first.first().is_some_and(u8::is_ascii_digit) => Ordering::Greater,
        // PHP compares the empty rest of a trailing dot as an empty version: the lowest.
        [] | [[]] => Ordering::Less,
        _ => compare_parts(rest, &[NUMBER]),
    }
}

/// The part-by-part loop of `php_version_compare` over canonical, `.`-split versions.
fn compare_parts(a: &[&[u8]], b: &[&[u8]]) -> Ordering {
    let mut i = 0;
    while let (Some(x), Some(y)) = (a.get(i), b.get(i)) {
        let ord = compare_part(x, y);
        if ord != Ordering::Equal {
            return ord;
        }
        let (next_a, next_b) = (a.get(i + 1), b.get(i + 1));
        match (next_a, next_b) {
            (Some(p), Some(q)) if !p.is_empty() && !q.is_empty() => i += 1,
            (Some(_), _) => return leftover(&a[i + 1..]),
            (None, Some(_)) => return leftover(&b[i + 1..]).reverse(),
            (None, None) => return Ordering::Equal,
        }
    }
    Ordering::Equal
}

/// PHP's `version_compare` (two arguments).
fn version_compare(a: &str, b: &str) -> Ordering {
    if a.is_empty() || b.is_empty() {
        return (!a.is_empty()).cmp(&!b.is_empty());
    }
    let canonical = |v: &str| {
        if v.starts_with('#') {
            v.as_bytes().to_vec()
        } else {
            canonicalize(v.as_bytes())
        }
    };
    let (a, b) = (canonical(a), canonical(b));
    let a: Vec<&[u8]> = a.split(|&c| c == b'.').collect();
    let b: Vec<&[u8]> = b.split(|&c| c == b'.').collect();
    compare_parts(&a, &b)
}

/// Compares normalised versions; `None` when either does not normalise or both are different
/// `dev-` branches, which Composer never orders. A `dev-` branch against a numbered version
/// goes through `version_compare` as Composer's `Comparator` does, which puts it below.
pub(super) fn compare(a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (normalize(a)?, normalize(b)?);
    if a.starts_with("dev-") && b.starts_with("dev-") {
        return (a == b).then_some(Ordering::Equal);
    }
    Some(version_compare(&a, &b))
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::*;

    use super::{normalize, version_compare};
    use crate::version::{assert_ascending, assert_same, compare};

    fn cmp(a: &str, b: &str) -> Option<std::cmp::Ordering> {
        compare("Packagist", a, b)
    }

    #[test]
    fn composer_normalize_examples() {
        // From composer/semver tests/VersionParserTest.php, successfulNormalizedVersions.
        for (input, expected) in [
            ("1.0.0", "1.0.0.0"),
            ("1.2.3.4", "1.2.3.4"),
            ("1.0.0RC1dev", "1.0.0.0-RC1-dev"),
            ("1.0.0-rC15-dev", "1.0.0.0-RC15-dev"),
            ("1.0.0.RC.15-dev", "1.0.0.0-RC15-dev"),
            ("1.0.0-rc1", "1.0.0.0-RC1"),
            ("1.0.0.pl3-dev", "1.0.0.0-patch3-dev"),
            ("1.0-dev", "1.0.0.0-dev"),
            ("0", "0.0.0.0"),
            ("10.4.13-beta", "10.4.13.0-beta"),
            ("10.4.13beta2", "10.4.13.0-beta2"),
            ("10.4.13beta.2", "10.4.13.0-beta2"),
            ("v1.13.11-beta.0", "1.13.11.0-beta0"),
            ("1.13.11.0-beta0", "1.13.11.0-beta0"),
            ("10.4.13-b", "10.4.13.0-beta"),
            ("10.4.13-b5", "10.4.13.0-beta5"),
            ("v1.0.0", "1.0.0.0"),
            ("2010.01", "2010.01.0.0"),
            ("2010.01.02", "2010.01.02.0"),
            ("2010.1.555", "2010.1.555.0"),
            ("2010.10.200", "2010.10.200.0"),
            ("20230131.0.0", "20230131.0.0"),
            ("202301310000.0.0", "202301310000.0.0"),
            ("v20100102", "20100102"),
            ("20100102", "20100102"),
            ("20100102.0", "20100102.0"),
            ("20100102.1.0", "20100102.1.0"),
            ("20100102.0.3", "20100102.0.3"),
            ("2010-01-02-10-20-30.0.3", "2010.01.02.10.20.30.0.3"),
            ("2010-01-02-10-20-30.5", "2010.01.02.10.20.30.5"),
            ("2010-01-02", "2010.01.02"),
            ("2012.06.07", "2012.06.07.0"),
            ("2010-01-02.5", "2010.01.02.5"),
            ("20100102-203040", "20100102.203040"),
            ("20100102.x-dev", "20100102.9999999.9999999.9999999-dev"),
            (
                "20100102.203040.x-dev",
                "20100102.203040.9999999.9999999-dev",
            ),
            ("20100102203040-10", "20100102203040.10"),
            ("20100102-203040-p1", "20100102.203040-patch1"),
            ("201903.0", "201903.0"),
            ("201903.x-dev", "201903.9999999.9999999.9999999-dev"),
            ("201903.0-p2", "201903.0-patch2"),
            ("dev-master", "dev-master"),
            ("master", "dev-master"),
            ("dev-trunk", "dev-trunk"),
            ("1.x-dev", "1.9999999.9999999.9999999-dev"),
            ("dev-feature-foo", "dev-feature-foo"),
            ("DEV-FOOBAR", "dev-FOOBAR"),
            ("dev-feature/foo", "dev-feature/foo"),
            ("dev-feature+issue-1", "dev-feature+issue-1"),
            ("dev-master as 1.0.0", "dev-master"),
            (
                "dev-load-varnish-only-when-used as ^2.0",
                "dev-load-varnish-only-when-used",
            ),
            (
                "dev-load-varnish-only-when-used@dev as ^2.0@dev",
                "dev-load-varnish-only-when-used",
            ),
            ("1.0.0+foo@dev", "1.0.0.0"),
            (
                "dev-load-varnish-only-when-used@stable",
                "dev-load-varnish-only-when-used",
            ),
            ("1.0.0-beta.5+foo", "1.0.0.0-beta5"),
            ("1.0.0+foo", "1.0.0.0"),
            ("1.0.0-alpha.3.1+foo", "1.0.0.0-alpha3.1"),
            ("1.0.0-alpha2.1+foo", "1.0.0.0-alpha2.1"),
            ("1.0.0-alpha-2.1-3+foo", "1.0.0.0-alpha2.1-3"),
            ("1.0.0+foo as 2.0", "1.0.0.0"),
            ("00.01.03.04", "00.01.03.04"),
            ("000.001.003.004", "000.001.003.004"),
            ("0.000.103.204", "0.000.103.204"),
            ("0700", "0700.0.0.0"),
            ("041.x-dev", "041.9999999.9999999.9999999-dev"),
            ("dev-041.003", "dev-041.003"),
            ("dev-1.0.0-dev<1.0.5-dev", "dev-1.0.0-dev<1.0.5-dev"),
            ("dev-foo bar", "dev-foo bar"),
            (" 1.0.0", "1.0.0.0"),
            ("1.0.0 ", "1.0.0.0"),
        ] {
            assert_eq!(normalize(input).as_deref(), Some(expected), "{input:?}");
        }
        // successfulNormalizedBranches, through the `-dev` suffix.
        for (input, expected) in [
            ("v1.x-dev", "1.9999999.9999999.9999999-dev"),
            ("v1.*-dev", "1.9999999.9999999.9999999-dev"),
            ("v1.0.x-dev", "1.0.9999999.9999999-dev"),
            ("v1.0.3.*-dev", "1.0.3.9999999-dev"),
        ] {
            assert_eq!(normalize(input).as_deref(), Some(expected), "{input:?}");
        }
    }

    #[test]
    fn composer_rejects() {
        // VersionParserTest.php, failingNormalizedVersions.
        for bad in [
            "",
            "a",
            "1.0.0-meh",
            "1.0.0.0.0",
            "feature-foo",
            "1.0.0+foo bar",
            "1.0.1-SNAPSHOT",
            "1.0.0<1.0.5-dev",
            "1.0.0-dev<1.0.5-dev",
            "foo bar-dev",
            "1.0 .2",
            " as ",
            " as 1.2",
            "^",
            "^8 || ^",
            "~",
            "~1 ~",
            "~1",
            "^1",
            "1.*",
            "20100102.0.3.4",
        ] {
            assert_eq!(normalize(bad), None, "{bad:?}");
            assert_eq!(cmp(bad, "1.0.0"), None, "{bad:?}");
        }
    }

    #[test]
    fn comparator_examples() {
        // From composer/semver tests/ComparatorTest.php.
        for (a, b) in [
            ("1.24.0", "1.25.0"),
            ("1.25.0", "1.26.0"),
            ("dev-foo", "1.26.0"),
            ("1.0.0", "1.2-dev"),
            ("1.25.0-beta2.1", "1.25.0-b.3"),
            ("1.25.0-b2.1", "1.25.0beta.3"),
            ("1.25.0-b-2.1", "1.25.0-rc"),
        ] {
            assert_eq!(cmp(a, b), Some(Less), "{a} < {b}");
            assert_eq!(cmp(b, a), Some(Greater), "{b} > {a}");
        }
        assert_same("Packagist", "1.25.0", "1.25.0");
        assert_same("Packagist", "1.25.0-beta2.1", "1.25.0-b.2.1");
        assert_same("Packagist", "1.25.0beta2.1", "1.25.0-b2.1");
        // Two different branches are neither equal nor ordered.
        assert_eq!(cmp("dev-foo", "dev-master"), None);
        assert_eq!(cmp("dev-foo", "dev-bar"), None);
        assert_same("Packagist", "dev-foo", "dev-foo");
    }

    #[test]
    fn semver_sort_example() {
        // composer/semver tests/SemverTest.php, sortProvider.
        assert_ascending(
            "Packagist",
            &["0.1", "1.0", "2.4.0-alpha", "2.4.0", "3.2.1"],
        );
        assert_same("Packagist", "0.1", "0.1.0.0");
    }

    #[test]
    fn stability_ladder() {
        // dev < alpha < beta < RC < stable < patch, with the spellings normalize accepts.
        assert_ascending(
            "Packagist",
            &[
                "1.0.0-dev",
                "1.0.0-alpha1",
                "1.0.0-alpha2",
                "1.0.0-beta1",
                "1.0.0-RC1",
                "1.0.0-RC2",
                "1.0.0",
                "1.0.0-patch1",
                "1.0.0-pl2",
                "1.0.1-dev",
                "1.0.1",
                "1.0.x-dev",
                "1.1.0",
            ],
        );
        assert_same("Packagist", "1.0.0-beta2", "1.0.0-beta.2");
        assert_same("Packagist", "1.0.0-beta2", "1.0.0beta2");
        assert_same("Packagist", "1.0.0-beta2", "v1.0.0-b2");
        assert_same("Packagist", "1.0.0-a1", "1.0.0-ALPHA1");
        assert_same("Packagist", "1.0.0-p1", "1.0.0-patch1");
        assert_same("Packagist", "1.0.0-stable", "1.0.0");
        assert_same("Packagist", "1.0", "1.0.0.0");
        assert_same("Packagist", "1", "1.0.0");
        // A dev pre-release of a pre-release sorts below it.
        assert_eq!(cmp("1.0.0-beta1-dev", "1.0.0-beta1"), Some(Less));
    }

    #[test]
    fn php_version_compare_examples() {
        // Raw version_compare, without Composer's normalisation, as php-src
        // ext/standard/versioning.c and PHP's manual describe it: unknown words < dev < alpha =
        // a < beta = b < RC = rc < number < pl = p, and `5.2` < `5.2.0`.
        assert_eq!(version_compare("5.2", "5.2.0"), Less);
        assert_eq!(version_compare("1.0rc1", "1.0"), Less);
        assert_eq!(version_compare("1.0", "1.0.1"), Less);
        assert_eq!(version_compare("1.0pl1", "1.0"), Greater);
        assert_eq!(version_compare("1.0-dev", "1.0a1"), Less);
        assert_eq!(version_compare("1.0a1", "1.0b1"), Less);
        assert_eq!(version_compare("1.0b1", "1.0RC1"), Less);
        assert_eq!(version_compare("1.0RC1", "1.0"), Less);
        assert_eq!(version_compare("1.0", "1.0pl1"), Less);
        assert_eq!(version_compare("1.0-foo", "1.0-dev"), Less);
        assert_eq!(version_compare("1.0.0", "1.0.0"), Equal);
        assert_eq!(version_compare("", "1"), Less);
        assert_eq!(version_compare("1-2", "1_2"), Equal);
        assert_eq!(version_compare("1.0+", "1.0"), Less);
    }

    #[test]
    fn osv_zero_is_the_floor() {
        assert_eq!(cmp("0", "0.0.1"), Some(Less));
        assert_eq!(cmp("0", "0.0.0-dev"), Some(Less));
        assert_eq!(cmp("0", "dev-master"), Some(Less));
        assert_eq!(cmp("0", "0.0.0.0"), Some(Less));
        assert_eq!(cmp("0", "0"), Some(Equal));
        assert_eq!(cmp("0", "1.0.0-meh"), None);
    }
}
