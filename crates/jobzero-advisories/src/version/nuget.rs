//! NuGet's version ordering (`NuGet.Versioning`: `NuGetVersion.TryParse` and
//! `VersionComparer.Default`): up to four numbers, missing ones are zero, leading zeros allowed;
//! release labels ordered like SemVer's but case-insensitively; metadata ignored.

use std::cmp::Ordering;

/// A parsed NuGet version: its four numbers and its release labels, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Version<'a> {
    numbers: [u32; 4],
    labels: Option<Vec<&'a str>>,
}

/// Splits a trimmed version into its number part, release labels and metadata as
/// `ParseSections` does: the first `-` or `+` ends the numbers, the next `+` ends the labels.
/// A version ending with its separator is rejected, as NuGet keeps the separator in the
/// preceding part then.
fn sections(v: &str) -> Option<(&str, Option<&str>, Option<&str>)> {
    let Some(i) = v.find(['-', '+']) else {
        return Some((v, None, None));
    };
    let (numbers, rest) = (&v[..i], &v[i + 1..]);
    if rest.is_empty() {
        return None;
    }
    if v[i..].starts_with('+') {
        return Some((numbers, None, Some(rest)));
    }
    match rest.split_once('+') {
        None => Some((numbers, Some(rest), None)),
        Some((_, "")) => None,
        Some((labels, metadata)) => Some((numbers, Some(labels), Some(metadata))),
    }
}

/// One to four `.`-separated numbers, each a non-negative `int` with optional surrounding
/// white space (what `System.Version` accepts).
fn numbers(v: &str) -> Option<[u32; 4]> {
    let mut out = [0u32; 4];
    let mut parts = v.split('.');
    for slot in &mut out {
        let Some(part) = parts.next() else { break };
        let part = part.trim();
        if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        *slot = part
            .parse::<u32>()
            .ok()
            .filter(|&n| i32::try_from(n).is_ok())?;
    }
    parts.next().is_none().then_some(out)
}

/// `IsValidPart`: a non-empty run of ASCII letters, digits and hyphens; a numeric label of two
/// or more digits may not start with `0` unless `allow_leading_zeros` (metadata).
fn is_valid_part(s: &str, allow_leading_zeros: bool) -> bool {
    if s.is_empty() {
        return false;
    }
    if !allow_leading_zeros
        && s.len() > 1
        && s.starts_with('0')
        && s.bytes().all(|c| c.is_ascii_digit())
    {
        return false;
    }
    s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

fn parse(v: &str) -> Option<Version<'_>> {
    let (number_part, labels, metadata) = sections(v.trim())?;
    let numbers = numbers(number_part)?;
    let labels = match labels {
        Some(l) => {
            let l: Vec<&str> = l.split('.').collect();
            if !l.iter().all(|p| is_valid_part(p, false)) {
                return None;
            }
            Some(l)
        }
        None => None,
    };
    if metadata.is_some_and(|m| !m.split('.').all(|p| is_valid_part(p, true))) {
        return None;
    }
    Some(Version { numbers, labels })
}

/// `CompareRelease`: labels that parse as an `int` compare as numbers and sort first, the
/// others compare ordinally ignoring case.
fn compare_label(a: &str, b: &str) -> Ordering {
    match (a.parse::<i32>(), b.parse::<i32>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a
            .bytes()
            .map(|c| c.to_ascii_uppercase())
            .cmp(b.bytes().map(|c| c.to_ascii_uppercase())),
    }
}

