//! Access-path patterns: `flask.request.args`, `**.execute`, `subprocess.*`,
//! `sqlite3.connect().cursor().execute`. Segments are separated by dots; `*` in a segment
//! matches any characters of that segment, a segment `**` any number of segments.

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    segments: Vec<String>,
    text: String,
}

impl Pattern {
    /// Compiles `text`.
    pub fn new(text: &str) -> Pattern {
        Pattern {
            segments: split(text).into_iter().map(str::to_owned).collect(),
            text: text.to_owned(),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `path` matches.
    pub fn matches(&self, path: &str) -> bool {
        let parts = split(path);
        matches(&self.segments, &parts)
    }
}

/// Splits on dots outside parentheses (`a(b.c).d` is two segments).
fn split(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in path.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                out.push(&path[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&path[start..]);
    out
}

fn matches(pattern: &[String], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((first, rest)) if first == "**" => {
            (0..=path.len()).any(|skip| matches(rest, &path[skip..]))
        }
        Some((first, rest)) => match path.split_first() {
            Some((seg, tail)) => segment(first, seg) && matches(rest, tail),
            None => false,
        },
    }
}

fn segment(pattern: &str, seg: &str) -> bool {
    if !pattern.contains('*') {
        return pattern == seg;
    }
    jobzero_core::wildcard::matches_with(pattern, seg, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_and_wildcards() {
        let p = Pattern::new("flask.request.args");
        assert!(p.matches("flask.request.args"));
        assert!(!p.matches("flask.request.args.get"));
        assert!(Pattern::new("**.execute").matches("sqlite3.connect().cursor().execute"));
        assert!(Pattern::new("**.execute").matches("execute"));
        assert!(!Pattern::new("**.execute").matches("executemany"));
        assert!(Pattern::new("subprocess.*").matches("subprocess.Popen"));
        assert!(!Pattern::new("subprocess.*").matches("subprocess.Popen().wait"));
        assert!(Pattern::new("os.exec*").matches("os.execvp"));
        assert!(Pattern::new("sqlite3.connect().execute").matches("sqlite3.connect().execute"));
        assert!(Pattern::new("a.b(c.d).e").matches("a.b(c.d).e"));
    }
}
