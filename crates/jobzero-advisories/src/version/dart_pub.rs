//! Pub's version ordering: `pub_semver`'s `Version.parse` and `Version.compareTo`. SemVer
//! shaped, but leading zeros are allowed and build metadata counts: a version with a build
//! sorts after the same version without one, and builds compare like pre-releases.

use std::cmp::Ordering;

/// One `.`-separated identifier of a pre-release or build: what Dart's `int.tryParse`
/// accepts is a number, anything else is text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part<'a> {
    Int(i64),
    Text(&'a str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Version<'a> {
    core: [i64; 3],
    pre: Vec<Part<'a>>,
    build: Vec<Part<'a>>,
}

/// Dart's `int.tryParse` without a radix on a 64-bit VM: an optional sign, then decimal
/// digits that fit an `int`, or `0x` and hexadecimal digits read as an unsigned 64-bit value.
fn dart_int(s: &str) -> Option<i64> {
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let hex = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X"));
    if let Some(hex) = hex {
        if hex.is_empty() || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        // Values past 2^63 wrap to negative `int`s, as Dart documents.
        let value = u64::from_str_radix(hex, 16).ok()? as i64;
        return Some(if negative {
            value.wrapping_neg()
        } else {
            value
        });
    }
    if body.is_empty() || !body.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let value = body.parse::<i128>().ok()?;
    i64::try_from(if negative { -value } else { value }).ok()
}

/// The identifiers of a pre-release or build, or `None` when one is empty or holds a
/// character outside `[0-9A-Za-z-]`.
fn parts(s: &str) -> Option<Vec<Part<'_>>> {
    s.split('.')
        .map(|p| {
            let valid = !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
            valid.then(|| dart_int(p).map_or(Part::Text(p), Part::Int))
        })
        .collect()
}

fn parse(v: &str) -> Option<Version<'_>> {
    let (main, build) = match v.split_once('+') {
        Some((m, b)) => (m, parts(b)?),
        None => (v, Vec::new()),
    };
    let (core, pre) = match main.split_once('-') {
        Some((c, p)) => (c, parts(p)?),
        None => (main, Vec::new()),
    };
    let mut numbers = core.split('.').map(|n| {
        // `\d+` then `int.parse`, which fails past the 64-bit range.
        if n.is_empty() || !n.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        n.parse::<i64>().ok()
    });
    let mut next = || numbers.next().flatten();
    let core = [next()?, next()?, next()?];
    if numbers.next().is_some() {
        return None;
    }
    Some(Version { core, pre, build })
}

/// `_compareLists`: a missing part sorts first, numbers before text.
fn compare_lists(a: &[Part<'_>], b: &[Part<'_>]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let ord = match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) if x == y => continue,
            (None, _) => Ordering::Less,
            (_, None) => Ordering::Greater,
            (Some(Part::Int(x)), Some(Part::Int(y))) => x.cmp(y),
            (Some(Part::Int(_)), Some(Part::Text(_))) => Ordering::Less,
            (Some(Part::Text(_)), Some(Part::Int(_))) => Ordering::Greater,
            (Some(Part::Text(x)), Some(Part::Text(y))) => x.cmp(y),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// `Version.compareTo`; `None` when either is not a version.
pub(super) fn compare(a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (parse(a)?, parse(b)?);
    let pre = match (a.pre.is_empty(), b.pre.is_empty()) {
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => compare_lists(&a.pre, &b.pre),
    };
    let build = match (a.build.is_empty(), b.build.is_empty()) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => compare_lists(&a.build, &b.build),
    };
    Some(a.core.cmp(&b.core).then(pre).then(build))
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::*;

    use crate::version::{assert_ascending, assert_same, compare};

    fn cmp(a: &str, b: &str) -> Option<std::cmp::Ordering> {
        compare("Pub", a, b)
    }

    #[test]
    fn pub_semver_comparison_chain() {
        // From dart-lang/pub_semver test/version_test.dart, group "comparison".
        assert_ascending(
            "Pub",
            &[
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0-rc.1+build.1",
                "1.0.0",
                "1.0.0+0.3.7",
                "1.3.7+build",
                "1.3.7+build.2.b8f12d7",
                "1.3.7+build.11.e0f985a",
                "2.0.0",
                "2.1.0",
                "2.2.0",
                "2.11.0",
                "2.11.1",
            ],
        );
        // The sorted list of test "prioritize()", with its pre-releases taken out (compareTo
        // orders 2.0.0-alpha above 1.1.0; only prioritize puts pre-releases first).
        assert_ascending(
            "Pub",
            &[
                "1.0.0",
                "1.0.0+build",
                "1.0.1",
                "1.1.0",
                "2.0.0-alpha",
                "2.0.0",
            ],
        );
    }

    #[test]
    fn leading_zeros_are_the_same_version() {
        // version_test.dart, "equality".
        assert_same("Pub", "01.2.3", "1.2.3");
        assert_same("Pub", "1.02.3", "1.2.3");
        assert_same("Pub", "1.2.03", "1.2.3");
        assert_same("Pub", "1.2.3-01", "1.2.3-1");
        assert_same("Pub", "1.2.3+01", "1.2.3+1");
        // The canonicalizedVersion example of lib/src/version.dart.
        assert_same("Pub", "01.02.03-01.dev+pre.02", "1.2.3-1.dev+pre.2");
    }

    #[test]
    fn build_metadata_counts() {
        assert_eq!(cmp("1.0.0", "1.0.0+1"), Some(Less));
        assert_eq!(cmp("1.0.0+1", "1.0.0+2"), Some(Less));
        assert_eq!(cmp("1.0.0+2", "1.0.0+a"), Some(Less));
        assert_eq!(cmp("1.0.0-rc+9", "1.0.0"), Some(Less));
        // Dart's int.tryParse reads a hexadecimal literal.
        assert_same("Pub", "1.0.0-0x10", "1.0.0-16");
    }

    #[test]
    fn invalid_versions_do_not_compare() {
        // version_test.dart, "parse()".
        for bad in [
            "1.0",
            "1.2.3.4",
            "1234",
            "-2.3.4",
            "1.3-pre",
            "1.3+build",
            "1.3+bu?!3ild",
            "1.0.0-",
            "1.0.0-a..b",
            "v1.0.0",
            "99999999999999999999.0.0",
        ] {
            assert_eq!(cmp(bad, "1.0.0"), None, "{bad:?}");
        }
        // Parsed by the same tests.
        assert_eq!(cmp("1.2.3-x.7.z-92", "1.2.3"), Some(Less));
        assert_eq!(cmp("1.0.0-rc-1+build-1", "1.0.0-rc-1"), Some(Greater));
    }

    #[test]
    fn osv_zero_is_the_floor() {
        assert_eq!(cmp("0", "0.0.1"), Some(Less));
        assert_eq!(cmp("0", "0.0.0-dev"), Some(Less));
        assert_eq!(cmp("0", "0.0.0"), Some(Less));
        assert_eq!(cmp("0.0.0+1", "0"), Some(Greater));
        assert_eq!(cmp("0", "0"), Some(Equal));
        assert_eq!(cmp("0", "1.0"), None);
    }
}