/// `VersionComparer.Default`; `None` when either is not a NuGet version.
pub(super) fn compare(a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (parse(a)?, parse(b)?);
    let ord = a
        .numbers
        .cmp(&b.numbers)
        .then_with(|| match (&a.labels, &b.labels) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => {
                for (p, q) in x.iter().zip(y) {
                    let ord = compare_label(p, q);
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
                x.len().cmp(&y.len())
            }
        });
    Some(ord)
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::*;

    use crate::version::{assert_ascending, assert_same, compare};

    fn cmp(a: &str, b: &str) -> Option<std::cmp::Ordering> {
        compare("NuGet", a, b)
    }

    #[test]
    fn documented_prerelease_order() {
        // learn.microsoft.com/nuget/concepts/package-versioning, "Pre-release versions"
        // (listed there newest first): alpha10 sorts below alpha2, rc.10 above rc.2.
        assert_ascending(
            "NuGet",
            &[
                "1.0.1-aaa",
                "1.0.1-alpha10",
                "1.0.1-alpha2",
                "1.0.1-beta",
                "1.0.1-open",
                "1.0.1-rc.2",
                "1.0.1-rc.10",
                "1.0.1-zzz",
                "1.0.1",
            ],
        );
    }

    #[test]
    fn version_comparer_tests() {
        // From NuGet.Client VersionComparerTests.cs (VersionComparer.Default).
        for (a, b) in [
            ("1.0.0", "1.0.0"),
            ("1.0.0-BETA", "1.0.0-beta"),
            ("1.0.0-BETA+AA", "1.0.0-beta+aa"),
            ("1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.77.0+aa"),
        ] {
            assert_same("NuGet", a, b);
        }
        for (a, b) in [
            ("0.0.0", "1.0.0"),
            ("1.0.0", "1.1.0"),
            ("1.0.0", "1.0.1"),
            ("1.999.9999", "2.1.1"),
            ("1.0.0-BETA", "1.0.0-beta2"),
            ("1.0.0-beta+AA", "1.0.0+aa"),
            ("1.0.0-BETA", "1.0.0-beta.1+AA"),
            ("1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.79.0+aa"),
            ("1.0.0-BETA.X.y.5.79.0+AA", "1.0.0-beta.x.y.5.790.0+abc"),
        ] {
            assert_eq!(cmp(a, b), Some(Less), "{a} < {b}");
            assert_eq!(cmp(b, a), Some(Greater), "{b} > {a}");
        }
    }

    #[test]
    fn nuget_version_tests() {
        // From NuGet.Client NuGetVersionTest.cs, SemVerLessThanAndGreaterThanOperatorsWorks.
        for (a, b) in [
            ("1.0", "1.0.1"),
            ("1.23", "1.231"),
            ("1.4.5.6", "1.45.6"),
            ("1.4.5.6", "1.4.5.60"),
            ("1.01", "1.10"),
            ("1.01-alpha", "1.10-beta"),
            ("1.01.0-RC-1", "1.10.0-rc-2"),
            ("1.01-RC-1", "1.01"),
            ("1.01", "1.2-preview"),
        ] {
            assert_eq!(cmp(a, b), Some(Less), "{a} < {b}");
            assert_eq!(cmp(b, a), Some(Greater), "{b} > {a}");
        }
        // SemVerEqualsOperatorWorks, VersionParsingTests.VersionLength and
        // TryParseHandlesValidVersionPatterns.
        for (a, b) in [
            ("1.0", "1.0.0.0"),
            ("1.23.01", "1.23.1"),
            ("1.45.6", "1.45.6.0"),
            ("1.45.6-Alpha", "1.45.6-Alpha"),
            ("1.6.2-BeTa", "1.6.02-beta"),
            ("22.3.07     ", "22.3.07"),
            ("1.0", "1.0.0.0+beta"),
            ("1.0.0.0+beta.2", "1.0.0.0+beta.1"),
            ("2", "2.0.0"),
            ("2.0", "2.0.0.0"),
            ("1.022", "1.22.0.0"),
            ("  1.022-Beta", "1.22.0.0-Beta"),
            ("   19   .   19   ", "19.19"),
            ("01.1.1.1", "1.1.1.1"),
        ] {
            assert_same("NuGet", a, b);
        }
        // The revision counts: 1.3.42.10133 is a legacy four-part version.
        assert_ascending(
            "NuGet",
            &["1.3.42", "1.3.42.10133-PreRelease", "1.3.42.10133"],
        );
    }

    #[test]
    fn invalid_versions_do_not_compare() {
        // From NuGetVersionTest.cs, ParseThrowsIfStringIsNotAValidSemVer.
        for bad in [
            "",
            "         ",
            "1beta",
            "1.2Av^c",
            "1.2..",
            "1.2.3.4.5",
            "1.2.3.Beta",
            "1.2.3.4This version is full of awesomeness!!",
            "So.is.this",
            "1.34.2Alpha",
            "1.34.2Release Candidate",
            "1.4.7-",
            "1.4.7-*",
            "1.4.7+*",
            "1.4.7-AA.01^",
            "1.4.7-AA.0A^",
            "1.4.7-A^A",
            "1.4.7+AA.01^",
            "1.2147483648",
            "10000000000000000000",
            "1..2",
            "-1.1.1.1",
            "1.",
            "1.1.1.1.",
            "1     1.1.1.1",
            "1.2.3.2147483648",
            "1.4.7-beta.01",
            "v1.0.0",
        ] {
            assert_eq!(cmp(bad, "1.0.0"), None, "{bad:?}");
        }
        assert_eq!(cmp("2147483647.1.1.1", "1.0"), Some(Greater));
    }

    #[test]
    fn numeric_labels_sort_before_words() {
        // CompareRelease: an `int` label is below any other label, even `-1` is a number.
        assert_ascending("NuGet", &["1.0.0-0", "1.0.0-2", "1.0.0-10", "1.0.0-a"]);
        assert_eq!(cmp("1.0.0--1", "1.0.0-0"), Some(Less));
        // Too large for an `int`: compared as text, so above every number.
        assert_eq!(cmp("1.0.0-99999999999", "1.0.0-5"), Some(Greater));
    }

    #[test]
    fn osv_zero_is_the_floor() {
        assert_eq!(cmp("0", "0.0.1"), Some(Less));
        assert_eq!(cmp("0", "0.0.0-alpha"), Some(Less));
        assert_eq!(cmp("0", "0.0.0.0"), Some(Less));
        assert_eq!(cmp("0", "0"), Some(Equal));
        assert_eq!(cmp("0", "junk"), None);
    }
}
