//! IAM-style wildcard matching, shared by the IaC and IAM families: `*` any run of characters,
//! `?` exactly one; ASCII case folded when asked (IAM actions are case-insensitive, resources
//! and most condition values are not).

/// Whether `pattern` matches `text`, ASCII case-insensitively.
pub fn matches(pattern: &str, text: &str) -> bool {
    matches_with(pattern, text, true)
}

/// Whether `pattern` matches `text`; `fold` folds ASCII case.
pub fn matches_with(pattern: &str, text: &str, fold: bool) -> bool {
    // Actions and ARNs are ASCII: match bytes without allocating (this runs for every
    // action of the catalogue when a pattern is expanded).
    if pattern.is_ascii() && text.is_ascii() {
        let eq = |a: u8, b: u8| {
            if fold {
                a.eq_ignore_ascii_case(&b)
            } else {
                a == b
            }
        };
        return glob(pattern.as_bytes(), text.as_bytes(), b'*', b'?', eq);
    }
    let norm = |c: char| if fold { c.to_ascii_lowercase() } else { c };
    let p: Vec<char> = pattern.chars().map(norm).collect();
    let t: Vec<char> = text.chars().map(norm).collect();
    glob(&p, &t, '*', '?', |a, b| a == b)
}

/// The matcher over bytes or characters: greedy with backtracking to the last `star`.
fn glob<T: Copy + PartialEq>(p: &[T], t: &[T], star: T, one: T, eq: impl Fn(T, T) -> bool) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let (mut last_star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == one || (p[pi] != star && eq(p[pi], t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == star {
            last_star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = last_star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == star {
        pi += 1;
    }
    pi == p.len()
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
        assert!(matches_with("é?", "éx", false));
    }
}
