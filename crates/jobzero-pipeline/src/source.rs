//! One parsed pipeline file: its text, its YAML and what kind of file it is, with the byte
//! arithmetic that findings and fixes need.

use jobzero_core::yaml::{Node, Yaml, YamlError};

/// What a file is, decided from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `.github/workflows/*.yml`.
    Workflow,
    /// `action.yml` / `action.yaml`: a composite, Docker or JavaScript action.
    Action,
    /// `.github/dependabot.yml`.
    Dependabot,
    /// `.gitlab-ci.yml`.
    GitlabCi,
    /// `.pre-commit-config.yaml`: the hook repositories pre-commit fetches and runs.
    PreCommit,
}

impl Kind {
    /// The kind of the file at `path` (a display path with `/` separators), or `None` when
    /// the family does not read it.
    pub fn of(path: &str) -> Option<Kind> {
        let path = path.replace('\\', "/");
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path.as_str()));
        let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
        if yaml && (dir == ".github/workflows" || dir.ends_with("/.github/workflows")) {
            return Some(Kind::Workflow);
        }
        match name {
            "action.yml" | "action.yaml" => Some(Kind::Action),
            // GitHub reads `.github/dependabot.yml`; a file of that name elsewhere is a copy
            // or a template of one.
            "dependabot.yml" | "dependabot.yaml" => Some(Kind::Dependabot),
            ".gitlab-ci.yml" | ".gitlab-ci.yaml" => Some(Kind::GitlabCi),
            ".pre-commit-config.yaml" | ".pre-commit-config.yml" => Some(Kind::PreCommit),
            _ => None,
        }
    }
}

/// A parsed file.
#[derive(Debug)]
pub struct Source {
    /// The display path findings use.
    pub path: String,
    /// The text.
    pub text: String,
    /// The YAML stream.
    pub yaml: Yaml,
    /// What it is.
    pub kind: Kind,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
}

impl Source {
    /// Parses `text`.
    pub fn parse(path: &str, text: &str, kind: Kind) -> Result<Source, YamlError> {
        let yaml = Yaml::parse(text)?;
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Ok(Source {
            path: path.to_owned(),
            text: text.to_owned(),
            yaml,
            kind,
            line_starts,
        })
    }

    /// The first document's root, when it is a mapping.
    pub fn root(&self) -> Option<Node<'_>> {
        self.yaml
            .first()
            .filter(|n| n.kind() == jobzero_core::yaml::Kind::Mapping)
    }

    /// The byte offset of a 1-based line and 1-based character column (clamped to the text).
    pub fn offset(&self, line: u32, column: u32) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1) as usize) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let line_text = rest.split('\n').next().unwrap_or("");
        let byte = line_text
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(line_text.len(), |(i, _)| i);
        start + byte
    }

    /// The 1-based line and column of a byte offset.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(0, |s| s.chars().count());
        (to_u32(line), to_u32(column + 1))
    }

    /// The byte range of a node in the text: from its start to its end (see
    /// [`Node::end_line`] for what the end of a collection is).
    pub fn range(&self, node: Node<'_>) -> std::ops::Range<usize> {
        let start = self.offset(node.line(), node.column());
        let end = self.offset(node.end_line(), node.end_column()).max(start);
        start..end
    }

    /// The text of a line (1-based), without its newline.
    pub fn line_text(&self, line: u32) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1) as usize) else {
            return "";
        };
        self.text[start..]
            .split('\n')
            .next()
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    /// Where `needle` occurs in the text of `node`, at or after byte `from`: how a finding
    /// inside a scalar (an expression in a `run:` script) gets its exact position.
    pub fn find_in(&self, node: Node<'_>, needle: &str, from: usize) -> Option<usize> {
        let range = self.range(node);
        let start = from.max(range.start);
        // A collection's end can stop short of its last scalar's end; a scalar's is exact.
        let end = range.end.max(start).min(self.text.len());
        let hay = self.text.get(start..end)?;
        hay.find(needle).map(|i| start + i)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The `${{ … }}` expressions of a string, with byte offsets into it: the whole `${{ … }}`
/// and the text between the braces.
pub fn expressions(text: &str) -> Vec<Expansion<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find("${{") {
        let start = at + open;
        let body_start = start + 3;
        // The closing braces are the first `}}` outside a string literal.
        let mut in_string = false;
        let mut end = None;
        let bytes = text.as_bytes();
        let mut i = body_start;
        while i + 1 < bytes.len() {
            match bytes[i] {
                b'\'' => in_string = !in_string,
                b'}' if !in_string && bytes[i + 1] == b'}' => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let Some(end) = end else { break };
        out.push(Expansion {
            start,
            end: end + 2,
            body: &text[body_start..end],
        });
        at = end + 2;
    }
    out
}

/// One `${{ … }}` in a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expansion<'t> {
    /// Byte offset of `${{`.
    pub start: usize,
    /// Byte offset just past `}}`.
    pub end: usize,
    /// The expression between the braces, untrimmed.
    pub body: &'t str,
}

impl Expansion<'_> {
    /// The whole `${{ … }}` as it is in the string it came from.
    pub fn raw<'s>(&self, within: &'s str) -> &'s str {
        &within[self.start..self.end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_github_and_gitlab_conventions() {
        assert_eq!(Kind::of(".github/workflows/ci.yml"), Some(Kind::Workflow));
        assert_eq!(
            Kind::of("repo/.github/workflows/ci.yaml"),
            Some(Kind::Workflow)
        );
        // GitHub reads only the directory's own files, not subdirectories.
        assert_eq!(Kind::of(".github/workflows/sub/ci.yml"), None);
        assert_eq!(Kind::of("x/action.yml"), Some(Kind::Action));
        assert_eq!(Kind::of(".github/dependabot.yml"), Some(Kind::Dependabot));
        assert_eq!(Kind::of("templates/dependabot.yml"), Some(Kind::Dependabot));
        assert_eq!(Kind::of(".gitlab-ci.yml"), Some(Kind::GitlabCi));
        assert_eq!(Kind::of("ci.yml"), None);
    }

    #[test]
    fn expressions_end_at_the_first_closing_braces_outside_strings() {
        let s = "a ${{ github.event.issue.title }} b ${{ format('}}{0}', x) }}";
        let found = expressions(s);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].body.trim(), "github.event.issue.title");
        assert_eq!(found[1].body.trim(), "format('}}{0}', x)");
        assert_eq!(found[1].raw(s), "${{ format('}}{0}', x) }}");
        assert!(expressions("${{ unterminated").is_empty());
    }

    #[test]
    fn offsets_and_positions_round_trip_with_multibyte_text() {
        let src = Source::parse("a.yml", "k: é\nrun: x ${{ y }}\n", Kind::Action)
            .unwrap_or_else(|e| unreachable!("{e}"));
        let off = src.offset(2, 8);
        assert_eq!(&src.text[off..off + 3], "${{");
        assert_eq!(src.position(off), (2, 8));
        assert_eq!(src.line_text(1), "k: é");
    }
}
