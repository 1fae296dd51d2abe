//! Version ordering per ecosystem: SemVer for crates.io and npm, PEP 440 for PyPI, SemVer
//! with a `v` prefix for Go (pseudo-versions are pre-releases, `+incompatible` is build
//! metadata), Maven's `ComparableVersion`, RubyGems' `Gem::Version`, NuGet's `NuGetVersion`,
//! Composer's normalisation and `version_compare` for Packagist, Elixir's `Version` for Hex,
//! `pub_semver` for Pub, and a segment-wise comparison for the others.

mod dart_pub;
mod hex;
mod nuget;
mod packagist;
mod rubygems;

use std::cmp::Ordering;
use std::str::FromStr;

/// Compares two versions of `ecosystem`; `None` when either does not parse, or when the
/// ecosystem does not order them (two different Composer `dev-` branches).
///
/// The OSV sentinel `0` (`introduced: "0"`) is accepted by every ecosystem routed below it
/// and sorts strictly below each of their versions.
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
        "RubyGems" => with_zero_floor(a, b, rubygems::compare),
        "NuGet" => with_zero_floor(a, b, nuget::compare),
        "Packagist" => with_zero_floor(a, b, packagist::compare),
        "Hex" => with_zero_floor(a, b, hex::compare),
        "Pub" => with_zero_floor(a, b, dart_pub::compare),
        _ => Some(generic_cmp(a, b)),
    }
}

/// Applies OSV's `0` sentinel on top of an ecosystem ordering. `0` there is not a version
/// but "before the first release", so it sorts strictly below every version of the ecosystem
/// (`0.0.0` and pre-releases of zero included) and equals only itself; the other side must
/// still be a version. A bottom element keeps the order total, which sorting relies on.
fn with_zero_floor(a: &str, b: &str, cmp: fn(&str, &str) -> Option<Ordering>) -> Option<Ordering> {
    match (a == "0", b == "0") {
        (true, true) => Some(Ordering::Equal),
        (true, false) => cmp(b, b).map(|_| Ordering::Less),
        (false, true) => cmp(a, a).map(|_| Ordering::Greater),
        (false, false) => cmp(a, b),
    }
}

/// Compares two runs of ASCII digits by value, so that numbers of any size (Ruby, Elixir and
/// PHP have no fixed-width limit here) and leading zeros compare as the ecosystems do.
fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    let strip = |s: &[u8]| -> usize { s.iter().take_while(|&&c| c == b'0').count() };
    let (a, b) = (&a[strip(a)..], &b[strip(b)..]);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The length of the run of ASCII digits at the start of `s`.
