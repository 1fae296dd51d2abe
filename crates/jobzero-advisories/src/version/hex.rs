//! Hex's version ordering: Elixir's `Version.parse/1` and `Version.compare/2`, strict SemVer
//! 2.0.0 (three numbers without leading zeros, build metadata ignored).

use std::cmp::Ordering;

use super::cmp_digits;

/// A pre-release identifier: numeric ones sort below words, as Erlang orders integers below
/// binaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ident<'a> {
    Number(&'a str),
    Text(&'a str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Version<'a> {
    core: [&'a str; 3],
    pre: Vec<Ident<'a>>,
}

fn has_leading_zero(s: &str) -> bool {
    s.len() > 1 && s.starts_with('0')
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

fn parse(v: &str) -> Option<Version<'_>> {
    let (main, build) = match v.split_once('+') {
        Some((m, b)) => (m, Some(b)),
        None => (v, None),
    };
    let (core, pre) = match main.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (main, None),
    };
    let mut numbers = core.split('.');
    let mut next = || {
        numbers
            .next()
            .filter(|n| is_number(n) && !has_leading_zero(n))
    };
    let core = [next()?, next()?, next()?];
    if numbers.next().is_some() {
        return None;
    }
    let pre = match pre {
        None => Vec::new(),
        Some(p) => p
            .split('.')
            .map(|id| match id {
                _ if !is_identifier(id) => None,
                _ if is_number(id) => (!has_leading_zero(id)).then_some(Ident::Number(id)),
                _ => Some(Ident::Text(id)),
            })
            .collect::<Option<Vec<_>>>()?,
    };
    if build.is_some_and(|b| !b.split('.').all(is_identifier)) {
        return None;
    }
    Some(Version { core, pre })
}

/// Elixir's `Version.compare/2`; `None` when either is not a version.
pub(super) fn compare(a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (parse(a)?, parse(b)?);
    for (x, y) in a.core.iter().zip(&b.core) {
        let ord = cmp_digits(x.as_bytes(), y.as_bytes());
        if ord != Ordering::Equal {
            return Some(ord);
        }
    }
    let ord = match (a.pre.is_empty(), b.pre.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => {
            let mut ord = a.pre.len().cmp(&b.pre.len());
            for (x, y) in a.pre.iter().zip(&b.pre) {
                let o = match (x, y) {
                    (Ident::Number(p), Ident::Number(q)) => cmp_digits(p.as_bytes(), q.as_bytes()),
                    (Ident::Number(_), Ident::Text(_)) => Ordering::Less,
                    (Ident::Text(_), Ident::Number(_)) => Ordering::Greater,
                    (Ident::Text(p), Ident::Text(q)) => p.cmp(q),
                };
                if o != Ordering::Equal {
                    ord = o;
                    break;
                }
            }
            ord
        }
    };
    Some(ord)
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::*;

    use crate::version::{assert_ascending, assert_same, compare};

    fn cmp(a: &str, b: &str) -> Option<std::cmp::Ordering> {
        compare("Hex", a, b)
    }

    #[test]
    fn elixir_version_compare_tests() {
        // From elixir lib/elixir/test/elixir/version_test.exs, "compare".
        for (a, b) in [
            ("1.0.1", "1.0.0"),
            ("1.1.0", "1.0.1"),
            ("2.1.1", "1.2.2"),
            ("1.0.0", "1.0.0-dev"),
            ("1.2.3-dev", "0.1.2"),
            ("1.0.0-a.b", "1.0.0-a"),
            ("1.0.0-b", "1.0.0-a.b"),
            ("1.0.0-a", "1.0.0-0"),
            ("1.0.0-a.b", "1.0.0-a.a"),
        ] {
            assert_eq!(cmp(a, b), Some(Greater), "{a} > {b}");
            assert_eq!(cmp(b, a), Some(Less), "{b} < {a}");
        }
        for v in ["1.0.0", "1.0.0-dev", "1.0.0-a"] {
            assert_same("Hex", v, v);
        }
        // The examples of Version.compare/2's documentation.
        assert_eq!(cmp("2.0.1-alpha1", "2.0.0"), Some(Greater));
        assert_eq!(cmp("1.0.0-beta", "1.0.0-rc1"), Some(Less));
        assert_eq!(cmp("1.0.0-10", "1.0.0-2"), Some(Greater));
        assert_same("Hex", "2.0.1+build0", "2.0.1");
        // version_test.exs, ">" and "<".
        assert_eq!(cmp("1.2.3-alpha.1", "1.2.3-alpha"), Some(Greater));
        assert_eq!(
            cmp("1.2.3-alpha.beta.sigma", "1.2.3-alpha.beta"),
            Some(Greater)
        );
        assert_eq!(cmp("1.2.3-alpha.10", "1.2.3-alpha.1"), Some(Greater));
        assert_eq!(cmp("0.10.2-dev", "0.10.2"), Some(Less));
        assert_same("Hex", "0.9.3", "0.9.3+dev");
    }

    #[test]
    fn semver_precedence_chain() {
        // SemVer 2.0.0 §11, which Elixir's Version follows.
        assert_ascending(
            "Hex",
            &[
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "2.0.0",
                "2.1.0",
                "2.1.1",
            ],
        );
    }

    #[test]
    fn invalid_versions_do_not_compare() {
        // version_test.exs, "parse" and "invalid compare", and Version.parse/1's documentation.
        for bad in [
            "foobar",
            "foo",
            "2.3",
            "2",
            "1.0",
            "2.0-alpha1",
            "2.3.0-01",
            "01.0.0",
            "1.0.0-",
            "1.0.0+",
            "1.0.0-a..b",
            "1.0.0+a+b",
            "v1.0.0",
            " 1.0.0",
            "1.2.3.4",
        ] {
            assert_eq!(cmp(bad, "1.0.0"), None, "{bad:?}");
        }
        // Pre-releases may hold hyphens, build metadata may hold leading zeros.
        assert_eq!(cmp("1.4.5-6-g3318bd5+ignore", "1.4.5"), Some(Less));
        assert_same("Hex", "1.4.5+001", "1.4.5");
        assert_eq!(cmp("1.4.5-6.7.eight", "1.4.5-6.7.10"), Some(Greater));
    }

    #[test]
    fn osv_zero_is_the_floor() {
        assert_eq!(cmp("0", "0.0.1"), Some(Less));
        assert_eq!(cmp("0", "0.0.0-dev"), Some(Less));
        assert_eq!(cmp("0", "0.0.0"), Some(Less));
        assert_eq!(cmp("0", "0"), Some(Equal));
        assert_eq!(cmp("1.0.0", "0"), Some(Greater));
        assert_eq!(cmp("0", "0.0"), None);
    }
}
