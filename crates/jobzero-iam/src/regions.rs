//! Representative values: for a set of patterns over one dimension of a request (an action,
//! a resource, one condition key), a finite set of values that realises every combination of
//! "matches pattern i / does not" that any value could realise. Evaluating a policy on every
//! combination of representatives is then the same as evaluating it on every request.
//!
//! Globs are small automata: a breadth-first search over the product of their states, one
//! character at a time from the characters the patterns use plus one they do not, reaches
//! every combination of accepting patterns, and the first string that reaches one is its
//! representative. Numbers, dates and addresses get the constants of the policy and the
//! points between and around them.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::net::IpAddr;

/// The most product states explored for one dimension before giving up (UNKNOWN).
pub const MAX_STATES: usize = 50_000;

/// One pattern position.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// One character from the set.
    Class(Vec<char>),
    /// Any one character, or any but `:` when `colon` is false.
    Any { colon: bool },
    /// Any run of characters, or of characters but `:` when `colon` is false.
    Star { colon: bool },
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    toks: Vec<Tok>,
}

fn class(c: char, fold: bool) -> Tok {
    let lower = c.to_ascii_lowercase();
    let upper = c.to_ascii_uppercase();
    if fold && lower != upper {
        Tok::Class(vec![lower, upper])
    } else {
        Tok::Class(vec![c])
    }
}

impl Pattern {
    /// A glob (`*`, `?`), case folded when `fold`.
    pub fn glob(p: &str, fold: bool) -> Pattern {
        Pattern {
            toks: p
                .chars()
                .map(|c| match c {
                    '*' => Tok::Star { colon: true },
                    '?' => Tok::Any { colon: true },
                    c => class(c, fold),
                })
                .collect(),
        }
    }

    /// A literal string (no wildcards), case folded when `fold`.
    pub fn literal(p: &str, fold: bool) -> Pattern {
        Pattern {
            toks: p.chars().map(|c| class(c, fold)).collect(),
        }
    }

    /// An `ArnLike` pattern: wildcards of the first five colon-separated parts do not cross a
    /// colon; those of the sixth (the resource) do.
    pub fn arn(p: &str) -> Pattern {
        if p == "*" {
            return Pattern {
                toks: vec![Tok::Star { colon: true }],
            };
        }
        let mut toks = Vec::new();
        for (i, part) in p.splitn(6, ':').enumerate() {
            if i > 0 {
                toks.push(Tok::Class(vec![':']));
            }
            let colon = i == 5;
            for c in part.chars() {
                toks.push(match c {
                    '*' => Tok::Star { colon },
                    '?' => Tok::Any { colon },
                    c => Tok::Class(vec![c]),
                });
            }
        }
        Pattern { toks }
    }

    fn closure(&self, mut states: BTreeSet<usize>) -> BTreeSet<usize> {
        let mut todo: Vec<usize> = states.iter().copied().collect();
        while let Some(s) = todo.pop() {
            if let Some(Tok::Star { .. }) = self.toks.get(s)
                && states.insert(s + 1)
            {
                todo.push(s + 1);
            }
        }
        states
    }

    fn start(&self) -> BTreeSet<usize> {
        self.closure(BTreeSet::from([0]))
    }

    fn step(&self, states: &BTreeSet<usize>, c: char) -> BTreeSet<usize> {
        let mut next = BTreeSet::new();
        for &s in states {
            match self.toks.get(s) {
                Some(Tok::Class(cs)) if cs.contains(&c) => {
                    next.insert(s + 1);
                }
                Some(Tok::Any { colon }) if *colon || c != ':' => {
                    next.insert(s + 1);
                }
                Some(Tok::Star { colon }) if *colon || c != ':' => {
                    next.insert(s);
                }
                _ => {}
            }
        }
        self.closure(next)
    }

    fn accepts(&self, states: &BTreeSet<usize>) -> bool {
        states.contains(&self.toks.len())
    }

    /// Whether the pattern matches `s` (the same semantics the search uses).
    pub fn matches(&self, s: &str) -> bool {
        let mut st = self.start();
        for c in s.chars() {
            st = self.step(&st, c);
            if st.is_empty() {
                return false;
            }
        }
        self.accepts(&st)
    }

    fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.toks.iter().flat_map(|t| match t {
            Tok::Class(cs) => cs.clone(),
            _ => Vec::new(),
        })
    }
}

/// One representative string per realisable combination of matches of `patterns`, each the
/// shortest such string; `None` when the search would exceed [`MAX_STATES`].
pub fn strings(patterns: &[Pattern]) -> Option<Vec<String>> {
    let mut alphabet: BTreeSet<char> = patterns.iter().flat_map(Pattern::chars).collect();
    // One character no pattern names stands for all of them; `:` matters to ARN stars.
    let fresh = ['x', 'q', 'z', '#', '0', '~']
        .into_iter()
        .find(|c| !alphabet.contains(c))
        .unwrap_or('\u{2603}');
    alphabet.insert(fresh);
    alphabet.insert(':');
    let start: Vec<BTreeSet<usize>> = patterns.iter().map(Pattern::start).collect();
    let mut seen: BTreeSet<Vec<BTreeSet<usize>>> = BTreeSet::new();
    let mut found: BTreeMap<Vec<bool>, String> = BTreeMap::new();
    let mut queue = VecDeque::from([(start.clone(), String::new())]);
    seen.insert(start);
    while let Some((state, text)) = queue.pop_front() {
        let vector: Vec<bool> = patterns
            .iter()
            .zip(&state)
            .map(|(p, s)| p.accepts(s))
            .collect();
        found.entry(vector).or_insert_with(|| text.clone());
        for &c in &alphabet {
            let next: Vec<BTreeSet<usize>> = patterns
                .iter()
                .zip(&state)
                .map(|(p, s)| p.step(s, c))
                .collect();
            if seen.insert(next.clone()) {
                if seen.len() > MAX_STATES {
                    return None;
                }
                let mut t = text.clone();
                t.push(c);
                queue.push_back((next, t));
            }
        }
    }
    Some(found.into_values().collect())
}

