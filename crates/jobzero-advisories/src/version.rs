//! Version ordering per ecosystem: SemVer for crates.io and npm, PEP 440 for PyPI, SemVer
//! with a `v` prefix for Go (pseudo-versions are pre-releases, `+incompatible` is build
//! metadata), and a segment-wise comparison for the others.

use std::cmp::Ordering;
use std::str::FromStr;

/// Compares two versions of `ecosystem`; `None` when either does not parse.
pub fn compare(ecosystem: &str, a: &str, b: &str) -> Option<Ordering> {
    match ecosystem {
        "crates.io" | "npm" => semver_cmp(a, b),
        "Go" => semver_cmp(a.trim_start_matches('v'), b.trim_start_matches('v')),
        "Maven" => Some(maven_cmp(a, b)),
        "PyPI" => {
            let a = pep440_rs::Version::from_str(a).ok()?;
            let b = pep440_rs::Version::from_str(b).ok()?;
            Some(a.cmp(&b))
        }
        _ => Some(generic_cmp(a, b)),
    }
}

fn semver_cmp(a: &str, b: &str) -> Option<Ordering> {
    let a = semver::Version::parse(a).ok()?;
    let b = semver::Version::parse(b).ok()?;
    // SemVer precedence ignores build metadata.
    Some(a.cmp_precedence(&b))
}

/// A token of a Maven version: a number, or a qualifier with its rank.
#[derive(Debug, Clone, PartialEq, Eq)]
enum MavenItem {
    Number(u64),
    Qualifier(u8, String),
}

/// Maven's qualifier ranks (`ComparableVersion`): alpha < beta < milestone < rc = cr <
/// snapshot < release (`""`, `ga`, `final`, `release`) < sp < any other word.
fn qualifier_rank(q: &str) -> u8 {
    match q {
        "alpha" | "a" => 0,
        "beta" | "b" => 1,
        "milestone" | "m" => 2,
        "rc" | "cr" => 3,
        "snapshot" => 4,
        "" | "ga" | "final" | "release" => 5,
        "sp" => 6,
        _ => 7,
    }
}

const MAVEN_RELEASE: u8 = 5;

fn maven_items(v: &str) -> Vec<MavenItem> {
    let v = v.to_ascii_lowercase();
    let mut items = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, items: &mut Vec<MavenItem>| {
        if cur.is_empty() {
            return;
        }
        let item = match cur.parse::<u64>() {
            Ok(n) => MavenItem::Number(n),
            Err(_) => {
                // Aliases compare equal: only unknown words keep their text.
                let rank = qualifier_rank(cur);
                let text = if rank == 7 {
                    cur.clone()
                } else {
                    String::new()
                };
                MavenItem::Qualifier(rank, text)
            }
        };
        items.push(item);
        cur.clear();
    };
    let mut last_digit: Option<bool> = None;
    for c in v.chars() {
        if c == '.' || c == '-' || c == '_' {
            flush(&mut cur, &mut items);
            last_digit = None;
            continue;
        }
        let digit = c.is_ascii_digit();
        if last_digit.is_some_and(|d| d != digit) {
            flush(&mut cur, &mut items);
        }
        last_digit = Some(digit);
        cur.push(c);
    }
    flush(&mut cur, &mut items);
    // Trailing "null" items do not count: 1.0 = 1 = 1.0.0 = 1-ga = 5.3.18.RELEASE vs 5.3.18.
    while matches!(
        items.last(),
        Some(MavenItem::Number(0)) | Some(MavenItem::Qualifier(MAVEN_RELEASE, _))
    ) {
        items.pop();
    }
    items
}

