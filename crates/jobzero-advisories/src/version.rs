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
    fn generic_examples() {
        assert_eq!(generic_cmp("2.14.1", "2.15.0"), Less);
        assert_eq!(generic_cmp("1.0", "1.0-rc1"), Greater);
        assert_eq!(generic_cmp("1.10", "1.9"), Greater);
        assert_eq!(generic_cmp("v1.2", "1.2"), Equal);
    }
}