fn digit_run(s: &[u8]) -> usize {
    s.iter().take_while(|c| c.is_ascii_digit()).count()
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
/// pre-releases (`1.0` > `1.0-rc1`). The fallback for ecosystems without a dedicated ordering.
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

/// Asserts that `chain` is strictly ascending in `ecosystem`, every pair both ways.
#[cfg(test)]
fn assert_ascending(ecosystem: &str, chain: &[&str]) {
    for (i, a) in chain.iter().enumerate() {
        for (j, b) in chain.iter().enumerate() {
            assert_eq!(
                compare(ecosystem, a, b),
                Some(i.cmp(&j)),
                "{ecosystem}: {a} vs {b}"
            );
        }
    }
}

/// Asserts that `a` and `b` are the same version of `ecosystem`, both ways.
#[cfg(test)]
fn assert_same(ecosystem: &str, a: &str, b: &str) {
    assert_eq!(
        compare(ecosystem, a, b),
        Some(Ordering::Equal),
        "{ecosystem}: {a} = {b}"
    );
    assert_eq!(
        compare(ecosystem, b, a),
        Some(Ordering::Equal),
        "{ecosystem}: {b} = {a}"
    );
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

    /// The ecosystems with a dedicated parser of their own here.
    const PARSED: [&str; 5] = ["RubyGems", "NuGet", "Packagist", "Hex", "Pub"];

    #[test]
    fn osv_zero_parses_everywhere_and_sorts_first() {
        for eco in PARSED {
            assert_eq!(compare(eco, "0", "0"), Some(Equal), "{eco}");
            for v in ["0.0.0", "0.0.1", "1.0.0", "2.3.4"] {
                assert_eq!(compare(eco, "0", v), Some(Less), "{eco}: 0 < {v}");
                assert_eq!(compare(eco, v, "0"), Some(Greater), "{eco}: {v} > 0");
            }
        }
        // The ecosystems without a dedicated ordering keep the generic one.
        assert_eq!(compare("Debian", "0", "0.0"), Some(generic_cmp("0", "0.0")));
    }

    #[test]
    fn cmp_digits_reads_values() {
        assert_eq!(cmp_digits(b"10", b"9"), Greater);
        assert_eq!(cmp_digits(b"007", b"7"), Equal);
        assert_eq!(cmp_digits(b"0", b"000"), Equal);
        assert_eq!(
            cmp_digits(b"18446744073709551616", b"18446744073709551615"),
            Greater
        );
    }

    /// Every string of up to `len` characters over `alphabet`.
    fn strings(alphabet: &[&str], len: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..len {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn odd_inputs_neither_panic_nor_contradict() {
        let alphabet = [
            "0", "1", "9", ".", "-", "+", "_", "a", "p", "v", "x", " ", "é",
        ];
        let inputs = strings(&alphabet, 4);
        let probes = [
            "0",
            "1",
            "1.0",
            "1.0.0",
            "1.0.0-a",
            "1.0.x-dev",
            "dev-x",
            "",
            "é",
        ];
        for eco in PARSED {
            for a in &inputs {
                for b in probes {
                    let ab = compare(eco, a, b);
                    assert_eq!(
                        ab,
                        compare(eco, b, a).map(Ordering::reverse),
                        "{eco}: {a:?} {b:?}"
                    );
                }
                if let Some(ord) = compare(eco, a, a) {
                    assert_eq!(ord, Equal, "{eco}: {a:?}");
                }
            }
        }
    }

    #[test]
    fn orders_are_transitive() {
        let versions = [
            "0",
            "0.0.0",
            "0.0.0-0",
            "0.0.0-dev",
            "0.1",
            "0.1.0",
            "1",
            "1.0",
            "1.0.0",
            "1.0.0.0",
            "1.0.0-0",
            "1.0.0-1",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-ALPHA",
            "1.0.0-b2",
            "1.0.0-beta.2",
            "1.0.0-beta2",
            "1.0.0-rc.1",
            "1.0.0-RC1",
            "1.0.0-dev",
            "1.0.0-p1",
            "1.0.0+1",
            "1.0.0+build",
            "1.0.0-rc.1+build.1",
            "1.0.0.1",
            "1.0.a",
            "1.0.a10",
            "1.0.b",
            "1.0.x-dev",
            "1.0-dev",
            "2.0.0",
            "10.0.0",
            "dev-master",
            "dev-foo",
            "1.0.0-pre",
            "1.0.0.pre.1",
            "01.0.0",
        ];
        for eco in PARSED {
            for a in versions {
                for b in versions {
                    let Some(ab) = compare(eco, a, b) else {
                        continue;
                    };
                    for c in versions {
                        let Some(bc) = compare(eco, b, c) else {
                            continue;
                        };
                        let Some(ac) = compare(eco, a, c) else {
                            continue;
                        };
                        if ab != Greater && bc != Greater {
                            assert_ne!(ac, Greater, "{eco}: {a} <= {b} <= {c}");
                        }
                        if ab == Equal && bc == Equal {
                            assert_eq!(ac, Equal, "{eco}: {a} = {b} = {c}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn generic_examples() {
        assert_eq!(generic_cmp("2.14.1", "2.15.0"), Less);
        assert_eq!(generic_cmp("1.0", "1.0-rc1"), Greater);
        assert_eq!(generic_cmp("1.10", "1.9"), Greater);
        assert_eq!(generic_cmp("v1.2", "1.2"), Equal);
    }
}
