//! IAM's wildcard matching (shared with the IaC family through `jobzero_core::wildcard`), and
//! the intersection of two globs.

pub use jobzero_core::wildcard::{matches, matches_with};

/// Whether some string matches both globs (case-sensitive): a search over pairs of
/// positions, each step consuming one character of the common string or skipping a star.
pub fn intersect(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut seen = vec![false; (a.len() + 1) * (b.len() + 1)];
    let mut todo = vec![(0usize, 0usize)];
    while let Some((i, j)) = todo.pop() {
        let k = i * (b.len() + 1) + j;
        if seen[k] {
            continue;
        }
        seen[k] = true;
        if i == a.len() && j == b.len() {
            return true;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        // A star may match nothing.
        if ca == Some('*') {
            todo.push((i + 1, j));
        }
        if cb == Some('*') {
            todo.push((i, j + 1));
        }
        // Both consume one character of the common string.
        match (ca, cb) {
            (Some('*'), Some('*')) => todo.push((i + 1, j + 1)),
            (Some('*'), Some(_)) => todo.push((i, j + 1)),
            (Some(_), Some('*')) => todo.push((i + 1, j)),
            (Some(x), Some(y)) if x == y || x == '?' || y == '?' => todo.push((i + 1, j + 1)),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_globs_intersect_when_a_string_matches_both() {
        assert!(intersect("arn:*:s3:::*/*", "arn:aws:s3:::b*/k"));
        assert!(!intersect("arn:*:s3:::*/*", "arn:aws:s3:::bucket"));
        assert!(intersect("a*c", "*b*"));
        assert!(!intersect("a?", "abc*d"));
        assert!(intersect("a?", "a*"));
    }
}