/// Maven's version order (`ComparableVersion`), flattened: numbers numerically, qualifiers by
/// rank, a number above any qualifier, a missing item equal to `0` or to a release.
pub fn maven_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (maven_items(a), maven_items(b));
    let null = |other: &MavenItem| match other {
        MavenItem::Number(_) => MavenItem::Number(0),
        MavenItem::Qualifier(..) => MavenItem::Qualifier(MAVEN_RELEASE, String::new()),
    };
    for i in 0..a.len().max(b.len()) {
        let (x, y) = match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => (x.clone(), y.clone()),
            (Some(x), None) => (x.clone(), null(x)),
            (None, Some(y)) => (null(y), y.clone()),
            (None, None) => break,
        };
        let ord = match (&x, &y) {
            (MavenItem::Number(p), MavenItem::Number(q)) => p.cmp(q),
            (MavenItem::Number(_), MavenItem::Qualifier(..)) => Ordering::Greater,
            (MavenItem::Qualifier(..), MavenItem::Number(_)) => Ordering::Less,
            (MavenItem::Qualifier(r, p), MavenItem::Qualifier(s, q)) => {
                r.cmp(s).then_with(|| p.cmp(q))
            }
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// Segment-wise comparison: numbers numerically, text lexically, a release above its
/// pre-releases (`1.0` > `1.0-rc1`). Good enough for Maven, RubyGems, NuGet, Packagist, Hex
/// and Pub ordering in the common cases.
pub fn generic_cmp(a: &str, b: &str) -> Ordering {
    fn segments(v: &str) -> Vec<Result<u64, String>> {
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut digits = None;
        for c in v.trim_start_matches(['v', 'V']).chars() {
            let is_digit = c.is_ascii_digit();
            if c == '.' || c == '-' || c == '_' || c == '+' || digits.is_some_and(|d| d != is_digit)
            {
                if !cur.is_empty() {
                    out.push(cur.parse::<u64>().map_err(|_| cur.to_ascii_lowercase()));
                    cur.clear();
                }
                digits = None;
                if matches!(c, '.' | '-' | '_' | '+') {
                    continue;
                }
            }
            digits = Some(is_digit);
            cur.push(c);
        }
        if !cur.is_empty() {
            out.push(cur.parse::<u64>().map_err(|_| cur.to_ascii_lowercase()));
        }
        out
    }
    let (a, b) = (segments(a), segments(b));
    for i in 0..a.len().max(b.len()) {
        let ord = match (a.get(i), b.get(i)) {
            (Some(Ok(x)), Some(Ok(y))) => x.cmp(y),
            (Some(Err(x)), Some(Err(y))) => x.cmp(y),
            (Some(Ok(_)), Some(Err(_))) => Ordering::Greater,
            (Some(Err(_)), Some(Ok(_))) => Ordering::Less,
            // `1.0` vs `1.0.1`: more numbers is newer; `1.0` vs `1.0-rc1`: text is a pre-release.
            (None, Some(Ok(_))) => Ordering::Less,
            (Some(Ok(_)), None) => Ordering::Greater,
            (None, Some(Err(_))) => Ordering::Greater,
            (Some(Err(_)), None) => Ordering::Less,
            (None, None) => Ordering::Equal,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn semver_precedence_examples() {
        // SemVer 2.0.0 §11.
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ];
        for w in chain.windows(2) {
            assert_eq!(
                compare("npm", w[0], w[1]),
                Some(Less),
                "{} < {}",
                w[0],
                w[1]
            );
        }
        assert_eq!(compare("crates.io", "1.0.0+build", "1.0.0"), Some(Equal));
        assert_eq!(
            compare("Go", "v0.0.0-20210101000000-abcdef123456", "v0.0.1"),
            Some(Less)
        );
        assert_eq!(compare("Go", "v2.0.0+incompatible", "v2.0.0"), Some(Equal));
    }

    #[test]
    fn pep440_examples() {
        let chain = [
            "1.0.dev0",
            "1.0a1",
            "1.0b2",
            "1.0rc1",
            "1.0",
            "1.0.post1",
            "1.1",
        ];
        for w in chain.windows(2) {
            assert_eq!(
                compare("PyPI", w[0], w[1]),
                Some(Less),
                "{} < {}",
                w[0],
                w[1]
            );
        }
        assert_eq!(compare("PyPI", "1.0", "1.0.0"), Some(Equal));
    }

    #[test]
    fn maven_examples() {
        // Qualifier order from Maven's ComparableVersion documentation.
        let chain = [
            "1-alpha-1",
            "1-beta-2",
            "1-milestone-1",
            "1-rc-1",
            "1-SNAPSHOT",
            "1",
            "1-sp-1",
            "1-abc",
        ];
        for w in chain.windows(2) {
            assert_eq!(maven_cmp(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
        }
        for (a, b) in [
            ("1.0", "1"),
            ("1.0.0", "1"),
            ("1-ga", "1"),
            ("1-final", "1"),
            ("5.3.18.RELEASE", "5.3.18"),
            ("1-cr1", "1-rc1"),
            ("1.0-alpha1", "1.0-a1"),
        ] {
            assert_eq!(maven_cmp(a, b), Equal, "{a} = {b}");
        }
        assert_eq!(maven_cmp("2.14.1", "2.15.0"), Less);
        assert_eq!(maven_cmp("2.12.2", "2.12.1"), Greater);
        assert_eq!(maven_cmp("1-1", "1"), Greater);
        assert_eq!(maven_cmp("1.10", "1.9"), Greater);
        assert_eq!(compare("Maven", "1.0-SNAPSHOT", "1.0"), Some(Less));
    }

    #[test]
    fn generic_examples() {
        assert_eq!(generic_cmp("2.14.1", "2.15.0"), Less);
        assert_eq!(generic_cmp("1.0", "1.0-rc1"), Greater);
        assert_eq!(generic_cmp("1.10", "1.9"), Greater);
        assert_eq!(generic_cmp("v1.2", "1.2"), Equal);
    }
}
