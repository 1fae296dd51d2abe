//! Access-path patterns: `flask.request.args`, `**.execute`, `subprocess.*`,
//! `sqlite3.connect().cursor().execute`. Segments are separated by dots; `*` in a segment
//! matches any characters of that segment, a segment `**` any number of segments.

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    segments: Vec<String>,
    text: String,
    /// The last segment when it is literal: most paths are rejected by it alone, without
    /// splitting them (the engine matches every call against every pattern).
    last: Option<String>,
}

impl Pattern {
    /// Compiles `text`.
    pub fn new(text: &str) -> Pattern {
        let segments: Vec<String> = split(text).into_iter().map(str::to_owned).collect();
        let last = segments
            .last()
            .filter(|l| !l.contains('*') && !l.contains('('))
            .cloned();
        Pattern {
            segments,
            text: text.to_owned(),
            last,
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `path` matches.
    pub fn matches(&self, path: &str) -> bool {
        if let Some(last) = &self.last {
            let tail = path.rsplit('.').next().unwrap_or(path);
            if tail != last {
                return false;
            }
        }
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

/// Many patterns matched against one path: indexed by their literal last segment, so a path
/// is only split and compared against the patterns that can match it.
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    patterns: Vec<(Pattern, usize)>,
    by_last: std::collections::HashMap<String, Vec<usize>>,
    wild: Vec<usize>,
}

impl PatternSet {
    /// Adds `pattern`, tagged with `tag` (what a match answers).
    pub fn push(&mut self, pattern: Pattern, tag: usize) {
        let i = self.patterns.len();
        match &pattern.last {
            Some(last) => self.by_last.entry(last.clone()).or_default().push(i),
            None => self.wild.push(i),
        }
        self.patterns.push((pattern, tag));
    }

    /// The patterns, in insertion order.
    pub fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.patterns.iter().map(|(p, _)| p)
    }

    /// The patterns and their tags, in insertion order.
    pub fn into_entries(self) -> Vec<(Pattern, usize)> {
        self.patterns
    }

    /// Whether the set has no pattern.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The tag of the first pattern (in insertion order) that matches `path`.
    pub fn find(&self, path: &str) -> Option<usize> {
        let tail = path.rsplit('.').next().unwrap_or(path);
        let mut best: Option<usize> = None;
        let candidates = self
            .by_last
            .get(tail)
            .into_iter()
            .flatten()
            .chain(self.wild.iter());
        let mut parts: Option<Vec<&str>> = None;
        for &i in candidates {
            if best.is_some_and(|b| b < i) {
                continue;
            }
            let (p, _) = &self.patterns[i];
            let parts = parts.get_or_insert_with(|| split(path));
            if matches(&p.segments, parts) {
                best = Some(i);
            }
        }
        best.map(|i| self.patterns[i].1)
    }

    /// Whether any pattern matches `path`.
    pub fn any(&self, path: &str) -> bool {
        self.find(path).is_some()
    }
}
