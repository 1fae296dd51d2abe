//! IAM's wildcard matching: `*` any run of characters, `?` exactly one; ASCII case folded
//! when asked (actions are case-insensitive, resources and most condition values are not).

/// Whether `pattern` matches `text`, ASCII case-insensitively.
pub fn matches(pattern: &str, text: &str) -> bool {
    matches_with(pattern, text, true)
}

/// Whether `pattern` matches `text`; `fold` folds ASCII case.
pub fn matches_with(pattern: &str, text: &str, fold: bool) -> bool {
    // Actions and ARNs are ASCII: match bytes without allocating (this runs for every
    // action of the catalogue when a pattern is expanded).
    if pattern.is_ascii() && text.is_ascii() {
        return matches_ascii(pattern.as_bytes(), text.as_bytes(), fold);
    }
    matches_chars(pattern, text, fold)
}

fn matches_ascii(p: &[u8], t: &[u8], fold: bool) -> bool {
    let eq = |a: u8, b: u8| {
        if fold {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || (p[pi] != b'*' && eq(p[pi], t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

fn matches_chars(pattern: &str, text: &str, fold: bool) -> bool {
    let norm = |c: char| if fold { c.to_ascii_lowercase() } else { c };
    let p: Vec<char> = pattern.chars().map(norm).collect();
    let t: Vec<char> = text.chars().map(norm).collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

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
    fn stars_and_question_marks() {
        assert!(matches("s3:Get*", "S3:GETOBJECT"));
        assert!(matches("*", ""));
        assert!(matches("a*b*c", "aXXbYYc"));
        assert!(!matches("a*b*c", "aXXbYY"));
        assert!(matches("iam:?assRole", "iam:PassRole"));
        assert!(!matches_with(
            "arn:aws:s3:::Bucket/*",
            "arn:aws:s3:::bucket/x",
            false
        ));
        assert!(matches_with(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/",
            false
        ));
    }

    #[test]
    fn two_globs_intersect_when_a_string_matches_both() {
        assert!(intersect("arn:*:s3:::*/*", "arn:aws:s3:::b*/k"));
        assert!(!intersect("arn:*:s3:::*/*", "arn:aws:s3:::bucket"));
        assert!(intersect("a*c", "*b*"));
        assert!(!intersect("a?", "abc*d"));
        assert!(intersect("a?", "a*"));
    }
}