/// Representative numbers for comparisons with `constants`: each constant, the points
/// between neighbours and beyond the ends, and a value that is not a number.
pub fn numbers(constants: &[f64]) -> Vec<String> {
    let mut cs: Vec<f64> = constants
        .iter()
        .copied()
        .filter(|c| c.is_finite())
        .collect();
    cs.sort_by(f64::total_cmp);
    cs.dedup();
    let mut out: Vec<f64> = cs.clone();
    for w in cs.windows(2) {
        out.push((w[0] + w[1]) / 2.0);
    }
    match (cs.first(), cs.last()) {
        (Some(lo), Some(hi)) => {
            out.push(lo - 1.0);
            out.push(hi + 1.0);
        }
        _ => out.push(0.0),
    }
    let mut strings: Vec<String> = out.iter().map(|n| format!("{n}")).collect();
    strings.push("not-a-number".into());
    strings.sort();
    strings.dedup();
    strings
}

/// Representative dates (epoch seconds of the constants), as RFC 3339 text.
pub fn dates(constants: &[i64]) -> Vec<String> {
    let mut cs: Vec<i64> = constants.to_vec();
    cs.sort_unstable();
    cs.dedup();
    let mut out = cs.clone();
    for w in cs.windows(2) {
        out.push(w[0] + (w[1] - w[0]) / 2);
    }
    match (cs.first(), cs.last()) {
        (Some(lo), Some(hi)) => {
            out.push(lo - 1);
            out.push(hi + 1);
        }
        _ => out.push(0),
    }
    let mut strings: Vec<String> = out
        .into_iter()
        .filter_map(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| t.to_string())
        .collect();
    strings.push("not-a-date".into());
    strings.sort();
    strings.dedup();
    strings
}

/// Representative addresses for `cidrs`: the first and last address of each and the ones
/// just outside it, a documentation address of each family, and a value that is not an
/// address. CIDR sets are laminar (nested or disjoint), so every region of "inside which
/// ranges" has one of these.
pub fn addresses(cidrs: &[String]) -> Vec<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    for c in cidrs {
        let net = match c.trim().parse::<ipnet::IpNet>() {
            Ok(n) => n,
            Err(_) => match c.trim().parse::<IpAddr>() {
                Ok(a) => ipnet::IpNet::from(a),
                Err(_) => continue,
            },
        };
        let (first, last) = (net.network(), net.broadcast());
        for a in [first, last] {
            out.insert(a.to_string());
        }
        match (first, last) {
            (IpAddr::V4(f), IpAddr::V4(l)) => {
                if let Some(b) = u32::from(f).checked_sub(1) {
                    out.insert(std::net::Ipv4Addr::from(b).to_string());
                }
                if let Some(a) = u32::from(l).checked_add(1) {
                    out.insert(std::net::Ipv4Addr::from(a).to_string());
                }
            }
            (IpAddr::V6(f), IpAddr::V6(l)) => {
                if let Some(b) = u128::from(f).checked_sub(1) {
                    out.insert(std::net::Ipv6Addr::from(b).to_string());
                }
                if let Some(a) = u128::from(l).checked_add(1) {
                    out.insert(std::net::Ipv6Addr::from(a).to_string());
                }
            }
            _ => {}
        }
    }
    out.insert("198.51.100.77".into());
    out.insert("2001:db8::77".into());
    out.insert("not-an-address".into());
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_region_of_overlapping_globs_has_a_witness() {
        let pats = [
            Pattern::glob("a*", false),
            Pattern::glob("*b", false),
            Pattern::literal("ab", false),
        ];
        let reps = strings(&pats).unwrap();
        let vectors: BTreeSet<Vec<bool>> = reps
            .iter()
            .map(|s| pats.iter().map(|p| p.matches(s)).collect())
            .collect();
        // none; a only; b only; both but not "ab" (a?b ...); exactly "ab".
        for v in [
            vec![false, false, false],
            vec![true, false, false],
            vec![false, true, false],
            vec![true, true, false],
            vec![true, true, true],
        ] {
            assert!(vectors.contains(&v), "{v:?} missing from {reps:?}");
        }
        assert_eq!(vectors.len(), 5);
    }

    #[test]
    fn arn_stars_stop_at_colons_but_not_in_the_resource() {
        let p = Pattern::arn("arn:aws:iam::*:role/*");
        assert!(p.matches("arn:aws:iam::111122223333:role/a:b"));
        assert!(!p.matches("arn:aws:iam::1:2:role/a"));
        assert!(Pattern::glob("S3:GET*", true).matches("s3:getobject"));
    }

    #[test]
    fn numbers_dates_and_addresses() {
        assert_eq!(
            numbers(&[10.0, 20.0]),
            vec!["10", "15", "20", "21", "9", "not-a-number"]
        );
        assert!(dates(&[0]).contains(&"1970-01-01T00:00:00Z".to_owned()));
        let a = addresses(&["10.0.0.0/8".into(), "10.1.0.0/16".into()]);
        for x in [
            "10.0.0.0",
            "10.255.255.255",
            "9.255.255.255",
            "11.0.0.0",
            "10.0.255.255",
            "10.2.0.0",
        ] {
            assert!(a.contains(&x.to_owned()), "{x} not in {a:?}");
        }
    }
}
